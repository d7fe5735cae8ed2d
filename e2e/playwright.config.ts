import { resolve } from "node:path";
import { defineConfig } from "@playwright/test";
import { APP_PROCESS_ARGS, BROWSER_USER_AGENT, testAppEnv } from "./support/test-config";

// E2E_PORT_BASE lets two checkouts run their browser tests side by side on one machine.
const PORT_BASE = Number(process.env.E2E_PORT_BASE ?? 3100);
export const APP_PORT = PORT_BASE;
export const DEMO_PORT = PORT_BASE + 100;
/** The app's database, which browser tests seed before they open its admin. */
export const APP_DATABASE_URL = "file:e2e/output/app-data/waypost.sqlite";
/** The demo's database: one shop shared by every spec that opens the demo. */
export const DEMO_DATABASE_URL = "file:e2e/output/demo-data/waypost.sqlite";
const projectRoot = resolve(__dirname, "..");
const startApp = `rm -rf $WAYPOST_DATA_DIR && node ${APP_PROCESS_ARGS.join(" ")}`;

// Run from the project root after `npm run build` (npm test does both).
export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  outputDir: "output/results",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  reporter: [["list"], ["json", { outputFile: "output/playwright-report.json" }]],
  use: {
    userAgent: BROWSER_USER_AGENT,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        // Lets the framing test's fake Shopify admin (a public origin) frame the localhost app, so CSP decides.
        "--disable-features=LocalNetworkAccessChecks",
      ],
    },
    trace: "retain-on-failure",
  },
  webServer: [
    {
      // The app as it runs for a real store, with throw-away Shopify credentials.
      command: startApp,
      cwd: projectRoot,
      url: `http://127.0.0.1:${APP_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        ...testAppEnv,
        PORT: String(APP_PORT),
        SHOPIFY_APP_URL: `http://localhost:${APP_PORT}`,
        WAYPOST_DATA_DIR: "e2e/output/app-data",
        DATABASE_URL: APP_DATABASE_URL,
        NODE_ENV: "production",
      },
    },
    {
      // The README's demo: no credentials at all.
      command: startApp,
      cwd: projectRoot,
      url: `http://127.0.0.1:${DEMO_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(DEMO_PORT),
        SHOPIFY_API_KEY: "",
        SHOPIFY_API_SECRET: "",
        WAYPOST_DATA_DIR: "e2e/output/demo-data",
        DATABASE_URL: DEMO_DATABASE_URL,
        LOG_LEVEL: "warn",
        NODE_ENV: "production",
      },
    },
  ],
});
