import {
  buildClientSchema,
  getNamedType,
  GraphQLError,
  isEnumType,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import { readVendoredJson } from "./vendored-file.server";

/** The Admin API version whose published schema is vendored here (see README.md). */
export const ADMIN_SCHEMA_VERSION = "2026-07";
const SCHEMA_FILE = `shopify-admin-schema-${ADMIN_SCHEMA_VERSION}.json.gz`;

let cached: GraphQLSchema | undefined;

/** Shopify's Admin GraphQL schema, built once per process (the file is 0.9 MB gzipped). */
export function adminSchema(): GraphQLSchema {
  if (!cached) {
    const introspection = readVendoredJson(SCHEMA_FILE) as { data: IntrospectionQuery };
    cached = buildClientSchema(introspection.data);
  }
  return cached;
}

/** A document as text or already parsed; parse errors come back as validation errors. */
function parsed(source: string | DocumentNode): { document?: DocumentNode; errors: GraphQLError[] } {
  if (typeof source !== "string") return { document: source, errors: [] };
  try {
    return { document: parse(source), errors: [] };
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    throw error;
  }
}

/** Every reason Shopify would refuse this document before running it: syntax, then `validate`. */
export function validateAdminDocument(source: string | DocumentNode): GraphQLError[] {
  const { document, errors } = parsed(source);
  return document ? [...validate(adminSchema(), document)] : errors;
}

export interface DeprecatedUse {
  /** A schema coordinate: `Type.field`, `Type.field(argument:)` or `Enum.VALUE`. */
  coordinate: string;
  reason: string;
}

/**
 * What the document reads that this API version marks deprecated. Deprecated fields disappear
 * in a later version, so a document using one is a breakage waiting for the next upgrade.
 */
export function deprecatedFieldsUsed(source: string | DocumentNode): DeprecatedUse[] {
  const { document } = parsed(source);
  if (!document) return [];
  const typeInfo = new TypeInfo(adminSchema());
  const found = new Map<string, string>();
  const note = (coordinate: string, reason: string | null | undefined) => {
    if (reason != null) found.set(coordinate, reason);
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (field && parent) note(`${parent.name}.${field.name}`, field.deprecationReason);
      },
      Argument() {
        const argument = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (argument && field && parent)
          note(`${parent.name}.${field.name}(${argument.name}:)`, argument.deprecationReason);
      },
      EnumValue() {
        const value = typeInfo.getEnumValue();
        const type = getNamedType(typeInfo.getInputType());
        if (value && type) note(`${type.name}.${value.name}`, value.deprecationReason);
      },
    }),
  );
  return [...found].map(([coordinate, reason]) => ({ coordinate, reason }));
}

/** The topics a webhook subscription may name in this version, as the enum lists them. */
export function webhookTopics(): string[] {
  const topics = adminSchema().getType("WebhookSubscriptionTopic");
  if (!isEnumType(topics)) throw new Error("the Admin schema has no WebhookSubscriptionTopic enum");
  return topics.getValues().map((value) => value.name);
}
