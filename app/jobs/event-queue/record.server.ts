import type { Prisma } from "@prisma/client";
import { prisma } from "../../db.server";
import { isUniqueViolation } from "../../db/errors";
import { EVENT_STATUS } from "../../tracking/event-status";
import { readyRowOf } from "./ready";

/** A detected event as it is recorded: queued with its frozen payload, or skipped with the reason. */
export type NewEvent = Prisma.TrackingEventCreateManyInput & {
  status: typeof EVENT_STATUS.queued | typeof EVENT_STATUS.skipped;
};

/** Which of these unique keys the shop already has an event for. */
async function alreadyRecorded(shopId: string, uniqueKeys: string[]): Promise<Set<string>> {
  if (uniqueKeys.length === 0) return new Set();
  const rows = await prisma.trackingEvent.findMany({
    where: { shopId, uniqueKey: { in: uniqueKeys } },
    select: { uniqueKey: true },
  });
  return new Set(rows.map((row) => row.uniqueKey));
}

const isQueued = (row: { status: string }) => row.status === EVENT_STATUS.queued;

/**
 * Records a shop's events in one transaction, each once per shop and unique key: those it
 * already has are left alone; the queued ones take their place in the ready queue with them.
 * When another worker (a live webhook beside an import, say) records one of them meanwhile, the
 * rest are recorded one by one. Returns how many were recorded, and queued.
 */
export async function recordEvents(
  shopId: string,
  candidates: NewEvent[],
): Promise<{ recorded: number; queued: number }> {
  const existing = await alreadyRecorded(
    shopId,
    candidates.map((row) => row.uniqueKey),
  );
  const rows = candidates.filter((row) => !existing.has(row.uniqueKey));
  if (rows.length === 0) return { recorded: 0, queued: 0 };
  try {
    await prisma.$transaction(async (tx) => {
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
      await recordOne(row);
      recorded++;
      if (isQueued(row)) queued++;
    } catch (error) {
      // Recorded first elsewhere: it exists once, which is the point.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return { recorded, queued };
}

/** One event and, when queued, its ready row: one statement. */
function recordOne(row: NewEvent) {
  if (!isQueued(row)) return prisma.trackingEvent.create({ data: row });
  const { queue, dueAt } = readyRowOf({ id: "", ...row });
  return prisma.trackingEvent.create({ data: { ...row, ready: { create: { shopId: row.shopId, queue, dueAt } } } });
}
