import type { Prisma } from "@prisma/client";
import { prisma } from "../../db.server";
import { isUniqueViolation } from "../../db/errors";
import { EVENT_SOURCE } from "../../tracking/event-source";
import { EVENT_STATUS } from "../../tracking/event-status";
import { readyRowOf } from "./ready";

/** A detected event as it is recorded: queued with its frozen payload, or skipped with the reason. */
export type NewEvent = Prisma.TrackingEventCreateManyInput & {
  status: typeof EVENT_STATUS.queued | typeof EVENT_STATUS.skipped;
};

interface Recorded {
  id: string;
  uniqueKey: string;
  status: string;
  backfillId: string | null;
}

/** The shop's events already recorded under these unique keys. */
async function alreadyRecorded(shopId: string, uniqueKeys: string[]): Promise<Map<string, Recorded>> {
  if (uniqueKeys.length === 0) return new Map();
  const rows = await prisma.trackingEvent.findMany({
    where: { shopId, uniqueKey: { in: uniqueKeys } },
    select: { id: true, uniqueKey: true, status: true, backfillId: true },
  });
  return new Map(rows.map((row) => [row.uniqueKey, row]));
}

/**
 * An import's skipped event is shown in Activity but holds its key only until the event is found
 * again by a live webhook or another import, which may send it once the merchant turns it on (the
 * same import reading a page again changes nothing).
 */
const givesWay = (recorded: Recorded, row: NewEvent) =>
  recorded.status === EVENT_STATUS.skipped &&
  recorded.backfillId !== null &&
  recorded.backfillId !== (row.backfillId ?? null);

const isQueued = (row: { status: string }) => row.status === EVENT_STATUS.queued;

/**
 * Records a shop's events in one transaction, each once per shop and unique key: those it
 * already has are left alone (except an import's skipped ones, which the new event replaces);
 * the queued ones take their place in the ready queue with them. When another worker (a live
 * webhook beside an import, say) records one of them meanwhile, the rest are recorded one by
 * one. Returns how many were recorded, and queued.
 */
export async function recordEvents(
  shopId: string,
  candidates: NewEvent[],
): Promise<{ recorded: number; queued: number }> {
  const existing = await alreadyRecorded(
    shopId,
    candidates.map((row) => row.uniqueKey),
  );
  const rows = candidates.filter((row) => {
    const recorded = existing.get(row.uniqueKey);
    return !recorded || givesWay(recorded, row);
  });
  if (rows.length === 0) return { recorded: 0, queued: 0 };
  const replaced = rows.flatMap((row) => existing.get(row.uniqueKey)?.id ?? []);
  try {
    await prisma.$transaction(async (tx) => {
      if (replaced.length)
        await tx.trackingEvent.deleteMany({ where: { id: { in: replaced }, status: EVENT_STATUS.skipped } });
      const created = await tx.trackingEvent.createManyAndReturn({
        data: rows,
        select: { id: true, shopId: true, status: true, backfillId: true, nextAttemptAt: true },
      });
      await tx.deliveryReady.createMany({ data: created.filter(isQueued).map(readyRowOf) });
    });
    return { recorded: rows.length, queued: rows.filter(isQueued).length };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  let recorded = 0;
  let queued = 0;
  for (const row of rows) {
    try {
      await recordOne(row, existing.get(row.uniqueKey)?.id);
      recorded++;
      if (isQueued(row)) queued++;
    } catch (error) {
      // Recorded first elsewhere: it exists once, which is the point.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return { recorded, queued };
}

/** One event and, when queued, its ready row, in place of the import's skipped event it replaces. */
function recordOne(row: NewEvent, replaces?: string) {
  const create = isQueued(row)
    ? prisma.trackingEvent.create({
        data: { ...row, ready: { create: { shopId: row.shopId, ...queueOf(row) } } },
      })
    : prisma.trackingEvent.create({ data: row });
  if (!replaces) return create;
  return prisma.$transaction([
    prisma.trackingEvent.deleteMany({ where: { id: replaces, status: EVENT_STATUS.skipped } }),
    create,
  ]);
}

function queueOf(row: NewEvent) {
  const { queue, dueAt } = readyRowOf({ id: "", ...row });
  return { queue, dueAt };
}

/**
 * A test event sent from Track Settings, once Klaviyo has answered: recorded for Activity (marked
 * as a test) with that one attempt, sent or dead-lettered with Klaviyo's reason. It never enters
 * the ready queue: it went out at once, and a dead-lettered one is only re-sent if replayed.
 */
export function recordTestEvent(
  row: Omit<NewEvent, "status" | "source" | "skipReason" | "nextAttemptAt">,
  answer: { sent: boolean; httpStatus: number; latencyMs: number; detail: string | null; requestId: string | null },
  now: Date,
) {
  return prisma.trackingEvent.create({
    data: {
      ...row,
      source: EVENT_SOURCE.test,
      status: answer.sent ? EVENT_STATUS.sent : EVENT_STATUS.dead_lettered,
      attempts: 1,
      sentAt: answer.sent ? now : null,
      lastError: answer.sent ? null : answer.detail,
      attemptLog: {
        create: {
          attemptedAt: now,
          httpStatus: answer.httpStatus,
          outcome: answer.sent ? "sent" : "failed",
          latencyMs: answer.latencyMs,
          detail: answer.detail?.slice(0, 2000) ?? null,
          requestId: answer.requestId,
        },
      },
    },
  });
}
