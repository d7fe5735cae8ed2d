import { EventEmitter } from "node:events";

// Lets in-process workers start on new work at once instead of at their next poll.
export type WorkKind = "receipt" | "event" | "backfill";
const signal = new EventEmitter();

export function notifyWork(kind: WorkKind) {
  signal.emit(kind);
}

export function onWork(kind: WorkKind, listener: () => void): () => void {
  signal.on(kind, listener);
  return () => signal.off(kind, listener);
}
