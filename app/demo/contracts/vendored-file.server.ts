import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

// The vendored files sit beside this module. import.meta.url is empty inside a CJS bundle,
// so fall back to the checkout's own path (the server always runs from the project root).
const contractsFolder =
  typeof import.meta.url === "string" && import.meta.url.startsWith("file:")
    ? dirname(fileURLToPath(import.meta.url))
    : resolve("app/demo/contracts");

/** A gzipped JSON file vendored into app/demo/contracts, parsed. */
export function readVendoredJson(fileName: string): unknown {
  return JSON.parse(gunzipSync(readFileSync(join(contractsFolder, fileName))).toString("utf8"));
}
