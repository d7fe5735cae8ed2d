import type { Page } from "@playwright/test";
import { createPrismaClient } from "../app/db.server";
import { DEMO_DATABASE_URL } from "./playwright.config";
import { expect, test } from "./support/fixtures";

// Klaviyo both ways, in the demo against its Klaviyo double: the flows beside each toggle, a
// Shopify-integration metric never shadowed, the metrics created before the first order, and
// Klaviyo's counts beside Waypost's on the Dashboard.

/** The form holding a button (Polaris cards carry no role or class of their own to find them by). */
const formWith = (page: Page, button: RegExp | string) =>
  page.locator("form").filter({ has: page.getByRole("button", { name: button }) });

test("Track Settings shows each event's flows in Klaviyo, keeps a Shopify-integration twin off, and creates the metrics", async ({
  page,
  demoAdmin,
}) => {
  test.setTimeout(90_000);
  await page.request.post(`${demoAdmin.double}/_double/reset`);
  await demoAdmin.connectKlaviyo();
  await page.request.post(`${demoAdmin.double}/_double/seed`, {
    data: {
      shopifyMetrics: [{ accountId: "KDEMO1", name: "Order Cancelled" }],
      flows: [
        { id: "FSHIP1", accountId: "KDEMO1", name: "Shipped SMS", status: "live", triggerMetric: "Order Shipped" },
        { id: "FDELV1", accountId: "KDEMO1", name: "Review ask", status: "draft", triggerMetric: "Delivered" },
      ],
    },
  });

  await demoAdmin.open("/app/track-settings");
  // What the page read may predate the seed: read again, as a merchant would after building a flow.
  await page.getByRole("button", { name: "Refresh from Klaviyo" }).click();
  await expect(page.getByText("Klaviyo's Shopify integration already records “Order Cancelled”")).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Order Cancelled" })).not.toBeChecked();

  // No flow exists until Klaviyo has the metric: create them all for a test profile.
  await formWith(page, /^Create \d+ metrics? in Klaviyo$/)
    .getByLabel("Profile email for the sample events")
    .fill("flows@example.com");
  await page.getByRole("button", { name: /^Create \d+ metrics? in Klaviyo$/ }).click();
  // The double checks the bulk body against Klaviyo's spec, compiling that schema on first use.
  await expect(page.getByText(/Klaviyo accepted \d+ sample events for flows@example.com/)).toBeVisible({
    timeout: 20_000,
  });
  await expect(page.getByText("In Klaviyo").first()).toBeVisible();
  await expect(page.getByText("Not listed yet")).toHaveCount(0);
  const received = (await (await page.request.get(`${demoAdmin.double}/_double/activity`)).json()).events as Array<{
    metric: string;
    backfill?: boolean;
    profile: { email?: string };
  }>;
  expect(received.length).toBeGreaterThan(0);
  expect(received.every((event) => event.backfill === true && event.profile.email === "flows@example.com")).toBe(true);

  // With the metrics there, each toggle shows its flows, with a link to open each in Klaviyo.
  await page.getByRole("button", { name: "Refresh from Klaviyo" }).click();
  const shipped = page.getByRole("link", { name: "Open the flow Shipped SMS in Klaviyo" });
  await expect(shipped).toHaveAttribute("href", `${demoAdmin.double}/flow/FSHIP1/edit`);
  await expect(page.getByRole("link", { name: "Open the flow Review ask in Klaviyo" })).toBeVisible();
  await expect(page.getByText("Draft", { exact: true })).toBeVisible();
  // Delivered is on and drives only a draft: the merchant is pointed at the flow builder.
  await expect(page.getByRole("link", { name: "Build a flow in Klaviyo" }).first()).toHaveAttribute(
    "href",
    `${demoAdmin.double}/flows/create`,
  );

  // The merchant may still choose the twin: that choice stands.
  await page.getByRole("checkbox", { name: "Order Cancelled" }).check();
  await page.getByRole("button", { name: "Save" }).first().click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("checkbox", { name: "Order Cancelled" })).toBeChecked();

  // The Dashboard sets Klaviyo's counts beside Waypost's: the samples are Klaviyo's alone.
  await demoAdmin.open("/app");
  await page.getByRole("button", { name: "Check with Klaviyo" }).click();
  // One Query Metric Aggregates per metric, paced under Klaviyo's 3/s and 60/min: a few seconds.
  await expect(page.getByText("Some days differ")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/Order Shipped, .*another source sends a metric of this name/)).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Event (Waypost / Klaviyo)" })).toBeVisible();
});

// The demo is shared by the specs after this one, which expect it unconnected and untouched.
test.afterEach(async ({ page, demoAdmin }) => {
  const prisma = createPrismaClient(DEMO_DATABASE_URL);
  await prisma.$transaction([
    prisma.klaviyoConnection.deleteMany(),
    prisma.eventSetting.deleteMany({ where: { eventKey: "order_cancelled" } }),
    prisma.klaviyoReadCache.deleteMany(),
    prisma.deliveryLane.deleteMany(),
  ]);
  await prisma.$disconnect();
  await page.request.post(`${demoAdmin.double}/_double/reset`);
});
