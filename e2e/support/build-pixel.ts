import { build } from "esbuild";
import { resolve } from "node:path";

const ENTRY = resolve(__dirname, "../../app/extensions/waypost-pixel/src/index.ts");

/**
 * The storefront pixel bundled as the Shopify CLI bundles a web pixel extension (esbuild, one script,
 * `@shopify/web-pixels-extension` included: its `register` calls the `shopify.extend` global Shopify's
 * sandbox provides), so a browser test can load it into a page with a stand-in of that sandbox.
 */
export async function buildStorefrontPixel(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: "iife",
    target: "es2020",
    platform: "browser",
    write: false,
    minify: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}
