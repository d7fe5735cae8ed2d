import { randomBytes } from "node:crypto";
import { prisma } from "../../db.server";
import { env } from "../../env.server";
import { sealWebhookSecret } from "../../klaviyo/consent-changes.server";
import { consentWebhookBody } from "../../klaviyo/consent-webhooks";
import { klaviyoConnectionOf } from "../../klaviyo/connection-store.server";
import { errorSummary, log } from "../../log.server";
import { readInLane } from "../klaviyo-reads/read-in-lane.server";

export interface ConsentSyncView {
  enabled: boolean;
  mode: "webhook" | "poll";
  /** Why unsubscribes are polled rather than delivered (a private key, a refused registration). */
  modeReason: string | null;
  polledAt: Date | null;
  pollError: string | null;
}

// The Webhooks API allows 15 calls a minute: a merchant's on or off may wait for its turn this long.
const WEBHOOKS_WAIT_MS = 10_000;

export const POLL_BECAUSE_PRIVATE_KEY =
  "Connected with a private API key: Klaviyo offers webhooks only to OAuth apps, so Waypost reads unsubscribes every 5 minutes.";

/** The shop's consent sync as Track Settings shows it; off when never chosen. */
export async function consentSyncFor(shopId: string): Promise<ConsentSyncView> {
  const sync = await prisma.consentSync.findUnique({ where: { shopId } });
  return {
    enabled: sync?.enabled ?? false,
    mode: sync?.mode === "webhook" ? "webhook" : "poll",
    modeReason: sync?.modeReason ?? null,
    polledAt: sync?.polledAt ?? null,
    pollError: sync?.pollError ?? null,
  };
}

/**
 * Turns consent sync on or off. On: with an OAuth connection Waypost registers a Klaviyo webhook
 * for the consent topics (its own secret, sealed); with a private key, or when Klaviyo refuses
 * (plan, scope), it polls, and says why. The poll starts from the moment it was turned on, so
 * nothing from before the merchant's choice is changed in Shopify. Off: the webhook is deleted.
 */
export async function setConsentSync(shopId: string, enabled: boolean, now = new Date()): Promise<ConsentSyncView> {
  const existing = await prisma.consentSync.findUnique({ where: { shopId } });
  if (!enabled) {
    if (existing?.klaviyoWebhookId) await deleteWebhook(shopId, existing.klaviyoWebhookId);
    await prisma.consentSync.upsert({
      where: { shopId },
      create: { shopId, enabled: false },
      update: { enabled: false, klaviyoWebhookId: null, sealedWebhookSecret: null },
    });
    return consentSyncFor(shopId);
  }
  if (existing?.enabled) return consentSyncFor(shopId);
  const delivery = await registerWebhook(shopId);
  const data = {
    enabled: true,
    enabledAt: now,
    pollCursor: now,
    pollError: null,
    ...(delivery.ok
      ? {
          mode: "webhook",
          modeReason: null,
          klaviyoWebhookId: delivery.webhookId,
          sealedWebhookSecret: delivery.sealed,
        }
      : { mode: "poll", modeReason: delivery.reason, klaviyoWebhookId: null, sealedWebhookSecret: null }),
  };
  await prisma.consentSync.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
  return consentSyncFor(shopId);
}

async function registerWebhook(
  shopId: string,
): Promise<{ ok: true; webhookId: string; sealed: string } | { ok: false; reason: string }> {
  const connection = await klaviyoConnectionOf(shopId);
  if (!connection || connection.status !== "connected")
    return { ok: false, reason: "Klaviyo is not connected; unsubscribes are read once it is." };
  if (connection.method !== "oauth") return { ok: false, reason: POLL_BECAUSE_PRIVATE_KEY };
  const secret = randomBytes(32).toString("hex");
  const created = await readInLane(
    connection,
    "webhooks",
    (klaviyo) => klaviyo.createWebhook(consentWebhookBody(`${env.appUrl}/klaviyo/webhooks`, secret)),
    {
      forbidden: "Klaviyo did not let Waypost register a webhook (webhooks:write, or the account's plan).",
      maxWaitMs: WEBHOOKS_WAIT_MS,
    },
  );
  const webhookId = created.ok ? created.data?.data?.id : undefined;
  if (!webhookId) {
    const reason = created.ok ? "Klaviyo answered without a webhook id" : created.message;
    log.warn("consent webhook not registered", { shopId, reason });
    return { ok: false, reason: `${reason} Waypost reads unsubscribes every 5 minutes instead.` };
  }
  return { ok: true, webhookId, sealed: sealWebhookSecret(shopId, secret) };
}

async function deleteWebhook(shopId: string, webhookId: string) {
  const connection = await klaviyoConnectionOf(shopId);
  if (!connection || connection.status !== "connected") return;
  // Best effort: a webhook left behind is refused at our door once its row is gone.
  const deleted = await readInLane(connection, "webhooks", (klaviyo) => klaviyo.deleteWebhook(webhookId), {
    maxWaitMs: WEBHOOKS_WAIT_MS,
  }).catch((error: unknown) => ({ ok: false as const, message: errorSummary(error) }));
  if (!deleted.ok) log.warn("consent webhook not deleted", { shopId, webhookId, reason: deleted.message });
}
