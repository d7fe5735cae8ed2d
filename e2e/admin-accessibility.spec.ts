import type { Page } from "@playwright/test";
import { createPrismaClient } from "../app/db.server";
import { APP_DATABASE_URL } from "./playwright.config";
import { expectNoAxeViolations } from "./support/accessibility";
import { queueEvents } from "./support/delivery-fixtures";
import { atAdminWidths, type EmbeddedAdmin, expect, test } from "./support/fixtures";

// axe-core on every admin page, in each state a merchant meets it, at both widths: 0 violations.

async function withShop<T>(
  shop: string,
  work: (prisma: ReturnType<typeof createPrismaClient>, shopId: string) => Promise<T>,
) {
  const prisma = createPrismaClient(APP_DATABASE_URL);
  try {
    const { id } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    return await work(prisma, id);
  } finally {
    await prisma.$disconnect();
  }
}

const connect = (shop: string, status: "connected" | "needs_reconnect") =>
  withShop(shop, (prisma, shopId) =>
    prisma.klaviyoConnection.create({
      data: {
        shopId,
        method: "private_key",
        accountId: "KAXE1",
        accountName: "Axe Klaviyo",
        sealedAccessToken: "sealed-but-never-opened-by-these-pages",
        status,
        statusReason: status === "needs_reconnect" ? "Klaviyo answered 401." : null,
      },
    }),
  );

/** A sent, a skipped and a dead-lettered event; returns their ids. */
const seedEvents = (shop: string) =>
  withShop(shop, async (prisma, shopId) => {
    await queueEvents(prisma, shopId, `axe-${shop}`, 3, new Date(Date.now() + 3_600_000));
    const states = [
      { status: "sent", sentAt: new Date() },
      { status: "skipped", skipReason: "Go Live is off" },
      { status: "dead_lettered", lastError: "Klaviyo refused the event: test refusal" },
    ];
    for (const [index, data] of states.entries())
      await prisma.trackingEvent.updateMany({
        where: { shopId, orderName: `#${index}` },
        data: { ...data, nextAttemptAt: null },
      });
    const events = await prisma.trackingEvent.findMany({ where: { shopId }, orderBy: { orderName: "asc" } });
    return events.map((event) => event.id);
  });

async function check(
  page: Page,
  admin: EmbeddedAdmin,
  path: string,
  heading: string,
  testInfo: Parameters<typeof expectNoAxeViolations>[1],
  state: string,
) {
  await admin.open(path);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  // The chart draws after hydration: wait for it, so axe sees what the merchant sees.
  if (path === "/app") await expect(page.getByTestId("delivery-health-chart").locator("svg").first()).toBeVisible();
  await expectNoAxeViolations(page, testInfo, state);
}

atAdminWidths((width) => {
  test("a new shop: every page, nothing connected, nothing received", async ({ page, freshAdmin }, testInfo) => {
    test.setTimeout(120_000);
    for (const [path, heading] of [
      ["/app", "Dashboard"],
      ["/app/track-settings", "Track Settings"],
      ["/app/activity", "Activity"],
      ["/app/activity?status=dead_lettered", "Activity"],
      ["/app/account-settings", "Account Settings"],
      ["/app/integrations", "Integrations"],
      ["/app/help", "Help"],
    ])
      await check(page, freshAdmin, path, heading, testInfo, `new-${path}-${width}`);

    // Unsaved changes: the save bar, then the question before leaving.
    await freshAdmin.open("/app/track-settings");
    await page.getByRole("checkbox", { name: "Go Live", exact: true }).check();
    await expect(page.getByRole("region", { name: "Unsaved changes" })).toBeVisible();
    await expectNoAxeViolations(page, testInfo, `track-settings-dirty-${width}`);
    await page.getByRole("link", { name: "choosing events and Go Live" }).click();
    await expect(page.getByText("Leaving this page discards all unsaved changes.")).toBeVisible();
    await expectNoAxeViolations(page, testInfo, `track-settings-leave-${width}`);
  });

  test("a connected shop with events: every page, the event details and the modals", async ({
    page,
    freshAdmin,
  }, testInfo) => {
    test.setTimeout(120_000);
    await connect(freshAdmin.shop, "connected");
    const [sent, skipped, deadLettered] = await seedEvents(freshAdmin.shop);
    for (const [path, heading] of [
      ["/app", "Dashboard"],
      ["/app/track-settings", "Track Settings"],
      ["/app/activity", "Activity"],
      ["/app/integrations", "Integrations"],
      [`/app/activity/${sent}`, "Delivered"],
      [`/app/activity/${skipped}`, "Delivered"],
      [`/app/activity/${deadLettered}`, "Delivered"],
    ])
      await check(page, freshAdmin, path, heading, testInfo, `connected-${path.replace(/[^a-z]+/g, "-")}-${width}`);

    await freshAdmin.open("/app/activity");
    await page.getByRole("button", { name: /^Replay \d+$/ }).click();
    await expect(page.getByRole("dialog").getByText(/^They go to Klaviyo again/)).toBeVisible();
    await expectNoAxeViolations(page, testInfo, `replay-all-modal-${width}`);

    await freshAdmin.open("/app/integrations");
    await page.getByRole("button", { name: "Disconnect", exact: true }).click();
    await expect(page.getByRole("dialog").getByText(/^Waypost stops sending events/)).toBeVisible();
    await expectNoAxeViolations(page, testInfo, `disconnect-modal-${width}`);
  });

  test("a shop whose Klaviyo needs reconnecting", async ({ page, freshAdmin }, testInfo) => {
    await connect(freshAdmin.shop, "needs_reconnect");
    for (const [path, heading] of [
      ["/app", "Dashboard"],
      ["/app/integrations", "Integrations"],
      ["/app/track-settings", "Track Settings"],
    ])
      await check(page, freshAdmin, path, heading, testInfo, `reconnect-${path}-${width}`);
  });
});
