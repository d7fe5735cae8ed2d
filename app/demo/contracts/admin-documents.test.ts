import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { appConfigList } from "../../../e2e/support/app-config";
import {
  ADMIN_SCHEMA_VERSION,
  adminSchema,
  deprecatedFieldsUsed,
  validateAdminDocument,
  webhookTopics,
} from "./shopify-admin-schema.server";
import { MAX_SINGLE_QUERY_COST, requestedCost } from "./shopify-query-cost";
import { ADMIN_API_VERSION } from "../../config/shopify-api";
import { apiVersion } from "../../shopify.server";
import { HISTORY_DOCUMENT_VARIABLES } from "../../platform/order-history";
import { MOST_VARIANTS_PER_LOOKUP } from "../../platform/variant-images.server";
import { MOST_CUSTOMERS_PER_READ } from "../../platform/store-credit";

// Building Shopify's schema (0.9 MB) takes seconds on a busy machine: once, before the tests time anything.
beforeAll(() => void adminSchema(), 120_000);

/**
 * Every Admin GraphQL document in app/, found in the source (a template literal marked
 * `/* GraphQL *\/` or starting `#graphql`), with the fragments it interpolates from its own file:
 * each must be valid on the schema of the version Waypost calls, cost at most 1,000 requested
 * points with the largest variables Waypost sends, and read nothing that version deprecates.
 */
const DOCUMENT_VARIABLES: Record<string, Record<string, unknown>> = {
  ...HISTORY_DOCUMENT_VARIABLES,
  FulfillmentOrderOrder: { id: "gid://shopify/FulfillmentOrder/1" },
  VariantImages: {
    ids: Array.from({ length: MOST_VARIANTS_PER_LOOKUP }, (_, n) => `gid://shopify/ProductVariant/${n + 1}`),
  },
  FulfillmentDeliveryMethod: { id: "gid://shopify/Fulfillment/1" },
  CustomerStoreCredit: {
    ids: Array.from({ length: MOST_CUSTOMERS_PER_READ }, (_, n) => `gid://shopify/Customer/${n + 1}`),
  },
  WaypostWebPixelCreate: { webPixel: { settings: "{}" } },
  WaypostWebPixelUpdate: { id: "gid://shopify/WebPixel/1", webPixel: { settings: "{}" } },
  WaypostCustomerByIdentifier: { identifier: { emailAddress: "ada@example.com" } },
  WaypostEmailUnsubscribe: {
    input: { customerId: "gid://shopify/Customer/1", emailMarketingConsent: { marketingState: "UNSUBSCRIBED" } },
  },
  WaypostSmsUnsubscribe: {
    input: { customerId: "gid://shopify/Customer/1", smsMarketingConsent: { marketingState: "UNSUBSCRIBED" } },
  },
};

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

interface FoundDocument {
  file: string;
  text: string;
  operations: OperationDefinitionNode[];
}

function documentsIn(file: string): { documents: FoundDocument[]; unresolved: string[] } {
  const source = readFileSync(file, "utf8");
  const named = new Map<string, string>();
  const templates: string[] = [];
  for (const match of source.matchAll(/(?:const\s+(\w+)\s*=\s*)?\/\*\s*GraphQL\s*\*\/\s*`([^`]*)`/g)) {
    if (match[1]) named.set(match[1], match[2]);
    templates.push(match[2]);
  }
  for (const match of source.matchAll(/`(\s*#graphql[^`]*)`/g)) templates.push(match[1]);
  const unresolved: string[] = [];
  const resolve = (text: string, depth = 0): string =>
    text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      const fragment = named.get(name);
      if (fragment === undefined || depth > 10) {
        unresolved.push(`${file}: \${${name}}`);
        return "";
      }
      return resolve(fragment, depth + 1);
    });
  const documents = templates.flatMap((template) => {
    const text = resolve(template);
    const operations = parse(text).definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    return operations.length ? [{ file, text, operations }] : [];
  });
  return { documents, unresolved };
}

const found = sourceFiles("app").map(documentsIn);
const documents = found.flatMap((file) => file.documents);

describe("every Admin GraphQL document in app/", () => {
  it("is found, with its fragments, and every operation is named", () => {
    expect(found.flatMap((file) => file.unresolved)).toEqual([]);
    const names = documents.flatMap((document) => document.operations.map((operation) => operation.name?.value));
    expect(names).not.toContain(undefined);
    expect(names).toEqual(expect.arrayContaining(["OrderHistoryPage", "OrderWithFulfillments", "ConnectionRest"]));
    expect(new Set(names).size).toBe(names.length);
  });

  const operations = documents.flatMap(({ file, text, operations }) =>
    operations.map((operation) => ({ name: operation.name!.value, file, text })),
  );
  it.each(operations)("$name ($file) validates, costs ≤ 1,000 points, reads nothing deprecated", ({ name, text }) => {
    expect(validateAdminDocument(text)).toEqual([]);
    expect(deprecatedFieldsUsed(text)).toEqual([]);
    const variables = DOCUMENT_VARIABLES[name] ?? {};
    expect(requestedCost(adminSchema(), text, variables, name)).toBeLessThanOrEqual(MAX_SINGLE_QUERY_COST);
  });
});

describe("one Admin API version everywhere", () => {
  it("the client, shopifyApp(), shopify.app.toml and the vendored schema agree", () => {
    expect(ADMIN_API_VERSION).toBe(ADMIN_SCHEMA_VERSION);
    expect(apiVersion).toBe(ADMIN_API_VERSION);
    const toml = readFileSync("shopify.app.toml", "utf8");
    expect(/^api_version = "([^"]+)"/m.exec(toml)?.[1]).toBe(ADMIN_API_VERSION);
  });

  it("every topic shopify.app.toml subscribes to exists in that version's WebhookSubscriptionTopic", () => {
    const topics = new Set(webhookTopics());
    const subscribed = appConfigList("topics");
    expect(subscribed.length).toBeGreaterThan(5);
    for (const topic of subscribed) expect(topics, topic).toContain(topic.toUpperCase().replace(/\//g, "_"));
  });
});
