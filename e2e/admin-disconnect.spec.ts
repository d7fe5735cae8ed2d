import type { Page } from "@playwright/test";
import { CANCEL_REASONS } from "../app/jobs/event-queue/cancel.server";
import { queueEvents } from "./support/delivery-fixtures";
import { atAdminWidths, expect, type FreshShop, test } from "./support/fixtures";

const QUEUED = 345;

/** A connected shop with an import paused halfway and QUEUED events waiting (not yet due, so no worker sends them). */
async function seedBusyShop({ id: shopId, db, connectKlaviyo }: FreshShop) {
  await connectKlaviyo({ accountName: "Busy Klaviyo" });
  await db.backfill.create({
    data: { shopId, activeShopId: shopId, status: "paused", windowDays: 30, triggerFlows: false, since: new Date() },
  });
  await queueEvents(db, shopId, `busy-${shopId}`, QUEUED, new Date(Date.now() + 3_600_000));
}

async function afterwards({ id: shopId, db }: FreshShop) {
  const [cancelled, queued, backfill] = await Promise.all([
    db.trackingEvent.count({ where: { shopId, status: "cancelled", skipReason: CANCEL_REASONS.disconnected } }),
    db.trackingEvent.count({ where: { shopId, status: "queued" } }),
    db.backfill.findFirstOrThrow({ where: { shopId } }),
  ]);
  return { cancelled, queued, importStatus: backfill.status };
}

const focusIsInside = (page: Page, selector: string) =>
  page.evaluate((inside) => Boolean(document.activeElement?.closest(inside)), selector);

atAdminWidths((width) => {
  test("Disconnect asks in a modal that states the running import and the queued events it cancels", async ({
    page,
    freshAdmin,
    freshShop,
  }, testInfo) => {
    await seedBusyShop(freshShop);
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
    expect(await afterwards(freshShop)).toEqual({ cancelled: 0, queued: QUEUED, importStatus: "paused" });

    await disconnect.click();
    await dialog.getByRole("button", { name: "Disconnect Klaviyo" }).click();
    await expect(page.getByRole("status").getByText("Klaviyo disconnected")).toBeVisible();
    await expect(page.getByRole("region", { name: "Klaviyo integration" }).getByText("Not connected")).toBeVisible();
    await expect.poll(() => focusIsInside(page, 'section[aria-label="Klaviyo integration"]')).toBe(true);
    // What the modal said is what happened.
    expect(await afterwards(freshShop)).toEqual({ cancelled: QUEUED, queued: 0, importStatus: "cancelled" });
    await page.screenshot({ path: testInfo.outputPath(`disconnected-${width}.png`), fullPage: true });
  });
});

test("with nothing waiting, the modal says nothing is cancelled", async ({ page, freshAdmin, freshShop }) => {
  await freshShop.connectKlaviyo({ accountName: "Idle Klaviyo" });
  await freshAdmin.open("/app/integrations");
  await page.getByRole("button", { name: "Disconnect", exact: true }).click();
  await expect(page.getByRole("dialog").getByRole("listitem")).toHaveText([
    "No events are waiting to be sent, so none are cancelled.",
  ]);
});
