import { spawn, type ChildProcess } from "node:child_process";
import { testAppEnv } from "./test-config";

/**
 * Starts a worker-only Waypost process (e2e/support/delivery-worker.ts: what `npm run worker`
 * runs) with the test app's environment plus `env`. tsx runs as a loader, not as its CLI: the CLI
 * runs the script in a child process, which a SIGKILL or SIGSTOP to the CLI would leave running.
 */
export function startWorkerProcess(env: Record<string, string | undefined>): ChildProcess {
  const worker = spawn(process.execPath, ["--import", "tsx", "e2e/support/delivery-worker.ts"], {
    env: { ...process.env, ...testAppEnv, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker.stderr!.on("data", (chunk) => process.stderr.write(`[worker ${worker.pid}] ${chunk}`));
  return worker;
}

/** Resolves with the process's exit code once it has exited (at once if it already has). */
export const exited = (worker: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    worker.exitCode !== null || worker.signalCode
      ? resolve(worker.exitCode)
      : worker.once("exit", (code) => resolve(code)),
  );

/** Whether the process is still running (not exited, not killed). */
export const running = (worker: ChildProcess) => worker.exitCode === null && !worker.signalCode;
