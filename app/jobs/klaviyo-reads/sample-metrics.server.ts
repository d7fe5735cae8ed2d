import type { Shop } from "@prisma/client";
import { eventKlaviyoFacts, klaviyoWebLinks } from "../../klaviyo/account-metrics";
import { klaviyoConnectionOf } from "../../klaviyo/connection-store.server";
import { bulkCreateEventsBody } from "../../klaviyo/event-payload";
import { klaviyoWebOrigin } from "../../klaviyo/klaviyo-config.server";
import { trackSettingsFor } from "../../settings/track-settings.server";
import { sendInLane } from "../lane-send.server";
import { takeFromLane } from "../lane-store.server";
import { laneKey } from "../lanes";
import { samplePayload } from "../test-event.server";
import { accountMetrics } from "./account-metrics.server";
import type { SampleMetricsResult } from "./sample-metrics-result";

/**
 * "Create these metrics in Klaviyo": a merchant cannot build a flow on a metric Klaviyo has never
 * seen, so one sample of each enabled event goes to Klaviyo for a test profile the merchant names,
 * in one Bulk Create Events request with `backfill: true` (recorded, and no flow sends anything),
 * in the account's bulk lane. Then Get Metrics says which of them Klaviyo now has.
 */
export async function createMetricsInKlaviyo(
  shop: Shop,
  email: string,
  now = new Date(),
): Promise<SampleMetricsResult> {
  const connection = await klaviyoConnectionOf(shop.id);
  if (!connection) return { ok: false, message: "Connect Klaviyo first, on the Integrations page." };
  if (connection.status !== "connected")
    return { ok: false, message: "Klaviyo needs to be reconnected before it can receive events." };
  const enabled = (await trackSettingsFor(shop.id)).events.filter((event) => event.enabled);
  if (!enabled.length) return { ok: false, message: "Turn on at least one event and save first." };

  const payloads = enabled.flatMap(
    (event) =>
      samplePayload(shop, event.key, email, {
        uniqueId: `waypost-sample:${shop.id}:${event.key}:${now.getTime()}`,
        happenedAt: now,
        backfill: true,
      }) ?? [],
  );
  if (!payloads.length) return { ok: false, message: "That email address cannot receive Klaviyo events." };

  const lane = laneKey(connection.accountId, "bulk");
  const { granted, waitMs } = await takeFromLane(lane, "bulk", 1, now.getTime());
  if (granted === 0)
    return {
      ok: false,
      message: `Your Klaviyo account is at its rate limit; try again in ${Math.ceil(waitMs / 1000)} s.`,
    };
  const send = await sendInLane({
    lane: { key: lane, kind: "bulk" },
    connection,
    attempts: 0,
    now,
    call: (klaviyo) => klaviyo.bulkCreateEvents(bulkCreateEventsBody(payloads).body),
  });
  if (send.held) return { ok: false, message: "Klaviyo needs to be reconnected before it can receive events." };
  if (!send.outcome.ok)
    return { ok: false, message: `Klaviyo answered HTTP ${send.outcome.status}: ${send.outcome.detail}` };

  // Klaviyo files events a moment after accepting them: a metric not listed yet shows up on a later look.
  const { metrics } = await accountMetrics(send.connection, { refresh: true });
  const links = klaviyoWebLinks(klaviyoWebOrigin());
  return {
    ok: true,
    email,
    sent: payloads.length,
    metrics: enabled.map((event) => ({
      metric: event.metric,
      present: Boolean(metrics && eventKlaviyoFacts(event.metric, metrics, links).metricPresent),
    })),
  };
}
