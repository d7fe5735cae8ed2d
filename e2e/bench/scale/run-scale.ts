// `npm run bench:scale`: the delivery engine at scale on PostgreSQL (issue #17's proof). Each
// figure gets a schema of its own in db `test` (dropped afterwards), at least 3 worker processes
// and the Klaviyo double enforcing Klaviyo's per-account limits; each prints one line per
// measure with its target and PASS/FAIL. A benchmark, not a test: it only reports (exit 0).
//   --only=1,3   run some figures        --scale=0.1   shrink volumes and times for a quick run
//   --minutes=N  figure 7's length (default 10)        --workers=N   worker processes (default 3)
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { testAppEnv } from "../../support/test-config";
import { FIGURES, type FigureOptions } from "./figures";
import type { Line } from "./harness";

const NAMES: Record<number, string> = {
  1: "fairness at 10,000 lanes",
  2: "slow tenant",
  3: "Retry-After",
  4: "crash and zombie",
  5: "profiles",
  6: "delays",
  7: "database budget",
  8: "rate",
  9: "history import",
};

// Figures that run the engine's own modules in this process (a Prisma client bound to the
// figure's schema) run in a child process each, so every one gets a client of its own.
const IN_A_PROCESS_OF_THEIR_OWN = new Set([6, 7]);

/** Runs one figure in a child process (`--inline`) and reads back its lines. */
async function inChildProcess(figure: number): Promise<Line[]> {
  const out = `e2e/output/bench-scale-${figure}.json`;
  const args = [
    ...process.argv.slice(2).filter((arg) => !arg.startsWith("--only=")),
    `--only=${figure}`,
    "--inline",
    `--out=${out}`,
  ];
  const child = spawn(process.execPath, ["--import", "tsx", "e2e/bench/scale/run-scale.ts", ...args], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  await new Promise((resolve) => child.once("exit", resolve));
  const lines = (JSON.parse(readFileSync(out, "utf8")) as { lines: Line[] }).lines;
  rmSync(out, { force: true });
  return lines;
}

function flag(name: string) {
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function main() {
  Object.assign(process.env, testAppEnv);
  const options: FigureOptions = {
    scale: Number(flag("scale") ?? 1),
    minutes: Number(flag("minutes") ?? 10),
    workers: Math.max(3, Number(flag("workers") ?? 3)),
  };
  const only = (flag("only") ?? "1,2,3,4,5,6,7,8,9").split(",").map(Number);
  const load = () => execFileSync("uptime").toString().trim();
  console.log(`bench:scale ${process.argv.slice(2).join(" ") || "(full)"} — ${JSON.stringify(options)}`);
  console.log(`load at start: ${load()}`);
  const lines: Line[] = [];
  const started = Date.now();
  for (const figure of only) {
    const run = FIGURES[figure];
    if (!run) {
      console.log(`[${figure}] ${NAMES[figure] ?? "?"}: not measured by this benchmark yet`);
      continue;
    }
    const figureStarted = Date.now();
    console.log(`[${figure}] ${NAMES[figure]}…`);
    try {
      const inline = process.argv.includes("--inline") || !IN_A_PROCESS_OF_THEIR_OWN.has(figure);
      for (const result of inline ? await run(options) : await inChildProcess(figure)) {
        lines.push(result);
        print(result);
      }
    } catch (error) {
      const failed = {
        figure,
        name: NAMES[figure],
        measured: `could not be measured: ${String(error)}`,
        target: "",
        pass: false,
      };
      lines.push(failed);
      print(failed);
    }
    console.log(`    (${Math.round((Date.now() - figureStarted) / 1000)} s; load ${load()})`);
  }
  console.log(
    `\n${lines.filter((l) => l.pass).length} of ${lines.length} measures met their target in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  mkdirSync("e2e/output", { recursive: true });
  writeFileSync(
    flag("out") ?? "e2e/output/bench-scale.json",
    `${JSON.stringify({ options, only, lines, load: load() }, null, 2)}\n`,
  );
}

function print(line: Line) {
  const verdict = line.pass === undefined ? "INFO" : line.pass ? "PASS" : "FAIL";
  console.log(
    `  ${verdict}  [${line.figure}] ${line.name}: ${line.measured}${line.target ? ` — target ${line.target}` : ""}`,
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
