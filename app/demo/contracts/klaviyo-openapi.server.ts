import { randomUUID } from "node:crypto";
import { OpenApiContract, type OpenApiDocument, type OpenApiOperation } from "./openapi-contract";
import { readVendoredJson } from "./vendored-file.server";

/** The Klaviyo API revision whose published spec is vendored here (see README.md). */
export const KLAVIYO_REVISION = "2026-07-15";
const SPEC_FILE = `klaviyo-openapi-${KLAVIYO_REVISION}.json.gz`;

let cached: OpenApiContract | undefined;

/** Klaviyo's OpenAPI spec with its validators, built once per process (3 MB of JSON). */
function klaviyoContract(): OpenApiContract {
  cached ??= new OpenApiContract(readVendoredJson(SPEC_FILE) as OpenApiDocument);
  return cached;
}

export interface KlaviyoOperation {
  operationId: string;
  summary: string;
  method: string;
  pathTemplate: string;
  pathParameters: Record<string, string>;
  /** OAuth scopes the spec says the operation needs (`x-klaviyo-scopes`). */
  scopes: string[];
}

/** The spec's `x-klaviyo-ratelimit`, as numbers: e.g. "350/s" and "3500/m". */
export interface KlaviyoRateLimit {
  burstPerSecond: number;
  steadyPerMinute: number;
  /** Only a few create endpoints have one (e.g. Create List, 150 a day). */
  dailyPerDay?: number;
}

/** Klaviyo's JSON:API error body, as its live 400s have it. */
export interface KlaviyoErrorBody {
  errors: Array<{
    id: string;
    status: number;
    code: string;
    title: string;
    detail: string;
    source: { pointer: string };
    links: Record<string, never>;
    meta: Record<string, never>;
  }>;
}

export type KlaviyoValidation = { ok: true } | { ok: false; status: 400; body: KlaviyoErrorBody };

function operationIn(method: string, path: string): OpenApiOperation {
  const operation = klaviyoContract().operationOf(method, path);
  if (!operation)
    throw new Error(`Klaviyo's spec (revision ${KLAVIYO_REVISION}) has no operation ${method.toUpperCase()} ${path}`);
  return operation;
}

/** Which operation a concrete request reaches (`/api/metrics/ABC/flow-triggers` → get_flows_triggered_by_metric). */
export function operationOf(method: string, path: string): KlaviyoOperation | undefined {
  const operation = klaviyoContract().operationOf(method, path);
  if (!operation) return undefined;
  const { definition } = operation;
  return {
    operationId: String(definition.operationId),
    summary: String(definition.summary ?? ""),
    method: operation.method.toUpperCase(),
    pathTemplate: operation.pathTemplate,
    pathParameters: operation.pathParameters,
    scopes: Array.isArray(definition["x-klaviyo-scopes"]) ? definition["x-klaviyo-scopes"].map(String) : [],
  };
}

/** The per-account rate limits the spec publishes for the operation. */
export function rateLimitOf(method: string, path: string): KlaviyoRateLimit {
  const published = operationIn(method, path).definition["x-klaviyo-ratelimit"] as Record<string, string> | undefined;
  if (!published) throw new Error(`Klaviyo's spec gives no rate limit for ${method.toUpperCase()} ${path}`);
  const count = (window: string | undefined) => (window ? Number(window.split("/")[0]) : undefined);
  return {
    burstPerSecond: count(published.burst) ?? 0,
    steadyPerMinute: count(published.steady) ?? 0,
    ...(published.daily ? { dailyPerDay: count(published.daily) } : {}),
  };
}

/**
 * Checks a request body (already parsed JSON, or undefined) against the operation's requestBody
 * schema; when it breaks it, the 400 body Klaviyo would answer, one error per problem.
 * Throws for a path the spec does not have: that is a bug in the caller, not a bad body.
 */
export function validateKlaviyoRequest(method: string, path: string, body: unknown): KlaviyoValidation {
  const problems = klaviyoContract().bodyProblems(operationIn(method, path), body);
  if (!problems.length) return { ok: true };
  return {
    ok: false,
    status: 400,
    body: {
      errors: problems.map(({ pointer, detail }) => ({
        id: randomUUID(),
        status: 400,
        code: "invalid",
        title: "Invalid input.",
        detail,
        source: { pointer },
        links: {},
        meta: {},
      })),
    },
  };
}
