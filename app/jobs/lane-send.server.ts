import type { KlaviyoConnection } from "@prisma/client";
import type { LaneKind } from "../config/lane-limits";
import type { KlaviyoApi } from "../klaviyo/api-client.server";
import { markNeedsReconnect } from "../klaviyo/connection-store.server";
import { klaviyoFor } from "../klaviyo/klaviyo-config.server";
import type { KlaviyoOutcome } from "../klaviyo/outcome";
import { refreshConnection, usableConnection } from "../klaviyo/token-refresh.server";
import { pauseLaneFor } from "./lane-store.server";
import { decide, type Decision } from "./retry-policy";

export type LaneSend<T> =
  | { held: true }
  | { held: false; outcome: KlaviyoOutcome<T>; decision: Decision; connection: KlaviyoConnection; answeredAt: Date };

/**
 * One call to Klaviyo in a lane, the same for every sender (events, bulk, profiles, test events):
 * with a connection that works (an OAuth token about to expire is refreshed first; `held` while
 * it needs a reconnect), then what the answer means (decide) and what that asks of the lane and
 * the connection. Sends were taken from the lane by the caller; what becomes of the thing sent is
 * the caller's, from the decision. `now` is when the call goes out; `answeredAt` is when its
 * answer arrived, on the same clock: a 429's Retry-After counts from then (`pause`, by default
 * on the lane's shared row; a lane's owner keeps it in memory too).
 */
export async function sendInLane<T>({
  lane,
  connection,
  attempts,
  now,
  call,
  pause = (pauseMs, arrivedAt) => pauseLaneFor(lane.key, lane.kind, pauseMs, arrivedAt.getTime()),
  forbiddenMeansReconnect = true,
}: {
  lane: { key: string; kind: LaneKind };
  connection: KlaviyoConnection;
  attempts: number;
  now: Date;
  call: (klaviyo: KlaviyoApi) => Promise<KlaviyoOutcome<T>>;
  pause?: (pauseMs: number, arrivedAt: Date) => Promise<void>;
  /**
   * A 403 to a read (a scope the connection lacks for metrics or flows) says nothing about
   * sending events, so a read passes false: the merchant is told, delivery goes on.
   */
  forbiddenMeansReconnect?: boolean;
}): Promise<LaneSend<T>> {
  const sentAt = Date.now();
  const usable = await usableConnection(connection, now);
  if (!usable) return { held: true };
  const outcome = await call(klaviyoFor(usable));
  const answeredAt = new Date(now.getTime() + (Date.now() - sentAt));
  const decision = decide(outcome, { attempts, method: usable.method });
  // A 429 for one process is a 429 for all: the whole lane waits as told, from the 429's arrival.
  if (decision.kind === "wait_for_lane") await pause(decision.pauseMs, answeredAt);
  if (
    decision.kind === "refresh_then_hold" &&
    (forbiddenMeansReconnect || outcome.ok || outcome.kind !== "forbidden")
  ) {
    // Refresh once, and only then ask the merchant; what was sent waits for the reconnect.
    const refreshed = decision.refreshFirst && (await refreshConnection(usable, now)) === "refreshed";
    if (!refreshed)
      await markNeedsReconnect(
        usable.id,
        "Klaviyo refused Waypost's access. Reconnect Klaviyo to resume sending events.",
      );
  }
  return { held: false, outcome, decision, connection: usable, answeredAt };
}
