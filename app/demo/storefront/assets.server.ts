import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

// The demo storefront's three scripts. Every entry (the server, vitest, Playwright) runs from the
// project root, so the sources are found from there.
const FOLDER = resolve("app/demo/storefront");

/**
 * Bundled as the Shopify CLI bundles a web pixel extension: esbuild, one script for the browser.
 * esbuild comes with the build tools, so it is loaded only when the demo asks for a script.
 */
async function bundle(entry: string): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    target: "es2020",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

const SOURCES = {
  // Waypost's pixel, `@shopify/web-pixels-extension` included: its `register` calls the
  // `shopify.extend` global that Shopify's sandbox (here ./sandbox-worker.js) provides.
  "waypost-pixel.js": () => bundle(resolve("app/extensions/waypost-pixel/src/index.ts")),
  "storefront.js": () => bundle(`${FOLDER}/storefront-page.ts`),
  "sandbox-worker.js": () => readFile(`${FOLDER}/sandbox-worker.js`, "utf8"),
};
export type StorefrontAsset = keyof typeof SOURCES;

const built = new Map<StorefrontAsset, Promise<string>>();

export function isStorefrontAsset(name: string): name is StorefrontAsset {
  return Object.hasOwn(SOURCES, name);
}

/** One of the storefront's scripts, built once per process. */
export function storefrontAsset(name: StorefrontAsset): Promise<string> {
  let source = built.get(name);
  if (!source) {
    source = SOURCES[name]();
    built.set(name, source);
    source.catch(() => built.delete(name));
  }
  return source;
}
