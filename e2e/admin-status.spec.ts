import type { Page } from "@playwright/test";
import { atAdminWidths, expect, test } from "./support/fixtures";

const setupStep = (page: Page, label: string) => page.getByRole("listitem").filter({ hasText: label });
const reconnectBanner = (page: Page) => page.getByText("Klaviyo needs to be reconnected", { exact: true });

atAdminWidths((width) => {
  test("needs reconnect reads the same on the Dashboard, its setup steps, Account Settings and Integrations", async ({
    page,
    freshAdmin,
    freshShop,
  }, testInfo) => {
    await freshShop.connectKlaviyo({
      status: "needs_reconnect",
      statusReason: "Klaviyo answered 401: the private key was revoked.",
    });

    await freshAdmin.open("/app");
    await expect(page.getByText("Needs reconnect", { exact: true })).toBeVisible();
    await expect(page.getByText("Not connected", { exact: true })).toHaveCount(0);
    await expect(setupStep(page, "Reconnect Klaviyo")).toContainText("Action needed");
    // The account and the chosen events are still there: only the connection step asks for action.
    await expect(setupStep(page, "Choose the events to send")).toContainText("Done");
    await expect(reconnectBanner(page)).toHaveCount(1);
    await page.screenshot({ path: testInfo.outputPath(`dashboard-needs-reconnect-${width}.png`), fullPage: true });

    await freshAdmin.open("/app/account-settings");
    await expect(page.getByText("Needs reconnect", { exact: true })).toBeVisible();

    await freshAdmin.open("/app/integrations");
    await expect(page.getByText("Needs reconnect", { exact: true })).toBeVisible();
    await expect(page.getByText("Klaviyo answered 401: the private key was revoked.", { exact: false })).toBeVisible();
    // One banner, the card's: the layout's would repeat it.
    await expect(reconnectBanner(page)).toHaveCount(1);
    await page.screenshot({ path: testInfo.outputPath(`integrations-needs-reconnect-${width}.png`), fullPage: true });

    await freshAdmin.open("/app/track-settings");
    await expect(reconnectBanner(page)).toHaveCount(1);
  });

  test("connected and not connected read the same on the Dashboard and Integrations", async ({
    page,
    freshAdmin,
    freshShop,
  }) => {
    await freshAdmin.open("/app");
    await expect(page.getByText("Not connected", { exact: true })).toBeVisible();
    await expect(setupStep(page, "Connect Klaviyo")).toContainText("To do");
    await freshAdmin.open("/app/integrations");
    await expect(page.getByText("Not connected", { exact: true })).toBeVisible();

    await freshShop.connectKlaviyo();
    await freshAdmin.open("/app");
    await expect(page.getByText("Connected", { exact: true })).toBeVisible();
    await expect(setupStep(page, "Connect Klaviyo")).toContainText("Done");
    await expect(reconnectBanner(page)).toHaveCount(0);
    await freshAdmin.open("/app/integrations");
    await expect(page.getByText("Connected", { exact: true })).toBeVisible();
  });
});
