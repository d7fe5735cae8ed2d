import type { Backfill } from "@prisma/client";
import { prisma } from "../../db.server";
import { isUniqueViolation } from "../../db/errors";
import { klaviyoConnectionOf } from "../../klaviyo/connection-store.server";
import { DAY_MS } from "../../time";
import { notifyWork } from "../../work-signal.server";
import { CANCEL_REASONS, cancelQueued } from "../event-queue/cancel.server";
import { BACKFILL_DAYS } from "./progress";

export const ACTIVE = ["running", "paused"];

/** A reason a backfill cannot start or change, in the merchant's words. */
export class BackfillRefused extends Error {}

/**
 * Starts importing the shop's orders updated in the last `windowDays` days. Historical events
 * record without triggering flows unless `triggerFlows`. Only one import runs per shop.
 */
export async function startBackfill(
  shopId: string,
  { windowDays, triggerFlows }: { windowDays: number; triggerFlows: boolean },
  now = new Date(),
) {
  if (!Number.isInteger(windowDays) || windowDays < BACKFILL_DAYS.min || windowDays > BACKFILL_DAYS.max) {
    throw new BackfillRefused(`Choose between ${BACKFILL_DAYS.min} and ${BACKFILL_DAYS.max} days of history.`);
  }
  const connection = await klaviyoConnectionOf(shopId);
  if (connection?.status !== "connected") throw new BackfillRefused("Connect Klaviyo before importing order history.");
  try {
    const backfill = await prisma.backfill.create({
      data: {
        shopId,
        activeShopId: shopId,
        status: "running",
        windowDays,
        triggerFlows,
        since: new Date(now.getTime() - windowDays * DAY_MS),
        nextReadAt: now,
      },
    });
    notifyWork("backfill");
    return backfill;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new BackfillRefused("An import of order history is already under way for this store.");
    throw error;
  }
}

async function changeActive(shopId: string, backfillId: string, from: string[], data: Partial<Backfill>) {
  const { count } = await prisma.backfill.updateMany({ where: { id: backfillId, shopId, status: { in: from } }, data });
  if (count === 0) throw new BackfillRefused("That import has already ended.");
}

export async function pauseBackfill(shopId: string, backfillId: string) {
  await changeActive(shopId, backfillId, ["running"], { status: "paused" });
}

export async function resumeBackfill(shopId: string, backfillId: string) {
  await changeActive(shopId, backfillId, ["paused"], { status: "running", nextReadAt: new Date() });
  notifyWork("backfill");
}

/** Stops at once: nothing more is read or sent; what was sent stays sent. */
export async function cancelBackfill(shopId: string, backfillId: string) {
  await changeActive(shopId, backfillId, ACTIVE, { status: "cancelled", activeShopId: null, finishedAt: new Date() });
  await cancelQueued({ shopId, backfillId }, CANCEL_REASONS.importCancelled);
}

/**
 * Ends the shop's running or paused import, saying why (its queued events are the caller's to
 * cancel). A statement, so it can run in the transaction that caused it.
 */
export function endImports(shopId: string, error: string, now = new Date()) {
  return prisma.backfill.updateMany({
    where: { shopId, status: { in: ACTIVE } },
    data: { status: "cancelled", error, activeShopId: null, finishedAt: now },
  });
}
