import { log } from "../log.server";
import { onWork, type WorkKind } from "./work-signal.server";

/**
 * Runs `pass` in this process whenever work of `kind` is signalled, and every `pollMs`
 * regardless (work from other processes, retries coming due). Never two passes at once.
 */
export function startPollingWorker(kind: WorkKind, pass: () => Promise<unknown>, pollMs: number) {
  let running = false;
  let again = false;
  let stopped = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await pass();
      } while (again && !stopped);
    } catch (error) {
      log.error(`${kind} worker pass failed`, { error: error instanceof Error ? error.message : String(error) });
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
      unsubscribe();
      while (running) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}
