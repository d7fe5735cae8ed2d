import { createPrismaClient } from "../app/db.server";
import { DEMO_CUSTOMER } from "../app/demo/doubles/shopify-admin/order-history";
import { DEMO_DATABASE_URL } from "./playwright.config";
import { expect, test } from "./support/fixtures";

// Store credit on Klaviyo profiles (issue #19 item 5), in the demo: the merchant turns the
// toggle on, sends a test order, and the customer's balance, read from the Admin API stand-in,
// reaches their profile at the Klaviyo double.

interface DoubleProfile {
  attributes: { email?: string; properties?: Record<string, unknown> };
}

test("a merchant turns on store credit and the customer's balance reaches their Klaviyo profile", async ({
  page,
  demoAdmin,
}) => {
  test.setTimeout(90_000);
  // The demo is one shop for every spec: start from store credit off, whatever ran before.
  await resetStoreCredit();
  await page.request.post(`${demoAdmin.double}/_double/reset`);
  await demoAdmin.connectKlaviyo();
  await demoAdmin.open("/app/track-settings");
  const goLive = page.getByRole("checkbox", { name: "Go Live", exact: true });
  if (!(await goLive.isChecked())) {
    await goLive.check();
    await page.getByRole("button", { name: "Save" }).first().click();
    await expect(page.getByText("Settings saved.")).toBeVisible();
  }

  const storeCredit = page.getByRole("checkbox", { name: "Send each customer's store-credit balance to Klaviyo" });
  await expect(storeCredit).not.toBeChecked();
  await storeCredit.check();
  // The demo grants every scope Waypost asks for: no note about a missing one.
  await expect(page.getByText("Waypost cannot read store credit yet")).toHaveCount(0);
  await page.reload();
  await expect(storeCredit).toBeChecked();

  await demoAdmin.open("/app");
  await page.getByRole("button", { name: "Send a test order" }).click();
  // The stand-in builds Shopify's schema on its first document, in the demo's own process: seconds.
  await expect(page.getByText(/Test order #\d+ sent/)).toBeVisible({ timeout: 30_000 });

  await expect
    .poll(
      async () => {
        const { profiles } = (await (await page.request.get(`${demoAdmin.double}/_double/profiles`)).json()) as {
          profiles: DoubleProfile[];
        };
        return profiles.find((profile) => profile.attributes.email === DEMO_CUSTOMER.email)?.attributes.properties;
      },
      { timeout: 20_000 },
    )
    .toMatchObject({
      waypost_store_credit_balance: Number(DEMO_CUSTOMER.storeCredit.amount),
      waypost_store_credit_currency: DEMO_CUSTOMER.storeCredit.currencyCode,
    });
});

async function resetStoreCredit() {
  const prisma = createPrismaClient(DEMO_DATABASE_URL);
  await prisma.shop.updateMany({ data: { storeCreditSyncOnAt: null } });
  await prisma.$disconnect();
}

// The demo is shared by the specs after this one, which expect it unconnected and untouched.
test.afterEach(async ({ page, demoAdmin }) => {
  const prisma = createPrismaClient(DEMO_DATABASE_URL);
  await prisma.$transaction([
    prisma.klaviyoConnection.deleteMany(),
    prisma.shop.updateMany({ data: { storeCreditSyncOnAt: null } }),
    prisma.klaviyoReadCache.deleteMany(),
    prisma.deliveryLane.deleteMany(),
  ]);
  await prisma.$disconnect();
  await page.request.post(`${demoAdmin.double}/_double/reset`);
});
