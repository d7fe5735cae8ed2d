import { randomUUID } from "node:crypto";
import { env } from "../env.server";
import { at, join, queryRows, sql } from "../db/sql.server";
import { openSecret, sealSecret } from "../sealed-secret";
import { notifyWork } from "../work-signal.server";
import type { ReportedUnsubscribe } from "./consent-webhooks";

/** How an unsubscribe reached Waypost. */
export type ConsentSource = "webhook" | "poll";

/**
 * Keeps each reported unsubscribe once per shop and Klaviyo event id, in one statement: a
 * delivery Klaviyo sends again, or an event both the webhook and the poll saw, inserts nothing.
 * Returns how many were new; the consent worker takes them from here.
 */
export async function recordUnsubscribes(shopId: string, source: ConsentSource, unsubscribes: ReportedUnsubscribe[]) {
  if (!unsubscribes.length) return 0;
  const receivedAt = new Date();
  const rows = unsubscribes.map(
    (change) =>
      sql`(${randomUUID()}, ${shopId}, ${change.klaviyoEventId}, ${source}, ${change.channel}, ${change.klaviyoProfileId},
        ${change.email?.toLowerCase() ?? null}, ${change.phone}, ${at(change.occurredAt)}, ${at(receivedAt)}, 'pending', 0)`,
  );
  const inserted = await queryRows<{ id: string }>(sql`
    INSERT INTO "ConsentChange" ("id", "shopId", "klaviyoEventId", "source", "channel", "klaviyoProfileId",
      "email", "phone", "occurredAt", "receivedAt", "status", "attempts")
    VALUES ${join(rows)}
    ON CONFLICT ("shopId", "klaviyoEventId") DO NOTHING
    RETURNING "id"`);
  if (inserted.length) notifyWork("consent");
  return inserted.length;
}

// A webhook's secret is sealed for its shop: a row moved to another shop cannot be opened.
export const sealWebhookSecret = (shopId: string, secret: string) =>
  sealSecret(secret, env.encryptionKey, `klaviyo-webhook:${shopId}`);
export const openWebhookSecret = (shopId: string, sealed: string) =>
  openSecret(sealed, env.encryptionKey, `klaviyo-webhook:${shopId}`);
