import { createPrismaClient } from "../app/db.server";
import { APP_DATABASE_URL } from "./playwright.config";
import { queueEvents } from "./support/delivery-fixtures";
import { atAdminWidths, expect, test } from "./support/fixtures";

/** Two Delivered events for a fresh shop: #0 dead-lettered (Klaviyo refused it), #1 sent. */
async function seedTwoEvents(shop: string) {
  const prisma = createPrismaClient(APP_DATABASE_URL);
  const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  await queueEvents(prisma, shopId, `smaller-${shop}`, 2, new Date(Date.now() + 3_600_000));
  await prisma.trackingEvent.updateMany({
    where: { shopId, orderName: "#0" },
    data: { status: "dead_lettered", lastError: "Klaviyo refused the event: test refusal", nextAttemptAt: null },
  });
  await prisma.trackingEvent.updateMany({
    where: { shopId, orderName: "#1" },
    data: { status: "sent", sentAt: new Date(), nextAttemptAt: null },
  });
  // Neither is waiting to be sent any more: they leave the ready queue, as the engine's own settle does.
  await prisma.deliveryReady.deleteMany({ where: { shopId } });
  await prisma.$disconnect();
}

atAdminWidths((width) => {
  test("Activity keeps every event's status in view", async ({ page, freshAdmin }, testInfo) => {
    await seedTwoEvents(freshAdmin.shop);
    await freshAdmin.open("/app/activity");
    if (width === 390) {
      // A stacked list instead of a table that would scroll Status off the screen.
      await expect(page.getByRole("table")).toBeHidden();
      const items = page.getByRole("list", { name: "Events" }).getByRole("listitem");
      await expect(items).toHaveCount(2);
      // Scrolled to (the page may be long), the status is on screen: nothing pushes it off to the side.
      const deadLettered = items.filter({ hasText: "#0" }).getByText("Dead-lettered", { exact: true });
      await deadLettered.scrollIntoViewIfNeeded();
      await expect(deadLettered).toBeInViewport();
      await expect(items.filter({ hasText: "#0" })).toContainText("Klaviyo refused the event: test refusal");
      const sent = items.filter({ hasText: "#1" }).getByText("Sent", { exact: true });
      await sent.scrollIntoViewIfNeeded();
      await expect(sent).toBeInViewport();
    } else {
      await expect(page.getByRole("list", { name: "Events" })).toBeHidden();
      await expect(page.getByRole("columnheader", { name: "Status" })).toBeInViewport();
      await expect(page.getByRole("row").filter({ hasText: "#1" }).getByText("Sent", { exact: true })).toBeVisible();
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: testInfo.outputPath(`activity-status-${width}.png`), fullPage: true });
  });

  test("a single Replay confirms with its toast", async ({ page, freshAdmin }, testInfo) => {
    await seedTwoEvents(freshAdmin.shop);
    await freshAdmin.open("/app/activity");
    const replay = page.getByRole("button", { name: "Replay Delivered for #0", exact: true });
    await expect(replay).toHaveText("Replay");
    await replay.click();
    await expect(page.getByRole("status").getByText("1 event queued to send again")).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`single-replay-toast-${width}.png`) });
  });

  test("Go Live while Klaviyo is not connected says what will happen and leads to Integrations", async ({
    page,
    freshAdmin,
  }, testInfo) => {
    await freshAdmin.open("/app/track-settings");
    const warning = page.getByText("Klaviyo is not connected yet", { exact: true });
    await expect(warning).toHaveCount(0);
    await page.getByRole("checkbox", { name: "Go Live", exact: true }).check();
    await expect(warning).toBeVisible();
    await expect(page.getByText(/sends none until Klaviyo is connected/)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`go-live-not-connected-${width}.png`), fullPage: true });
    await page.getByRole("region", { name: "Unsaved changes" }).getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").getByText("Settings saved.")).toBeVisible();
    await page.getByRole("link", { name: "Connect Klaviyo", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
  });
});
