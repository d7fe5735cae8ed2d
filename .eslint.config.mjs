// ESLint for Waypost (run with `npm run lint`; `npm test` runs it too). The import-boundary
// rules below are the house's folder rules, written down where a machine enforces them; there is
// no list of exceptions to them. The README's "How the code is organised" explains them.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

// The pipeline's stages, earliest first: a stage may import the stages before it, never after.
const STAGES = ["platform", "tracking", ["klaviyo", "settings"], "jobs"];
// Below every stage: configuration, the database client, logging, time, the work signal.
const FLOOR = [
  "app/config",
  "app/db",
  "app/env.server.ts",
  "app/db.server.ts",
  "app/log.server.ts",
  "app/time.ts",
  "app/work-signal.server.ts",
  "app/keep-alive.ts",
  "app/own-entry.ts",
  "app/sealed-secret.ts",
];
// Above the stages: the process entry, Polaris components, routes, and the demo that plays the platforms.
const TOP = ["server", "components", "routes"];
const folder = (name) => `app/${name}`;

// Tests follow their folder's rules too, but may use the test tooling: e2e/support and the demo's
// doubles of Klaviyo and Shopify's Admin API.
const demoZone = (target, message, { tests }) => ({
  target,
  from: "app/demo",
  ...(tests ? { except: ["./doubles"] } : {}),
  message,
});

function boundaries({ tests }) {
  const stageZones = STAGES.flatMap((stage, index) =>
    [stage].flat().flatMap((name) => {
      const message = `${name}/ may import only the stages before it (${STAGES.map((level) => [level].flat().join(" | ")).join(" → ")}), never a later stage, the demo, components, routes or the process entry.`;
      const later = [...STAGES.slice(index + 1).flat(), ...[stage].flat().filter((other) => other !== name), ...TOP];
      return [{ target: folder(name), from: later.map(folder), message }, demoZone(folder(name), message, { tests })];
    }),
  );
  const shopsMessage = "shops/ sits with the platform: it imports no later stage.";
  return [
    ...stageZones,
    { target: "app/shops", from: [...STAGES.slice(1).flat(), ...TOP].map(folder), message: shopsMessage },
    demoZone("app/shops", shopsMessage, { tests }),
    {
      target: [
        "app/platform",
        "app/tracking",
        "app/klaviyo",
        "app/settings",
        "app/jobs",
        "app/shops",
        "app/server",
        "app/demo",
        "app/components",
        "app/config",
        "app/db",
        "app/*.ts",
        "app/*.tsx",
      ],
      from: "app/routes",
      message: "Routes call the domain folders, never the reverse.",
    },
    {
      target: FLOOR,
      from: [
        "app/platform",
        "app/tracking",
        "app/klaviyo",
        "app/settings",
        "app/jobs",
        "app/shops",
        "app/demo",
        ...TOP.map(folder),
      ],
      message: "The bottom floor (config, env, database, log, time, work signal) imports no domain folder.",
    },
    {
      target: "app/env.server.ts",
      from: "app",
      except: ["./config", "./env.server.ts"],
      message:
        "env.server.ts stands on zod and app/config alone: what only the process entry can load (the demo's secrets) is passed in.",
    },
    {
      target: "app/components",
      from: ["app/demo", "app/server", "app/db", "app/db.server.ts"],
      message: "Components take props: they import pure modules only.",
    },
    {
      target: "app/extensions",
      from: "app",
      except: ["./extensions"],
      message:
        "A Shopify extension is built by the Shopify CLI from its own folder: it imports nothing else from app/ (the server imports its contract).",
    },
    // The app's production code never imports the test tree (tests may use e2e/support).
    ...(tests
      ? []
      : [{ target: "app", from: "e2e", message: "Nothing in app/ imports e2e/: the app stands on its own." }]),
  ];
}

const SERVER_MODULES = {
  group: ["*.server", "**/*.server", "*.server.ts", "**/*.server.ts"],
  message: "Pure modules and components import no *.server module (it touches the database, secrets or the network).",
};
const IO_MODULES = [
  "@prisma/client",
  "pg",
  "better-sqlite3",
  "node:fs",
  "fs",
  "node:fs/promises",
  "fs/promises",
  "node:http",
  "http",
  "node:https",
  "https",
  "node:net",
  "net",
].map((name) => ({
  name,
  message: "Pure modules take plain values and return plain values: no database, no files, no network.",
}));

// Domain code that is not *.server.ts is pure: tracking rules, payload builders, lane arithmetic, retry policy.
const PURE_MODULES = ["app/{platform,tracking,klaviyo,settings,jobs,shops,config}/**/*.{ts,tsx}", "app/time.ts"];
const TESTS = ["**/*.test.ts", "**/*.test.tsx"];

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "public/build/**",
      "node_modules/**",
      "e2e/output/**",
      "data/**",
      ".cache/**",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,mts}"],
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })] },
    rules: {
      "import-x/no-restricted-paths": ["error", { zones: boundaries({ tests: true }) }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // Playwright fixtures that depend on no other fixture destructure nothing, as Playwright requires.
      "no-empty-pattern": ["error", { allowObjectPatternsAsParameters: true }],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: TESTS,
    rules: { "import-x/no-restricted-paths": ["error", { zones: boundaries({ tests: false }) }] },
  },
  {
    files: PURE_MODULES,
    ignores: ["**/*.server.ts", "**/*.server.tsx", ...TESTS],
    rules: {
      "no-restricted-imports": ["error", { paths: IO_MODULES, patterns: [SERVER_MODULES] }],
      "no-restricted-globals": [
        "error",
        { name: "fetch", message: "Pure modules do no network I/O: fetch belongs in a *.server.ts client." },
      ],
    },
  },
  {
    files: ["app/components/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { paths: IO_MODULES, patterns: [SERVER_MODULES] }] },
  },
  {
    files: ["app/env.server.ts"],
    rules: { "no-restricted-imports": ["error", { paths: IO_MODULES }] },
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: {
      globals: {
        module: "writable",
        require: "readonly",
        process: "readonly",
        console: "readonly",
        __dirname: "readonly",
      },
    },
  },
  prettier,
);
