/**
 * Request bodies checked against an OpenAPI document's own schemas, with ajv. Knows nothing of
 * a particular API: klaviyo-openapi.server.ts gives it Klaviyo's spec and words the errors.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";

const HTTP_METHODS = ["get", "put", "post", "patch", "delete", "head", "options"] as const;
const SPEC_ID = "openapi-document";

type Json = Record<string, unknown>;
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
}

export interface OpenApiOperation {
  method: string;
  pathTemplate: string;
  /** The values the concrete path gave each `{placeholder}` of the template. */
  pathParameters: Record<string, string>;
  definition: Json;
}

/** One way a body breaks the schema: where (a JSON pointer into the body) and what. */
export interface BodyProblem {
  pointer: string;
  detail: string;
}

interface Route {
  pathTemplate: string;
  segments: string[];
  literalSegments: number;
}

export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly routes: Route[];

  constructor(private readonly document: OpenApiDocument) {
    // 3.1 schemas are JSON Schema 2020-12 as they stand; 3.0 ones need `nullable` translated.
    const is31 = document.openapi.startsWith("3.1");
    this.ajv = is31 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(is31 ? document : (withoutNullable(document) as Json), SPEC_ID);
    this.routes = Object.keys(document.paths)
      .map((pathTemplate) => {
        const segments = pathTemplate.split("/");
        return {
          pathTemplate,
          segments,
          literalSegments: segments.filter((segment) => !isPlaceholder(segment)).length,
        };
      })
      // A literal path wins over a template that would also match it (/a/merge over /a/{id}).
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** The operation a concrete request path (query string allowed) reaches, if the document has one. */
  operationOf(method: string, path: string): OpenApiOperation | undefined {
    const verb = method.toLowerCase();
    const segments = path
      .split("?")[0]
      .replace(/(.)\/+$/, "$1")
      .split("/");
    for (const route of this.routes) {
      const definition = this.document.paths[route.pathTemplate][verb];
      if (!definition || !HTTP_METHODS.includes(verb as (typeof HTTP_METHODS)[number])) continue;
      const pathParameters = matchSegments(route.segments, segments);
      if (pathParameters)
        return { method: verb, pathTemplate: route.pathTemplate, pathParameters, definition: definition as Json };
    }
    return undefined;
  }

  /** What is wrong with a body for this operation; empty when it matches its requestBody schema. */
  bodyProblems(operation: OpenApiOperation, body: unknown): BodyProblem[] {
    const requestBody = operation.definition.requestBody as
      { required?: boolean; content?: Record<string, unknown> } | undefined;
    const mediaType = Object.keys(requestBody?.content ?? {}).find((type) => type.includes("json"));
    if (!requestBody || !mediaType) return [];
    if (body === undefined) return requestBody.required ? [{ pointer: "", detail: "A request body is required." }] : [];
    const validate = this.validatorFor(operation, mediaType);
    if (validate(body)) return [];
    const problems = (validate.errors ?? []).map(problemOf);
    return problems.filter(
      (problem, index) =>
        problems.findIndex((other) => other.pointer === problem.pointer && other.detail === problem.detail) === index,
    );
  }

  private validatorFor(operation: OpenApiOperation, mediaType: string): ValidateFunction {
    const location = ["paths", operation.pathTemplate, operation.method, "requestBody", "content", mediaType, "schema"]
      .map(escapePointer)
      .join("/");
    const validate = this.ajv.getSchema(`${SPEC_ID}#/${location}`); // compiled on first use, then kept by ajv
    if (!validate) throw new Error(`no request schema at ${location}`);
    return validate;
  }
}

const isPlaceholder = (segment: string) => segment.startsWith("{") && segment.endsWith("}");

function matchSegments(template: string[], concrete: string[]): Record<string, string> | undefined {
  if (template.length !== concrete.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, segment] of template.entries()) {
    if (isPlaceholder(segment)) {
      if (!concrete[index]) return undefined;
      parameters[segment.slice(1, -1)] = decodeURIComponent(concrete[index]);
    } else if (segment !== concrete[index]) return undefined;
  }
  return parameters;
}

const escapePointer = (token: string) => token.replace(/~/g, "~0").replace(/\//g, "~1");

function problemOf(error: ErrorObject): BodyProblem {
  // A missing or unexpected member is pointed at itself, not at the object that lacks it.
  const member =
    error.keyword === "required"
      ? error.params.missingProperty
      : error.keyword === "additionalProperties"
        ? error.params.additionalProperty
        : undefined;
  const pointer = member === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(String(member))}`;
  const allowed =
    error.keyword === "enum"
      ? `: ${(error.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`
      : "";
  return { pointer, detail: `${error.instancePath || "The body"} ${error.message ?? "is invalid"}${allowed}` };
}

/**
 * OpenAPI 3.0's `nullable: true` as plain JSON Schema. Beside a `type` it adds "null" to it;
 * beside a `$ref` or `oneOf` (where 3.0 strictly ignores it, but Klaviyo's spec plainly means
 * "or null", e.g. a profile's `location`) it becomes `anyOf: [schema, null]`.
 */
export function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (!node || typeof node !== "object") return node;
  const { nullable, ...rest } = node as Json;
  // A property *named* nullable is a schema, not the flag: keep it.
  const members = typeof nullable === "boolean" ? rest : (node as Json);
  const converted: Json = Object.fromEntries(
    Object.entries(members).map(([key, value]) => [key, withoutNullable(value)]),
  );
  if (nullable !== true) return converted;
  if (typeof converted.type === "string") {
    const enumValues =
      Array.isArray(converted.enum) && !converted.enum.includes(null) ? { enum: [...converted.enum, null] } : {};
    return { ...converted, type: [converted.type, "null"], ...enumValues };
  }
  return { anyOf: [converted, { type: "null" }] };
}
