import { readFileSync } from "node:fs";
import { join } from "node:path";

// Test runners start at the project root.
const FIXTURES = join(process.cwd(), "e2e", "fixtures", "shopify");

/** A sample webhook body as raw text, exactly as Shopify would send it. */
export function shopifyFixtureText(name: string): string {
  return readFileSync(join(FIXTURES, `${name}.json`), "utf8");
}

/**
 * A sample webhook body as a given shop would receive it: Shopify's samples name the shop
 * `{shop}.myshopify.com`, or (the shop resource of app/uninstalled) leave its domain null.
 */
export function shopifyFixtureFor(name: string, shop: string): string {
  return shopifyFixtureText(name)
    .replaceAll("{shop}.myshopify.com", shop)
    .replace(/"myshopify_domain": null/, `"myshopify_domain": "${shop}"`);
}
