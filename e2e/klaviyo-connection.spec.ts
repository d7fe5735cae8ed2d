import type { Page } from "@playwright/test";
import { DEFAULT_ACCOUNTS } from "../app/demo/doubles/klaviyo/server";
import { expect, test, type DemoAdmin } from "./support/fixtures";

// The demo server talks to its own Klaviyo double on the next port.
const EXACT_MESSAGE = "Connect Klaviyo in Account Settings > Integrations to configure these events";

const klaviyoCard = (page: Page) => page.getByRole("region", { name: "Klaviyo integration" });
const doubleState = async (page: Page, demo: DemoAdmin) =>
  (await page.request.get(`${demo.double}/_double/state`)).json();

test.describe.configure({ mode: "serial" });

test("connecting with Allow lands back on Integrations with a success message, and the event toggles come alive", async ({
  page,
  demoAdmin,
}, testInfo) => {
  await demoAdmin.open("/app/integrations");
  await expect(klaviyoCard(page).getByText("Not connected", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Connect", exact: true }).click();

  await expect(page.getByRole("heading", { name: "Allow Waypost to access Waypost Demo Klaviyo?" })).toBeVisible();
  for (const scope of [
    "events:write",
    "profiles:write",
    "accounts:read",
    "campaigns:read",
    "flows:read",
    "metrics:read",
  ]) {
    await expect(page.getByRole("listitem").filter({ hasText: scope })).toBeVisible();
  }
  await page.screenshot({ path: testInfo.outputPath("klaviyo-consent.png") });
  await page.getByRole("button", { name: "Allow" }).click();

  await expect(
    page.getByText("Klaviyo is connected. Turn on Go Live in Track Settings to start sending events."),
  ).toBeVisible();
  await expect(klaviyoCard(page).getByText("Connected", { exact: true })).toBeVisible();
  await expect(page.getByText("Connected to Waypost Demo Klaviyo (KDEMO1) with Klaviyo sign-in.")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("integrations-connected.png"), fullPage: true });

  await page.getByRole("navigation", { name: "Waypost" }).getByRole("link", { name: "Track Settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Track Settings" })).toBeVisible();
  await expect(page.getByText(EXACT_MESSAGE)).toHaveCount(0);
  await expect(page.getByRole("checkbox", { name: "Out for Delivery", exact: true })).toBeEnabled();
});

test("Go Live and event toggles save per shop and survive a reload", async ({ page, demoAdmin }) => {
  await demoAdmin.open("/app/track-settings");
  await page.getByRole("checkbox", { name: "Go Live", exact: true }).check();
  await page.getByRole("checkbox", { name: "Order Awaiting Payment", exact: true }).check();
  await page.getByRole("checkbox", { name: "Placed Order", exact: true }).uncheck();
  await page.getByRole("button", { name: "Save" }).first().click();
  await expect(page.getByText("Settings saved.")).toBeVisible();

  await demoAdmin.open("/app/track-settings");
  await expect(page.getByRole("checkbox", { name: "Go Live", exact: true })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Order Awaiting Payment", exact: true })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Placed Order", exact: true })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Delivered", exact: true })).toBeChecked();
});

test("disconnecting revokes the grant at Klaviyo and grays the toggles out with the exact message", async ({
  page,
  demoAdmin,
}, testInfo) => {
  await demoAdmin.open("/app/integrations");
  await page.getByRole("button", { name: "Disconnect", exact: true }).click();
  await expect(page.getByRole("dialog").getByText(/^Waypost stops sending events to .+ at once\.$/)).toBeVisible();
  await page.getByRole("button", { name: "Disconnect Klaviyo" }).click();
  await expect(klaviyoCard(page).getByText("Not connected", { exact: true })).toBeVisible();

  const state = await doubleState(page, demoAdmin);
  expect(state.tokens.length).toBeGreaterThan(0);
  expect(state.tokens.every((token: { revoked: boolean }) => token.revoked)).toBe(true);

  await page.getByRole("navigation", { name: "Waypost" }).getByRole("link", { name: "Track Settings" }).click();
  await expect(page.getByText(EXACT_MESSAGE, { exact: true })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Delivered", exact: true })).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath("track-settings-disconnected.png"), fullPage: true });
});

test("denying consent shows a clear error with a way to try again", async ({ page, demoAdmin }, testInfo) => {
  await demoAdmin.open("/app/integrations");
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await page.getByRole("button", { name: "Deny" }).click();

  await expect(page.getByText("Klaviyo was not connected")).toBeVisible();
  await expect(
    page.getByText("Klaviyo access was not allowed, so Waypost cannot send events. Connect again and choose Allow."),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("integrations-denied.png"), fullPage: true });
  await expect(klaviyoCard(page).getByText("Not connected", { exact: true })).toBeVisible();
});

