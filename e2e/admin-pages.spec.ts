import { expect, test } from "@playwright/test";
import { createPrismaClient } from "../app/db.server";
import { APP_PORT } from "./playwright.config";
import { embeddedPageUrl, seedInstalledShop } from "./support/admin-session";
import { actAsEmbeddedAdmin } from "./support/embedded-admin";
import { TEST_SHOP } from "./support/test-config";

const APP = `http://localhost:${APP_PORT}`;
const PAGES = [
  { path: "/app", heading: "Dashboard", nav: "Dashboard", shot: "dashboard" },
  { path: "/app/integrations", heading: "Integrations", nav: "Integrations", shot: "integrations" },
  { path: "/app/track-settings", heading: "Track Settings", nav: "Track Settings", shot: "track-settings" },
  { path: "/app/activity", heading: "Activity", nav: "Activity", shot: "activity" },
];

test.beforeAll(async () => {
  const prisma = createPrismaClient("file:e2e/output/app-data/waypost.sqlite");
  await seedInstalledShop(prisma, TEST_SHOP, "Test Shop");
  await prisma.$disconnect();
});

test.beforeEach(async ({ page }) => {
  await actAsEmbeddedAdmin(page, TEST_SHOP);
});

for (const adminPage of PAGES) {
  test(`opens ${adminPage.heading} as an embedded page with its heading and the navigation`, async ({ page }, testInfo) => {
    await page.goto(APP + (await embeddedPageUrl(adminPage.path, TEST_SHOP)));

    await expect(page.getByRole("heading", { level: 1, name: adminPage.heading })).toBeVisible();
    const navigation = page.getByRole("navigation", { name: "Waypost" });
    for (const { nav } of PAGES) await expect(navigation.getByRole("link", { name: nav, exact: true })).toBeVisible();
    await expect(navigation.getByRole("link", { name: adminPage.nav, exact: true })).toHaveAttribute("aria-current", "page");
    await page.screenshot({ path: testInfo.outputPath(`${adminPage.shot}.png`), fullPage: true });
  });
}

test("moves between pages inside the app, each data request carrying a fresh session token", async ({ page }) => {
  await page.goto(APP + (await embeddedPageUrl("/app", TEST_SHOP)));
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();

  const dataRequest = page.waitForRequest((request) => request.url().includes("_data=routes%2Fapp.track-settings"));
  await page.getByRole("navigation", { name: "Waypost" }).getByRole("link", { name: "Track Settings" }).click();
  expect((await dataRequest).headers().authorization).toMatch(/^Bearer ey/);

  await expect(page.getByRole("heading", { level: 1, name: "Track Settings" })).toBeVisible();
  await expect(page).toHaveURL(/\/app\/track-settings$/);
});

test("shows event toggles grayed out with the exact message while Klaviyo is not connected", async ({ page }) => {
  await page.goto(APP + (await embeddedPageUrl("/app/track-settings", TEST_SHOP)));
  await expect(page.getByText("Connect Klaviyo in Account Settings > Integrations to configure these events", { exact: true })).toBeVisible();
  for (const metric of ["Placed Order", "Order Shipped", "Out for Delivery", "Delivered", "Shipment Delayed"]) {
    await expect(page.getByRole("checkbox", { name: metric, exact: true })).toBeDisabled();
  }
});

test("refuses an admin page without a valid session token", async ({ page }) => {
  const response = await page.goto(`${APP}/app/integrations?embedded=1&shop=${TEST_SHOP}&id_token=forged.token.value`);
  await expect(page.getByRole("heading", { name: "Integrations" })).toHaveCount(0);
  expect(response?.url()).not.toContain("/app/integrations?");
});
