import { expect, test } from "./support/fixtures";

const PAGES = [
  { path: "/app", heading: "Dashboard", nav: "Dashboard", shot: "dashboard" },
  { path: "/app/integrations", heading: "Integrations", nav: "Integrations", shot: "integrations" },
  { path: "/app/track-settings", heading: "Track Settings", nav: "Track Settings", shot: "track-settings" },
  { path: "/app/activity", heading: "Activity", nav: "Activity", shot: "activity" },
];

for (const adminPage of PAGES) {
  test(`opens ${adminPage.heading} as an embedded page with its heading and the navigation`, async ({
    page,
    embeddedAdmin,
  }, testInfo) => {
    await embeddedAdmin.open(adminPage.path);

    await expect(page.getByRole("heading", { level: 1, name: adminPage.heading })).toBeVisible();
    const navigation = page.getByRole("navigation", { name: "Waypost" });
    for (const { nav } of PAGES) await expect(navigation.getByRole("link", { name: nav, exact: true })).toBeVisible();
    await expect(navigation.getByRole("link", { name: adminPage.nav, exact: true })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await page.screenshot({ path: testInfo.outputPath(`${adminPage.shot}.png`), fullPage: true });
  });
}

test("moves between pages inside the app, each data request carrying a fresh session token", async ({
  page,
  embeddedAdmin,
}) => {
  await embeddedAdmin.open("/app");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();

  const dataRequest = page.waitForRequest((request) => request.url().includes("_data=routes%2Fapp.track-settings"));
  await page.getByRole("navigation", { name: "Waypost" }).getByRole("link", { name: "Track Settings" }).click();
  expect((await dataRequest).headers().authorization).toMatch(/^Bearer ey/);

  await expect(page.getByRole("heading", { level: 1, name: "Track Settings" })).toBeVisible();
  await expect(page).toHaveURL(/\/app\/track-settings$/);
});

test("shows event toggles grayed out with the exact message while Klaviyo is not connected", async ({
  page,
  embeddedAdmin,
}) => {
  await embeddedAdmin.open("/app/track-settings");
  await expect(
    page.getByText("Connect Klaviyo in Account Settings > Integrations to configure these events", { exact: true }),
  ).toBeVisible();
  for (const metric of ["Placed Order", "Order Shipped", "Out for Delivery", "Delivered", "Shipment Delayed"]) {
    await expect(page.getByRole("checkbox", { name: metric, exact: true })).toBeDisabled();
  }
});

test("refuses an admin page without a valid session token", async ({ page, embeddedAdmin }) => {
  const response = await page.goto(
    `${embeddedAdmin.app}/app/integrations?embedded=1&shop=${embeddedAdmin.shop}&id_token=forged.token.value`,
  );
  await expect(page.getByRole("heading", { name: "Integrations" })).toHaveCount(0);
  expect(response?.url()).not.toContain("/app/integrations?");
});
