/** How many days of order history a merchant may import, and how far an import got. Pure. */
export const BACKFILL_DAYS = { min: 1, max: 90, default: 14 } as const;

export interface BackfillProgress {
  id: string;
  status: string;
  windowDays: number;
  triggerFlows: boolean;
  ordersTotal: number | null;
  ordersRead: number;
  eventsFound: number;
  eventsSent: number;
  eventsFailed: number;
  eventsSkipped: number;
  percent: number;
  secondsLeft: number | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface ReadingState {
  status: string;
  ordersTotal: number | null;
  ordersRead: number;
  readDone: boolean;
  startedAt: Date;
}

/**
 * Reading orders is most of the work (sending goes 1,000 events a request): the bar follows
 * the orders read, and the last step waits for the sends. Time left extrapolates the pace so far.
 */
export function progressOf(
  backfill: ReadingState,
  { eventsFound, eventsSettled }: { eventsFound: number; eventsSettled: number },
  now: Date,
): { percent: number; secondsLeft: number | null } {
  if (backfill.status === "completed") return { percent: 100, secondsLeft: 0 };
  const total = Math.max(backfill.ordersTotal ?? 0, backfill.ordersRead, 1);
  const reading = backfill.readDone ? 1 : backfill.ordersRead / total;
  const sending = eventsFound ? eventsSettled / eventsFound : 1;
  const done = reading * 0.9 + (backfill.readDone ? 0.1 * sending : 0);
  const elapsedSeconds = (now.getTime() - backfill.startedAt.getTime()) / 1000;
  const secondsLeft =
    backfill.status === "running" && done > 0.02 ? Math.ceil((elapsedSeconds / done) * (1 - done)) : null;
  return { percent: Math.min(99, Math.floor(done * 100)), secondsLeft };
}
