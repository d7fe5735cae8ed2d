import { beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../../e2e/support/admin-session";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { prisma } from "../db.server";
import { updateGrantedScopes } from "../platform/app-lifecycle.server";
import * as trackSettings from "./app.track-settings";

// Track Settings' store-credit toggle (issue #19 item 5); what it sends is proven in
// app/jobs/store-credit.integration.test.ts. Runs on SQLite and on PostgreSQL.
useKlaviyoDouble();

beforeEach(resetDatabase);

describe("the store-credit toggle in Track Settings", () => {
  const settingsOf = async (shop: string) =>
    (
      (await (
        await trackSettings.loader({
          request: await adminRequest(shop, "/app/track-settings"),
          params: {},
          context: {},
        })
      ).json()) as { storeCredit: { enabled: boolean; scopeGranted: boolean } }
    ).storeCredit;
  const toggle = async (shop: string, enabled: string) =>
    trackSettings.action({
      request: await adminRequest(shop, "/app/track-settings", { intent: "store_credit", enabled }),
      params: {},
      context: {},
    });

  it("is off until the merchant turns it on, says when the scope is not granted, and refuses what it cannot read", async () => {
    const shop = await seedShop({ connected: true });
    expect(await settingsOf(shop.domain)).toEqual({ enabled: false, scopeGranted: false });

    expect((await toggle(shop.domain, "on")).status).toBe(200);
    expect(await settingsOf(shop.domain)).toEqual({ enabled: true, scopeGranted: false });
    const turnedOnAt = (await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).storeCreditSyncOnAt;
    await toggle(shop.domain, "on");
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).storeCreditSyncOnAt).toEqual(turnedOnAt);

    expect((await toggle(shop.domain, "maybe")).status).toBe(400);
    expect(await settingsOf(shop.domain)).toEqual({ enabled: true, scopeGranted: false });

    // app/scopes_update keeps the granted scopes current: the note goes once the merchant grants it.
    await updateGrantedScopes(shop.domain, ["read_orders", "read_store_credit_accounts"]);
    expect(await settingsOf(shop.domain)).toEqual({ enabled: true, scopeGranted: true });

    await toggle(shop.domain, "off");
    expect(await settingsOf(shop.domain)).toEqual({ enabled: false, scopeGranted: true });
  });
});
