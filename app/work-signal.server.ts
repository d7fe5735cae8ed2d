import { EventEmitter } from "node:events";

// Lets workers start on new work at once instead of at their next poll. The workers may run in
// another thread (app/server/background-thread.server.ts): `forwardWork` hands them what this one signals.
export type WorkKind = "receipt" | "event" | "backfill" | "consent";
const signal = new EventEmitter();
let forward: ((kinds: WorkKind[]) => void) | undefined;
const toForward = new Set<WorkKind>();

export function notifyWork(kind: WorkKind) {
  signal.emit(kind);
  if (!forward) return;
  // A burst of webhooks is one message per kind per turn of the event loop, not one each.
  if (toForward.size === 0) setImmediate(flushForwarded);
  toForward.add(kind);
}

function flushForwarded() {
  const kinds = [...toForward];
  toForward.clear();
  forward?.(kinds);
}

export function onWork(kind: WorkKind, listener: () => void): () => void {
  signal.on(kind, listener);
  return () => signal.off(kind, listener);
}

/** Every kind signalled in this thread from now on is also handed to `send` (batched per event-loop turn). */
export function forwardWork(send: (kinds: WorkKind[]) => void) {
  forward = send;
}

export const isWorkKind = (value: unknown): value is WorkKind =>
  value === "receipt" || value === "event" || value === "backfill" || value === "consent";
