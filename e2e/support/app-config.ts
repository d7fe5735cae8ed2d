import { readFileSync } from "node:fs";

// shopify.app.toml as the Shopify CLI deploys it (test runners start at the project root).
const toml = () => readFileSync("shopify.app.toml", "utf8");

/** The strings of every `key = [...]` list in shopify.app.toml. */
export function appConfigList(key: string): string[] {
  return [...toml().matchAll(new RegExp(`^${key} = \\[([^\\]]*)\\]`, "gm"))].flatMap((match) =>
    [...match[1].matchAll(/"([^"]+)"/g)].map((topic) => topic[1]),
  );
}

/** Every webhook topic the app subscribes to, compliance topics included. */
export const subscribedTopics = () => [...appConfigList("topics"), ...appConfigList("compliance_topics")];

/** Where each subscription sends its webhooks. */
export const subscriptionUris = () => [...toml().matchAll(/^uri = "([^"]+)"/gm)].map((match) => match[1]);
