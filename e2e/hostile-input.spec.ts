import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "./support/fixtures";
import { mintTestSessionToken } from "./support/admin-session";

// Every route, found on disk, gets the names every object inherits as its query parameters and
// form fields (security review F6: `?reason=__proto__` answered 500). None may answer 500.
const HOSTILE_WORDS = ["__proto__", "constructor", "toString", "hasOwnProperty"];
const ROUTES_DIR = join(process.cwd(), "app", "routes");
// What Shopify's admin puts in an embedded URL: kept intact so the request reaches the route.
const EMBEDDING = new Set(["embedded", "shop", "host", "id_token"]);

interface RouteUnderTest {
  file: string;
  /** A URL path for the route, a hostile word standing in for each dynamic segment. */
  path(word: string): string;
  /** Every query parameter and form field name the route's source reads. */
  names: string[];
  /** Values the source compares a parameter with (`.get("klaviyo") === "error"`), to reach what lies behind. */
  selectors: [name: string, value: string][];
}

const DOT = "\u2024"; // stands for a literal dot while the file name is split at the others

/** Remix's flat routes: `app.activity_.$eventId.tsx` is /app/activity/:eventId, `[.js]` is a literal. */
function routePath(file: string, word: string): string {
  const segments = file
    .replace(/\.tsx$/, "")
    .replace(/\[([^\]]+)\]/g, (_, literal: string) => literal.replaceAll(".", DOT))
    .split(".")
    .map((segment) => segment.replaceAll(DOT, "."))
    .filter((segment) => segment !== "_index")
    .map((segment) => (segment.startsWith("$") ? encodeURIComponent(word) : segment.replace(/_$/, "")));
  return `/${segments.join("/")}`;
}

function namesReadBy(source: string): string[] {
  const found = new Set<string>(["intent", "reason", "next"]);
  for (const match of source.matchAll(/\.(?:get|getAll|has)\("([\w-]+)"\)/g)) found.add(match[1]);
  for (const match of source.matchAll(/\b(\w+): (?:z\.|eventKey\b)/g)) found.add(match[1]);
  return [...found].filter((name) => !EMBEDDING.has(name));
}

const selectorsIn = (source: string) =>
  [...source.matchAll(/\.get\("([\w-]+)"\) === "([\w-]+)"/g)].map((match): [string, string] => [match[1], match[2]]);

const ROUTES: RouteUnderTest[] = readdirSync(ROUTES_DIR)
  .filter((file) => file.endsWith(".tsx"))
  .map((file) => {
    const source = readFileSync(join(ROUTES_DIR, file), "utf8");
    return {
      file,
      path: (word: string) => routePath(file, word),
      names: namesReadBy(source),
      selectors: selectorsIn(source),
    };
  });

test("every route answers the names every object inherits without a server error", async ({
  request,
  embeddedAdmin,
}) => {
  test.setTimeout(120_000);
  expect(ROUTES.length).toBeGreaterThanOrEqual(14);
  expect(routePath("app.activity_.$eventId.tsx", "x")).toBe("/app/activity/x");
  expect(routePath("demo.app-bridge[.js].tsx", "x")).toBe("/demo/app-bridge.js");
  expect(ROUTES.find((route) => route.file === "app.integrations.tsx")?.selectors).toContainEqual(["klaviyo", "error"]);
  const failures: string[] = [];

  for (const route of ROUTES) {
    for (const [word, selector] of HOSTILE_WORDS.flatMap((word) =>
      [undefined, ...route.selectors].map((selector) => [word, selector] as const),
    )) {
      const fields = Object.fromEntries([...route.names, word].map((name) => [name, word]));
      if (selector) fields[selector[0]] = selector[1];
      const query = new URLSearchParams(fields).toString();
      const routeId = `routes/${route.file.replace(/\.tsx$/, "")}`;
      const path = `${route.path(word)}?${query}`;
      const { token } = await mintTestSessionToken(embeddedAdmin.shop);
      for (const [label, send] of [
        ["document GET, signed in", async () => request.get(await embeddedAdmin.url(path), { maxRedirects: 0 })],
        ["data GET, signed in", async () => request.get(`${embeddedAdmin.app}${path}&_data=${routeId}`, bearer(token))],
        ["GET, signed out", async () => request.get(`${embeddedAdmin.app}${path}&shop=${word}`, { maxRedirects: 0 })],
        [
          "form POST, signed in",
          async () => request.post(await embeddedAdmin.url(path), { ...bearer(token), form: fields, maxRedirects: 0 }),
        ],
        [
          "form POST, signed out",
          async () => request.post(`${embeddedAdmin.app}${path}`, { form: fields, maxRedirects: 0 }),
        ],
      ] as const) {
        const response = await send();
        if (response.status() >= 500)
          failures.push(`${route.file} ${label} ${word} ${selector ?? ""}: ${response.status()}`);
      }
    }
  }
  expect(failures).toEqual([]);
});

const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` }, maxRedirects: 0 });
