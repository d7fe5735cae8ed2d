import type { Page } from "@playwright/test";
import { STORY_METRICS } from "../app/platform/sample-order";
import { expect, test, type DemoAdmin } from "./support/fixtures";

// "Did my customer get the out-for-delivery event, and if not why?" answered from the demo's
// admin, against the demo's own Klaviyo double.

interface DoubleEvent {
  metric: string;
  uniqueId?: string;
  profile: { email?: string };
  properties: Record<string, unknown>;
}

const eventsAtDouble = async (page: Page, demo: DemoAdmin): Promise<DoubleEvent[]> =>
  (await (await page.request.get(`${demo.double}/_double/activity`)).json()).events;
const setFaults = (page: Page, demo: DemoAdmin, faults: object) =>
  page.request.post(`${demo.double}/_double/faults`, { data: faults });

test.describe.configure({ mode: "serial" });

// Track Settings' checkboxes that are not the saved event settings: two toggles that save at once
// and change what Waypost reads, and an option of the history import's own form.
const NOT_EVENT_SETTINGS = [/store-credit balance/, /unsubscribed in Shopify/, /Let these events trigger flows/];

async function connectAndGoLiveWithEveryEvent(page: Page, demo: DemoAdmin) {
  await demo.connectKlaviyo();
  await demo.open("/app/track-settings");
  let changed = false;
  for (const checkbox of await page.getByRole("checkbox").all()) {
    const label = await checkbox.evaluate((input: HTMLInputElement) => input.labels?.[0]?.textContent ?? "");
    if (NOT_EVENT_SETTINGS.some((name) => name.test(label)) || (await checkbox.isChecked())) continue;
    await checkbox.check();
    changed = true;
  }
  // The save bar shows only while something is unsaved: on a retry everything may be on already.
  if (changed) {
    await page.getByRole("button", { name: "Save" }).first().click();
    await expect(page.getByText("Settings saved.")).toBeVisible();
  }
}

