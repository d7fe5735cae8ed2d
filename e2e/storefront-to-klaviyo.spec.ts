import type { Page } from "@playwright/test";
import { createPrismaClient } from "../app/db.server";
import { DEFAULT_ACCOUNTS } from "../app/demo/doubles/klaviyo/server";
import { DEMO_CUSTOMER } from "../app/demo/doubles/shopify-admin/order-history";
import { DEMO_DATABASE_URL } from "./playwright.config";
import { expect, test, type DemoAdmin } from "./support/fixtures";

// Issue #20 end to end, in the demo: the merchant turns storefront events on and opens the demo's
// storefront from Integrations; a guest accepts the cookie banner and browses, the built pixel in its
// sandbox posts to Waypost's real ingest, and the events reach the Klaviyo double through the
// pipeline with Klaviyo's onsite properties; the guest signs in, and the double's identity merge puts
// the guest's earlier view on the customer's profile.

const ACCOUNT = DEFAULT_ACCOUNTS[0].id;
// The storefront seed's metrics, one toggle each.
const STOREFRONT_EVENTS = [
  "Active on Site",
  "Viewed Product",
  "Viewed Collection",
  "Searched Site",
  "Added to Cart",
  "Started Checkout",
  "Logged In",
];

interface DoubleEvent {
  metric: string;
  profile: Record<string, unknown>;
  properties: Record<string, unknown>;
}

const eventsAtDouble = async (page: Page, demo: DemoAdmin): Promise<DoubleEvent[]> =>
  (await (await page.request.get(`${demo.double}/_double/activity?account=${ACCOUNT}`)).json()).events;
const metricsAtDouble = async (page: Page, demo: DemoAdmin) =>
  (await eventsAtDouble(page, demo)).map((event) => event.metric).sort();

test("browsing the demo storefront reaches Klaviyo through Waypost, and a guest joins the customer's profile at sign-in", async ({
  page,
  demoAdmin,
}, testInfo) => {
  test.setTimeout(90_000);
  await page.request.post(`${demoAdmin.double}/_double/reset`);
  await demoAdmin.connectKlaviyo();
  await demoAdmin.open("/app/track-settings");
  let changed = false;
  for (const name of ["Go Live", ...STOREFRONT_EVENTS]) {
    const toggle = page.getByRole("checkbox", { name, exact: true });
    if (await toggle.isChecked()) continue;
    await toggle.check();
    changed = true;
  }
  if (changed) {
    await page.getByRole("button", { name: "Save" }).first().click();
    await expect(page.getByText("Settings saved.")).toBeVisible();
  }

  // Saving set the pixel's events at Shopify; Integrations opens the storefront that loads it with them.
  await demoAdmin.open("/app/integrations");
  const [storefront] = await Promise.all([
    page.context().waitForEvent("page"),
    page.getByRole("link", { name: "Open the demo storefront" }).click(),
  ]);
  await expect(storefront.getByRole("region", { name: "Cookie consent" })).toBeVisible();
  const clientId = await storefront.evaluate(() => localStorage.getItem("waypost-demo-client-id"));
  expect(clientId).toMatch(/^[0-9a-f-]{36}$/);

  // Before the visitor answers the banner, the pixel sends nothing.
  await storefront.getByRole("button", { name: "View Trail Runner 2" }).click();
  await expect(storefront.getByRole("listitem").filter({ hasText: "product_viewed: Trail Runner 2" })).toBeVisible();

  // A guest who accepts: only the browser's clientId identifies them.
  await storefront.getByRole("button", { name: "Accept" }).click();
  await storefront.getByRole("button", { name: "View Trail Runner 1" }).click();
  await expect
    .poll(() => metricsAtDouble(page, demoAdmin), { timeout: 30_000 })
    .toEqual(["Active on Site", "Viewed Product"]);
  const viewed = (await eventsAtDouble(page, demoAdmin)).find((event) => event.metric === "Viewed Product")!;
  expect(viewed.profile).toEqual({ anonymous_id: clientId });
  expect(viewed.properties).toMatchObject({ ProductName: "Trail Runner 1", SKU: "TR-1-42" });

  // The same browser, signed in: Logged In names the customer beside the clientId, and so does what follows.
  await storefront.getByRole("link", { name: "Sign in as Demo Customer" }).click();
  await expect(storefront.getByText(`Signed in as ${DEMO_CUSTOMER.email}`)).toBeVisible();
  await storefront.getByRole("button", { name: "Browse the Shoes collection" }).click();
  await storefront.getByRole("button", { name: "Search" }).click();
  await storefront.getByRole("button", { name: "Add Trail Runner 1 to cart" }).click();
  await expect(storefront.getByText("Cart: 1 item")).toBeVisible();
  await storefront.getByRole("button", { name: "Check out" }).click();
  await expect.poll(() => metricsAtDouble(page, demoAdmin), { timeout: 30_000 }).toEqual([...STOREFRONT_EVENTS].sort());
  const events = await eventsAtDouble(page, demoAdmin);
  const sent = (metric: string) => events.find((event) => event.metric === metric)!;
  for (const metric of STOREFRONT_EVENTS.filter((metric) => !["Active on Site", "Viewed Product"].includes(metric)))
    expect(sent(metric).profile, metric).toMatchObject({ anonymous_id: clientId, email: DEMO_CUSTOMER.email });
  expect(sent("Searched Site").properties).toMatchObject({ SearchTerm: "trail" });
  expect(sent("Started Checkout").properties).toMatchObject({ ItemNames: ["Trail Runner 1"], Subtotal: 48 });
  await storefront.screenshot({ path: testInfo.outputPath("demo-storefront.png"), fullPage: true });

  // Klaviyo merges the profiles an event names together: the guest's view is the customer's now.
  const person = (
    await (
      await page.request.get(`${demoAdmin.double}/_double/person?account=${ACCOUNT}&email=${DEMO_CUSTOMER.email}`)
    ).json()
  ).events as DoubleEvent[];
  expect(person.map((event) => event.metric).sort()).toEqual([...STOREFRONT_EVENTS].sort());
  await demoAdmin.open("/app/activity");
  await expect(page.getByRole("row").filter({ hasText: "Viewed Product" })).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath("storefront-events-in-activity.png"), fullPage: true });
});

// The demo is shared by the specs after this one, which expect it unconnected.
test.afterEach(async ({ page, demoAdmin }) => {
  const prisma = createPrismaClient(DEMO_DATABASE_URL);
  await prisma.$transaction([
    prisma.klaviyoConnection.deleteMany(),
    prisma.klaviyoReadCache.deleteMany(),
    prisma.deliveryLane.deleteMany(),
  ]);
  await prisma.$disconnect();
  await page.request.post(`${demoAdmin.double}/_double/reset`);
});
