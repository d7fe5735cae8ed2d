import { prisma } from "../db.server";
import { forgetKlaviyoConnection } from "../klaviyo/connection.server";
import { uninstallShop } from "../platform/app-lifecycle.server";
import { redactCustomer, type CustomerRequest } from "../platform/compliance.server";
import { forgetCustomerTracking } from "../tracking/tracking-store.server";
import { EVENT_STATUS } from "../tracking/event-status";
import { ACTIVE, endImports } from "./backfill/commands.server";
import { CANCEL_REASONS, cancelQueued, cancelQueuedStatements } from "./event-queue/cancel.server";
import { eraseEventsOfOrders } from "./event-queue/prune.server";
import { whereIn } from "./event-queue/selection";
import { forgetProfiles } from "./profile-sync.server";
import { forgetStorefrontVisitors } from "./storefront-recorder.server";

// What stops, and what is forgotten, when a merchant disconnects Klaviyo or uninstalls, or a
// customer asks to be forgotten: each stage forgets its own records, here in one place.

/** Disconnects Klaviyo: the connection goes, and with it the shop's queued events and any running import. */
export function disconnectKlaviyo(shopId: string) {
  return forgetKlaviyoConnection(shopId, {
    alsoStop: [
      ...cancelQueuedStatements({ shopId }, CANCEL_REASONS.disconnected),
      endImports(shopId, "Klaviyo was disconnected"),
    ],
  });
}

/** What disconnecting would stop right now (the same selections as disconnectKlaviyo), for the merchant to read first. */
export async function disconnectConsequences(shopId: string) {
  const [queuedEvents, activeImports] = await Promise.all([
    prisma.trackingEvent.count({ where: whereIn(EVENT_STATUS.queued, { shopId }) }),
    prisma.backfill.count({ where: { shopId, status: { in: ACTIVE } } }),
  ]);
  return { queuedEvents, importRunning: activeImports > 0 };
}

/**
 * app/uninstalled: Shopify's access goes, the shop's queued events are cancelled, and its Klaviyo
 * tokens go with its Shopify ones.
 */
export async function uninstall(shopDomain: string) {
  const shopId = await uninstallShop(shopDomain);
  if (!shopId) return;
  await cancelQueued({ shopId }, CANCEL_REASONS.uninstalled);
  await disconnectKlaviyo(shopId);
}

/**
 * customers/redact: the webhooks, events, orders, shipments, profile updates, consent changes and
 * storefront browsers that name the customer.
 */
export function eraseCustomer(request: CustomerRequest) {
  return redactCustomer(request, ({ shopId, orderIds, identities }) => [
    eraseEventsOfOrders(shopId, orderIds, identities),
    ...forgetCustomerTracking(shopId, orderIds, identities),
    forgetProfiles(shopId, identities),
    prisma.consentChange.deleteMany({
      where: { shopId, OR: [{ email: { in: identities } }, { phone: { in: identities } }] },
    }),
    forgetStorefrontVisitors(shopId, identities),
  ]);
}