/** Sends the demo's test order and waits until the double has what it should: returns its order name. */
async function sendTestOrder(page: Page, demo: DemoAdmin, settle: (orderName: string) => Promise<unknown>) {
  await demo.open("/app");
  await page.getByRole("button", { name: "Send a test order" }).click();
  const sent = page.getByText(/Test order #\d+ sent/);
  await expect(sent).toBeVisible();
  const orderName = /#\d+/.exec((await sent.textContent()) ?? "")![0];
  await settle(orderName);
  return orderName;
}

test("the dashboard's counts match what Klaviyo received, with the delivery-health chart", async ({
  page,
  demoAdmin,
}, testInfo) => {
  await connectAndGoLiveWithEveryEvent(page, demoAdmin);
  const before = (await eventsAtDouble(page, demoAdmin)).length;
  await sendTestOrder(page, demoAdmin, () =>
    expect
      .poll(async () => (await eventsAtDouble(page, demoAdmin)).length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(before + STORY_METRICS.length),
  );
  // Let the pipeline finish: the count is stable once every event of the order is sent.
  await page.waitForTimeout(1500);
  const received = (await eventsAtDouble(page, demoAdmin)).length;

  await demoAdmin.open("/app");
  // The test order happened just now: all of it counts as the last 24 hours', and the count opens its rows.
  await expect(page.getByRole("link", { name: `${received} sent in the last 24 hours`, exact: true })).toBeVisible();
  await expect(page.getByTestId("delivery-health-chart").locator("svg").first()).toBeVisible();
  await expect(page.getByText("Connected", { exact: true })).toBeVisible();
  await expect(page.getByText("Go Live on", { exact: true })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("dashboard-with-chart.png"), fullPage: true });
});

test("filter and search find one order by its number, its customer's email or its tracking number", async ({
  page,
  demoAdmin,
}, testInfo) => {
  const orderName = await sendTestOrder(page, demoAdmin, (name) =>
    expect
      .poll(
        async () =>
          (await eventsAtDouble(page, demoAdmin)).filter((event) => event.properties.order_name === name).length,
        { timeout: 15_000 },
      )
      .toBe(STORY_METRICS.length),
  );
  const orderId = orderName.slice(1);
  await demoAdmin.open("/app/activity");

  await page.getByLabel("Search", { exact: true }).fill(orderName);
  await page.getByRole("button", { name: "Filter" }).click();
  const eventRows = page.getByRole("table").first().getByRole("row");
  await expect(eventRows.filter({ hasText: "Out for Delivery" })).toHaveCount(1);
  // The header row plus the order's events, and nothing of any other order.
  await expect(eventRows).toHaveCount(STORY_METRICS.length + 1);
  for (const row of (await eventRows.all()).slice(1)) await expect(row).toContainText(orderName);
  await page.screenshot({ path: testInfo.outputPath("activity-search-order.png"), fullPage: true });

  await page.getByLabel("Search", { exact: true }).fill(`1Z${orderId}`);
  await page.getByLabel("Event", { exact: true }).selectOption({ label: "Out for Delivery" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(eventRows).toHaveCount(2);
  await expect(eventRows.nth(1)).toContainText(orderName);

  await page.getByLabel("Search", { exact: true }).fill("DEMO.Customer@example.com");
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Sent" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(eventRows.filter({ hasText: orderName })).toHaveCount(1);
  await expect(page).toHaveURL(/status=sent/);
});

test("a dead-lettered event is replayed from Activity after a confirmation, and Klaviyo records it once", async ({
  page,
  demoAdmin,
}, testInfo) => {
  // Klaviyo refuses everything until the order's Out for Delivery is dead-lettered, however long its
  // receipts and sends take; the faults go even if that never happens, so no later test meets them.
  const row = page.getByRole("row").filter({ hasText: "Out for Delivery" });
  await setFaults(page, demoAdmin, { forced: { status: 400, remaining: 1000 } });
  let orderName = "";
  try {
    orderName = await sendTestOrder(page, demoAdmin, async () => {});
    await expect(async () => {
      await demoAdmin.open(`/app/activity?q=${encodeURIComponent(orderName)}&event=out_for_delivery`);
      await expect(row).toContainText("Dead-lettered: Klaviyo refused the event: Fault injected by the test", {
        timeout: 1000,
      });
    }).toPass({ timeout: 20_000 });
  } finally {
    await setFaults(page, demoAdmin, {});
  }
  await page.getByRole("button", { name: /^Replay \d+$/ }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Replay 1 Out for Delivery event?");
  await page.screenshot({ path: testInfo.outputPath("activity-replay-confirmation.png"), fullPage: true });
  await dialog.getByRole("button", { name: "Replay 1" }).click();
  await expect(page.getByText("1 event queued to send again")).toBeVisible();

  // No reload: the row turns to Sent by itself once the worker has sent it.
  await expect
    .poll(
      async () =>
        (await eventsAtDouble(page, demoAdmin)).filter(
          (event) => event.metric === "Out for Delivery" && event.properties.order_name === orderName,
        ).length,
      { timeout: 15_000 },
    )
    .toBe(1);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(row).toContainText("Sent");
  await page.waitForTimeout(1000);
  expect(
    (await eventsAtDouble(page, demoAdmin)).filter(
      (event) => event.metric === "Out for Delivery" && event.properties.order_name === orderName,
    ),
  ).toHaveLength(1);
});

test("a test event from Track Settings arrives at Klaviyo for the profile entered, and completes the checklist", async ({
  page,
  demoAdmin,
}, testInfo) => {
  await demoAdmin.open("/app/track-settings");
  await page.getByLabel("Event", { exact: true }).selectOption({ label: "Out for Delivery" });
  await page.getByLabel("Test profile email").fill("merchant.test@example.com");
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByText("Klaviyo accepted the test event")).toBeVisible();
  await expect(page.getByText(/Out for Delivery for merchant\.test@example\.com: HTTP 202 in \d+ ms/)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("track-settings-test-event.png"), fullPage: true });

  const tests = (await eventsAtDouble(page, demoAdmin)).filter(
    (event) => event.profile.email === "merchant.test@example.com",
  );
  expect(tests.map((event) => [event.metric, event.properties.waypost_test_event])).toEqual([
    ["Out for Delivery", true],
  ]);

  await demoAdmin.open("/app");
  await expect(page.getByRole("listitem").filter({ hasText: "Send a test event and see it in Klaviyo" })).toContainText(
    "Done",
  );
});

test("every admin page fits the admin's narrow width without sideways scrolling", async ({
  page,
  demoAdmin,
}, testInfo) => {
  await page.setViewportSize({ width: 375, height: 800 });
  for (const [path, heading] of [
    ["/app", "Dashboard"],
    ["/app/activity", "Activity"],
    ["/app/track-settings", "Track Settings"],
    ["/app/integrations", "Integrations"],
  ]) {
    await demoAdmin.open(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, path).toBeLessThanOrEqual(0);
    await page.screenshot({
      path: testInfo.outputPath(`narrow-${heading.toLowerCase().replace(/ /g, "-")}.png`),
      fullPage: true,
    });
  }
});
