import type { Page } from "@playwright/test";
import { createPrismaClient } from "../app/db.server";
import { CANCEL_REASONS } from "../app/jobs/event-queue/cancel.server";
import { APP_DATABASE_URL } from "./playwright.config";
import { queueEvents } from "./support/delivery-fixtures";
import { expect, test } from "./support/fixtures";

const QUEUED = 345;

/** A connected shop with an import paused halfway and QUEUED events waiting (not yet due, so no worker sends them). */
async function seedBusyShop(shop: string) {
  const prisma = createPrismaClient(APP_DATABASE_URL);
  const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  await prisma.klaviyoConnection.create({
    data: {
      shopId,
      method: "private_key",
      accountId: "KBUSY1",
      accountName: "Busy Klaviyo",
      sealedAccessToken: "sealed-but-never-opened-by-this-test",
    },
  });
  await prisma.backfill.create({
    data: { shopId, activeShopId: shopId, status: "paused", windowDays: 30, triggerFlows: false, since: new Date() },
  });
  await queueEvents(prisma, shopId, `busy-${shop}`, QUEUED, new Date(Date.now() + 3_600_000));
  await prisma.$disconnect();
  return shopId;
}

async function afterwards(shopId: string) {
  const prisma = createPrismaClient(APP_DATABASE_URL);
  const [cancelled, queued, backfill] = await Promise.all([
    prisma.trackingEvent.count({ where: { shopId, status: "cancelled", skipReason: CANCEL_REASONS.disconnected } }),
    prisma.trackingEvent.count({ where: { shopId, status: "queued" } }),
    prisma.backfill.findFirstOrThrow({ where: { shopId } }),
  ]);
  await prisma.$disconnect();
  return { cancelled, queued, importStatus: backfill.status };
}

const focusIsInside = (page: Page, selector: string) =>
  page.evaluate((inside) => Boolean(document.activeElement?.closest(inside)), selector);

for (const [width, height] of [
  [1280, 900],
  [390, 844],
] as const) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height } });

    test("Disconnect asks in a modal that states the running import and the queued events it cancels", async ({
      page,
      freshAdmin,
    }, testInfo) => {
      const shopId = await seedBusyShop(freshAdmin.shop);
      await freshAdmin.open("/app/integrations");
      const disconnect = page.getByRole("button", { name: "Disconnect", exact: true });

      // By keyboard: the modal takes the focus, and gives it back to Disconnect when cancelled.
      await disconnect.focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "Disconnect Klaviyo?" });
      const consequences = dialog.getByRole("listitem");
      await expect(consequences).toHaveText([
        "The order history import in progress is cancelled.",
        `${QUEUED} queued events are cancelled and won't be sent after you reconnect.`,
      ]);
      await expect(dialog.getByText("Waypost stops sending events to Busy Klaviyo at once.")).toBeVisible();
      await expect.poll(() => focusIsInside(page, '[role="dialog"]')).toBe(true);
      await page.screenshot({ path: testInfo.outputPath(`disconnect-modal-${width}.png`) });
      await page.keyboard.press("Escape");
      await expect(consequences).toHaveCount(0);
      await expect(disconnect).toBeFocused();
      expect(await afterwards(shopId)).toEqual({ cancelled: 0, queued: QUEUED, importStatus: "paused" });

      await disconnect.click();
      await dialog.getByRole("button", { name: "Disconnect Klaviyo" }).click();
      await expect(page.getByRole("status").getByText("Klaviyo disconnected")).toBeVisible();
      await expect(page.getByRole("region", { name: "Klaviyo integration" }).getByText("Not connected")).toBeVisible();
      await expect.poll(() => focusIsInside(page, 'section[aria-label="Klaviyo integration"]')).toBe(true);
      // What the modal said is what happened.
      expect(await afterwards(shopId)).toEqual({ cancelled: QUEUED, queued: 0, importStatus: "cancelled" });
      await page.screenshot({ path: testInfo.outputPath(`disconnected-${width}.png`), fullPage: true });
    });
  });
}

test("with nothing waiting, the modal says nothing is cancelled", async ({ page, freshAdmin }) => {
  const prisma = createPrismaClient(APP_DATABASE_URL);
  const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: freshAdmin.shop } });
  await prisma.klaviyoConnection.create({
    data: { shopId, method: "private_key", accountId: "KIDLE1", accountName: "Idle Klaviyo", sealedAccessToken: "x" },
  });
  await prisma.$disconnect();
  await freshAdmin.open("/app/integrations");
  await page.getByRole("button", { name: "Disconnect", exact: true }).click();
  await expect(page.getByRole("dialog").getByRole("listitem")).toHaveText([
    "No events are waiting to be sent, so none are cancelled.",
  ]);
});
