import { errorSummary, log } from "../log.server";
import { onWork, type WorkKind } from "../work-signal.server";

/** What a pass may ask for: to run again sooner than the next poll (0 = at once). */
export interface PassResult {
  runAgainInMs?: number;
}

/**
 * Runs `pass` in this process whenever work of `kind` is signalled, every `pollMs` regardless
 * (work from other processes, retries coming due), and sooner when a pass asks for it. Never
 * two passes at once.
 */
export function startPollingWorker(kind: WorkKind, pass: () => Promise<PassResult>, pollMs: number) {
  let running = false;
  let again = false;
  let stopped = false;
  let soon: NodeJS.Timeout | undefined;
  const runSoon = (delayMs: number) => {
    clearTimeout(soon);
    soon = setTimeout(() => void run(), delayMs);
  };
  const run = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const { runAgainInMs } = await pass();
        if (runAgainInMs !== undefined && runAgainInMs < pollMs && !stopped) runSoon(runAgainInMs);
      } while (again && !stopped);
    } catch (error) {
      log.error(`${kind} worker pass failed`, { error: errorSummary(error) });
    } finally {
      running = false;
    }
  };
  const unsubscribe = onWork(kind, () => void run());
  const timer = setInterval(() => void run(), pollMs);
  void run();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(soon);
      unsubscribe();
      while (running) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}
