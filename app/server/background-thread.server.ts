import { isMainThread, parentPort } from "node:worker_threads";
import { forwardWork, isWorkKind, notifyWork, type WorkKind } from "../work-signal.server";
import { prepareProcess, startBackgroundWork } from "./background.server";

// The web process runs its workers in a worker thread of their own (started by app/server/main.ts),
// with their own event loop and database client: receipt processing and sends never hold up a
// webhook waiting for its 200. These are the messages between the two threads.
export type ToBackground = { work: WorkKind[] } | { stop: true };
export type FromBackground = { started: true } | { stopped: true };

/** In the web thread: what it signals (a webhook stored, a replay) wakes the workers in the other. */
export function forwardWorkTo(post: (message: ToBackground) => void) {
  forwardWork((kinds) => post({ work: kinds }));
}

/** In the background thread: starts the workers, and stops them (finishing in-flight work) when told. */
export async function serveBackgroundThread() {
  if (isMainThread || !parentPort) throw new Error("serveBackgroundThread runs in a worker thread");
  const parent = parentPort;
  prepareProcess();
  const background = await startBackgroundWork();
  parent.on("message", (message: ToBackground) => {
    if ("work" in message) for (const kind of message.work.filter(isWorkKind)) notifyWork(kind);
    else if ("stop" in message)
      void background.stop().then(() => parent.postMessage({ stopped: true } satisfies FromBackground));
  });
  parent.postMessage({ started: true } satisfies FromBackground);
}
