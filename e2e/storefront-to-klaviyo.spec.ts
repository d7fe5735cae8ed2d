import type { Page } from "@playwright/test";
import { createPrismaClient } from "../app/db.server";
import { DEMO_SHOP } from "../app/demo/demo-mode.server";
import { DEFAULT_ACCOUNTS } from "../app/demo/doubles/klaviyo/server";
import { pixelSettingsJson } from "../app/platform/storefront-pixel";
import {
  CLIENT_ID,
  pageViewed,
  productAddedToCart,
  productViewed,
  signedInCustomer,
} from "./fixtures/shopify/standard-events";
import { APP_PORT, DEMO_DATABASE_URL, DEMO_PORT } from "./playwright.config";
import { expect, test, type DemoAdmin } from "./support/fixtures";
import { openStorefront, publish, startStorefront, type StandInStorefront } from "./support/storefront-stand-in";

// Issue #20 end to end, in the demo: the merchant turns storefront events on; a guest browses a
// storefront running the built pixel, which posts to Waypost's real ingest; the events reach the
// Klaviyo double through the pipeline with Klaviyo's onsite properties; the guest logs in, and the
// double's identity merge puts the guest's earlier view on the customer's profile.

const STOREFRONT_PORT = APP_PORT + 52;
const ACCOUNT = DEFAULT_ACCOUNTS[0].id;
const STOREFRONT_EVENTS = ["Active on Site", "Viewed Product", "Added to Cart", "Logged In"];

interface DoubleEvent {
  metric: string;
  uniqueId?: string;
  profile: Record<string, unknown>;
  properties: Record<string, unknown>;
}

let storefront: StandInStorefront;
test.beforeAll(async () => {
  storefront = await startStorefront(STOREFRONT_PORT);
});
test.afterAll(async () => storefront.close());

const eventsAtDouble = async (page: Page, demo: DemoAdmin): Promise<DoubleEvent[]> =>
  (await (await page.request.get(`${demo.double}/_double/activity?account=${ACCOUNT}`)).json()).events;

/** The pixel's settings as Waypost gave them to Shopify for the demo shop (webPixelCreate / webPixelUpdate). */
async function pixelSettingsOfDemoShop() {
  const prisma = createPrismaClient(DEMO_DATABASE_URL);
  try {
    const shop = await prisma.shop.findUniqueOrThrow({
      where: { domain: DEMO_SHOP },
      include: { storefrontPixel: true },
    });
    const enabled = shop.storefrontPixel?.enabledEvents.split(",").filter(Boolean) ?? [];
    return JSON.parse(pixelSettingsJson(`http://localhost:${DEMO_PORT}`, shop.pixelKey!, enabled));
  } finally {
    await prisma.$disconnect();
  }
}

test("a guest's storefront activity reaches Klaviyo through Waypost, and joins the customer's profile at login", async ({
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
  // Saving set the pixel's events at Shopify: the storefront loads the pixel with them.
  const settings = await pixelSettingsOfDemoShop();
  expect(settings.events.split(",")).toEqual(
    expect.arrayContaining(["page_viewed", "product_viewed", "product_added_to_cart", "logged_in"]),
  );

  // A guest: only the browser's clientId identifies them.
  await openStorefront(page, storefront, { settings, shopDomain: DEMO_SHOP });
  await publish(page, "page_viewed", pageViewed());
  await publish(page, "product_viewed", productViewed());
  await expect
    .poll(async () => (await eventsAtDouble(page, demoAdmin)).map((event) => event.metric).sort(), { timeout: 30_000 })
    .toEqual(["Active on Site", "Viewed Product"]);
  const viewed = (await eventsAtDouble(page, demoAdmin)).find((event) => event.metric === "Viewed Product")!;
  expect(viewed.profile).toEqual({ anonymous_id: CLIENT_ID });
  expect(viewed.properties).toMatchObject({ ProductName: expect.any(String), SKU: "TR-1-42" });

  // The same browser, logged in: Logged In names the customer beside the clientId, and so does what follows.
  await openStorefront(page, storefront, { settings, shopDomain: DEMO_SHOP, customer: signedInCustomer });
  await publish(page, "product_added_to_cart", productAddedToCart());
  await expect
    .poll(async () => (await eventsAtDouble(page, demoAdmin)).map((event) => event.metric).sort(), { timeout: 30_000 })
    .toEqual(["Active on Site", "Added to Cart", "Logged In", "Viewed Product"]);
  const events = await eventsAtDouble(page, demoAdmin);
  for (const metric of ["Logged In", "Added to Cart"])
    expect(events.find((event) => event.metric === metric)!.profile).toMatchObject({
      anonymous_id: CLIENT_ID,
      email: signedInCustomer.email,
    });

  // Klaviyo merges the profiles an event names together: the guest's view is the customer's now.
  const person = (
    await (
      await page.request.get(`${demoAdmin.double}/_double/person?account=${ACCOUNT}&email=${signedInCustomer.email}`)
    ).json()
  ).events as DoubleEvent[];
  expect(person.map((event) => event.metric).sort()).toEqual([
    "Active on Site",
    "Added to Cart",
    "Logged In",
    "Viewed Product",
  ]);
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