test("a private API key is checked with Klaviyo: a bad one is explained, a good one connects", async ({
  page,
  demoAdmin,
}) => {
  await demoAdmin.open("/app/integrations");
  const keyField = page.getByLabel("Or connect with a private API key");
  await keyField.fill("pk_thisisnotarealkeyatall1234");
  await page.getByRole("button", { name: "Connect with API key" }).click();
  await expect(page.getByText("Klaviyo did not accept this private API key.", { exact: false })).toBeVisible();

  await keyField.fill(DEFAULT_ACCOUNTS[0].privateKeys[0]);
  await page.getByRole("button", { name: "Connect with API key" }).click();
  await expect(page.getByText("Connected to Waypost Demo Klaviyo (KDEMO1) with a private API key.")).toBeVisible();

  await page.getByRole("button", { name: "Disconnect", exact: true }).click();
  await page.getByRole("button", { name: "Disconnect Klaviyo" }).click();
  await expect(klaviyoCard(page).getByText("Not connected", { exact: true })).toBeVisible();
});

test("the integrations search filters by name and category", async ({ page, demoAdmin }) => {
  await demoAdmin.open("/app/integrations");
  const search = page.getByLabel("Search integrations");
  await search.fill("marketing");
  await expect(page.getByRole("heading", { name: "Klaviyo", exact: true })).toBeVisible();
  await search.fill("fax machines");
  await expect(page.getByText("No integrations match your search")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Klaviyo", exact: true })).toHaveCount(0);
});

test("a demo test order runs its whole life into Klaviyo, and Activity shows every event", async ({
  page,
  demoAdmin,
}, testInfo) => {
  await page.request.post(`${demoAdmin.double}/_double/reset`);
  await demoAdmin.open("/app/integrations");
  await page.getByLabel("Or connect with a private API key").fill(DEFAULT_ACCOUNTS[0].privateKeys[0]);
  await page.getByRole("button", { name: "Connect with API key" }).click();
  await expect(klaviyoCard(page).getByText("Connected", { exact: true })).toBeVisible();
  await demoAdmin.open("/app/track-settings");
  const goLive = page.getByRole("checkbox", { name: "Go Live", exact: true });
  if (!(await goLive.isChecked())) {
    await goLive.check();
    await page.getByRole("button", { name: "Save" }).first().click();
    await expect(page.getByText("Settings saved.")).toBeVisible();
  }

  await demoAdmin.open("/app");
  await page.getByRole("button", { name: "Send a test order" }).click();
  await expect(page.getByText(/Test order #\d+ sent/)).toBeVisible();

  // Placed Order was turned off earlier in this file; everything else arrives once.
  const expected = [
    "Order Awaiting Payment",
    "Order Shipped",
    "In Transit",
    "Out for Delivery",
    "Delivered",
    "Ordered Product",
    "Ordered Product",
  ].sort();
  await expect
    .poll(
      async () =>
        (
          (await (await page.request.get(`${demoAdmin.double}/_double/activity`)).json()).events as Array<{
            metric: string;
          }>
        )
          .map((e) => e.metric)
          .sort(),
      {
        timeout: 15_000,
      },
    )
    .toEqual(expected);

  await demoAdmin.open("/app/activity");
  const deliveredRow = page.getByRole("row").filter({ hasText: "Delivered" });
  await expect(deliveredRow).toContainText("Sent");
  await expect(page.getByRole("row").filter({ hasText: "Placed Order" })).toContainText(
    "Skipped: This event is turned off in Track Settings",
  );
  await page.screenshot({ path: testInfo.outputPath("activity-after-test-order.png"), fullPage: true });

  await demoAdmin.open("/app");
  await expect(page.getByRole("row").filter({ hasText: "Out for Delivery" })).toContainText("1");
  await demoAdmin.open("/app/activity");

  // "Did my customer get the out-for-delivery event?": open it, see Klaviyo's answer and the payload.
  await page.getByRole("link", { name: "Out for Delivery" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Out for Delivery · #\d+$/ })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "HTTP 202" })).toContainText("sent");
  await expect(page.getByLabel("Event payload")).toContainText('"unique_id": "waypost-demo.myshopify.com:');
  await expect(page.getByLabel("Event payload")).toContainText('"name": "Out for Delivery"');
  await page.screenshot({ path: testInfo.outputPath("event-detail.png"), fullPage: true });

  await demoAdmin.open("/app/activity");
  await page.getByLabel("Status").selectOption("skipped");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Placed Order" })).toHaveCount(1);
  await expect(page.getByRole("row").filter({ hasText: "Delivered" })).toHaveCount(0);
});
