import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { ensureChromium } from "./ensure-chromium";

// `npm test`: every check the project has, in the order a failure is cheapest to find.
const OUTPUT = "e2e/output";
const VITEST_REPORT = `${OUTPUT}/vitest-report.json`;
const PLAYWRIGHT_REPORT = `${OUTPUT}/playwright-report.json`;

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
let failedSteps: string[] = [];

function run(step: string, command: string, args: string[]) {
  console.log(`\n▶ ${step}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) failedSteps.push(step);
  return result.status === 0;
}

function addCounts(counts: Counts | undefined) {
  if (!counts) return;
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
}

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : undefined;
}

rmSync(VITEST_REPORT, { force: true });
rmSync(PLAYWRIGHT_REPORT, { force: true });
mkdirSync(OUTPUT, { recursive: true });
const npx = "npx";

run("typecheck", npx, ["tsc", "--noEmit"]);

// Lint (with the import-boundary rules) and formatting count as one test each, like the chaos run.
for (const [step, script] of [
  ["lint (ESLint, import boundaries)", "lint"],
  ["format (Prettier)", "format:check"],
]) {
  const passed = run(step, "npm", ["run", "--silent", script]);
  addCounts({ passed: passed ? 1 : 0, failed: passed ? 0 : 1, skipped: 0 });
}

run("unit and integration tests (SQLite and PostgreSQL)", npx, [
  "vitest",
  "run",
  "--config",
  "e2e/vitest.config.mts",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${VITEST_REPORT}`,
]);
const vitest = readJson<{
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}>(VITEST_REPORT);
addCounts(
  vitest && {
    passed: vitest.numPassedTests,
    failed: vitest.numFailedTests,
    skipped: vitest.numPendingTests + vitest.numTodoTests,
  },
);

let browserReady = true;
try {
  ensureChromium();
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error));
  failedSteps.push("chromium");
  browserReady = false;
}
if (browserReady && run("production build", npx, ["remix", "build"])) {
  run("browser tests (Playwright, Chromium)", npx, ["playwright", "test", "-c", "e2e/playwright.config.ts"]);
  const playwright = readJson<{ stats: { expected: number; flaky: number; unexpected: number; skipped: number } }>(
    PLAYWRIGHT_REPORT,
  );
  addCounts(
    playwright && {
      passed: playwright.stats.expected + playwright.stats.flaky,
      failed: playwright.stats.unexpected,
      skipped: playwright.stats.skipped,
    },
  );

  // The shortened chaos run: faults at Klaviyo, duplicated and shuffled webhooks, killed workers,
  // cut database connections; it passes only with nothing lost and nothing recorded twice.
  const chaosPassed = run("chaos (short)", npx, ["tsx", "e2e/bench/run-chaos.ts", "--short"]);
  addCounts({ passed: chaosPassed ? 1 : 0, failed: chaosPassed ? 0 : 1, skipped: 0 });
}

failedSteps = [...new Set(failedSteps)];
console.log("");
if (failedSteps.length) console.log(`Failed steps: ${failedSteps.join(", ")}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
