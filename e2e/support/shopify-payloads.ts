import { readFileSync } from "node:fs";
import { join } from "node:path";

// Test runners start at the project root.
const FIXTURES = join(process.cwd(), "e2e", "fixtures", "shopify");

/** A sample webhook body as raw text, exactly as Shopify would send it. */
export function shopifyFixtureText(name: string): string {
  return readFileSync(join(FIXTURES, `${name}.json`), "utf8");
}
