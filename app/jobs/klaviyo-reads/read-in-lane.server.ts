import type { KlaviyoConnection } from "@prisma/client";
import type { LaneKind } from "../../config/lane-limits";
import { prisma } from "../../db.server";
import type { KlaviyoApi } from "../../klaviyo/api-client.server";
import type { KlaviyoOutcome } from "../../klaviyo/outcome";
import { errorSummary, log } from "../../log.server";
import { sendInLane } from "../lane-send.server";
import { takeFromLane } from "../lane-store.server";
import { laneKey } from "../lanes";

export type KlaviyoRead<T> = { ok: true; data: T } | { ok: false; message: string };

// An admin page waits this long at most for its turn in a read lane; past it, the merchant is told.
const MAX_WAIT_MS = 3_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One read of the merchant's Klaviyo for an admin page, in the account's read lane of `kind`
 * (never the events lane, so reading never delays delivery), through the same connection,
 * refresh and retry policy as every send (sendInLane, decide): a 429 pauses the read lane, a
 * server error is retried once, a refused token asks for a reconnect. A missing read scope
 * (403) is said to the merchant and stops nothing else.
 */
export async function readInLane<T>(
  connection: KlaviyoConnection,
  kind: ReadLaneKind,
  call: (klaviyo: KlaviyoApi) => Promise<KlaviyoOutcome<T>>,
  { forbidden = FORBIDDEN_READ, maxWaitMs = MAX_WAIT_MS }: { forbidden?: string; maxWaitMs?: number } = {},
): Promise<KlaviyoRead<T>> {
  try {
    return await readOnce(connection, kind, call, { forbidden, maxWaitMs });
  } catch (error) {
    // A read only adds to an admin page: whatever breaks it (a stored credential that no longer
    // opens, the database), the page still loads and says so instead of failing whole.
    log.warn("klaviyo read failed", { account: connection.accountId, kind, error: errorSummary(error) });
    return { ok: false, message: "Waypost could not read from Klaviyo just now. If this stays, reconnect Klaviyo." };
  }
}

/** The lanes of calls that are not event or profile deliveries: admin-page reads and consent sync. */
type ReadLaneKind = Extract<LaneKind, "metrics" | "aggregates" | "webhooks" | "consent">;

const FORBIDDEN_READ =
  "Klaviyo did not let Waypost read metrics and flows (metrics:read, flows:read). Reconnect Klaviyo to grant them.";

async function readOnce<T>(
  connection: KlaviyoConnection,
  kind: ReadLaneKind,
  call: (klaviyo: KlaviyoApi) => Promise<KlaviyoOutcome<T>>,
  { forbidden, maxWaitMs }: { forbidden: string; maxWaitMs: number },
): Promise<KlaviyoRead<T>> {
  const lane = { key: laneKey(connection.accountId, kind), kind };
  const deadline = Date.now() + maxWaitMs;
  for (let attempts = 0; ;) {
    const { granted, waitMs } = await takeFromLane(lane.key, kind, 1);
    if (granted === 0) {
      if (Date.now() + waitMs > deadline)
        return {
          ok: false,
          message: "Klaviyo's read limit for this account is used up for now; try again in a minute.",
        };
      await sleep(waitMs);
      continue;
    }
    const send = await sendInLane({
      lane,
      connection,
      attempts,
      now: new Date(),
      call,
      forbiddenMeansReconnect: false,
    });
    if (send.held) return { ok: false, message: "Klaviyo needs to be reconnected before Waypost can read from it." };
    const { outcome, decision } = send;
    if (outcome.ok) return { ok: true, data: outcome.data };
    if (decision.kind === "retry" && attempts === 0 && Date.now() + decision.afterMs < deadline) {
      attempts = decision.attempts;
      await sleep(decision.afterMs);
      continue;
    }
    // A 429 paused the lane: the next turn waits for the pause, once, if it ends in time.
    if (decision.kind === "wait_for_lane" && attempts === 0 && Date.now() + decision.pauseMs < deadline) {
      attempts = 1;
      continue;
    }
    if (outcome.kind === "forbidden") return { ok: false, message: forbidden };
    if (decision.kind === "wait_for_lane")
      return { ok: false, message: "Klaviyo asked Waypost to slow down; try again in a minute." };
    return { ok: false, message: `Klaviyo answered HTTP ${outcome.status || "(no answer)"}: ${outcome.detail}` };
  }
}

/** A cached read: what was stored under `key`, if younger than `maxAgeMs`. */
export async function cachedRead<T>(key: string, maxAgeMs: number, now = new Date()) {
  const row = await prisma.klaviyoReadCache.findUnique({ where: { key } });
  if (!row) return undefined;
  return {
    data: JSON.parse(row.body) as T,
    fetchedAt: row.fetchedAt,
    fresh: now.getTime() - row.fetchedAt.getTime() < maxAgeMs,
  };
}

export async function storeRead(key: string, data: unknown, fetchedAt = new Date()) {
  const body = JSON.stringify(data);
  await prisma.klaviyoReadCache.upsert({
    where: { key },
    create: { key, body, fetchedAt },
    update: { body, fetchedAt },
  });
}
