import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";

// The vendored files sit beside this module. Every entry (the server, vitest, Playwright's own
// transpiler, which refuses import.meta) runs from the project root, so the folder is found from there.
const contractsFolder = resolve("app/demo/contracts");

/** A gzipped JSON file vendored into app/demo/contracts, parsed. */
export function readVendoredJson(fileName: string): unknown {
  return JSON.parse(gunzipSync(readFileSync(join(contractsFolder, fileName))).toString("utf8"));
}
