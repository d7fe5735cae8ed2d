import type { Page } from "@playwright/test";
import { atAdminWidths, expect, test } from "./support/fixtures";

const EXACT_MESSAGE = "Connect Klaviyo in Account Settings > Integrations to configure these events";
const MENU = [
  { href: "/app", label: "Dashboard" },
  { href: "/app/track-settings", label: "Track Settings" },
  { href: "/app/activity", label: "Activity" },
  { href: "/app/account-settings", label: "Account Settings" },
];
const PAGES = [
  { path: "/app", heading: "Dashboard", current: "Dashboard", help: "setting up Waypost" },
  {
    path: "/app/track-settings",
    heading: "Track Settings",
    current: "Track Settings",
    help: "choosing events and Go Live",
  },
  { path: "/app/activity", heading: "Activity", current: "Activity", help: "event statuses and replaying" },
  {
    path: "/app/account-settings",
    heading: "Account Settings",
    current: "Account Settings",
    help: "connecting Klaviyo",
  },
  { path: "/app/integrations", heading: "Integrations", current: "Account Settings", help: "connecting Klaviyo" },
];

/** The links App Bridge reads from ui-nav-menu to draw the admin's menu (the element itself is never shown). */
const navMenuLinks = (page: Page) =>
  page
    .locator("ui-nav-menu a")
    .evaluateAll((links) => links.map((link) => ({ href: link.getAttribute("href"), label: link.textContent })));

atAdminWidths((width) => {
  for (const adminPage of PAGES) {
    test(`${adminPage.heading} inside the admin: only the admin's menu, and a help link`, async ({
      page,
      embeddedAdmin,
    }, testInfo) => {
      await embeddedAdmin.open(adminPage.path);

      await expect(page.getByRole("heading", { level: 1, name: adminPage.heading })).toBeVisible();
      expect(await navMenuLinks(page)).toEqual(MENU);
      await expect(page.locator("ui-nav-menu")).toBeHidden();
      // No second navigation drawn in the page: the admin already shows the menu beside the frame.
      await expect(page.getByRole("navigation", { name: "Waypost" })).toHaveCount(0);
      await expect(page.locator(".waypost-nav")).toHaveCount(0);
      const help = page.getByRole("link", { name: adminPage.help, exact: true });
      await expect(help).toBeVisible();
      await expect(help).toHaveAttribute("href", /^\/app\/help#/);
      await page.screenshot({
        path: testInfo.outputPath(`embedded-${adminPage.heading.toLowerCase().replace(/ /g, "-")}-${width}.png`),
        fullPage: true,
      });
    });
  }

  test("the demo in a plain tab draws the same menu in the page, marking where the merchant is", async ({
    page,
    demoAdmin,
  }, testInfo) => {
    for (const adminPage of PAGES) {
      await demoAdmin.open(adminPage.path);
      await expect(page.getByRole("heading", { level: 1, name: adminPage.heading })).toBeVisible();
      const navigation = page.getByRole("navigation", { name: "Waypost" });
      await expect(navigation.getByRole("link")).toHaveText(MENU.map((item) => item.label));
      await expect(navigation.getByRole("link", { name: adminPage.current, exact: true })).toHaveAttribute(
        "aria-current",
        "page",
      );
      await expect(navigation.locator('[aria-current="page"]')).toHaveCount(1);
    }
    await page.screenshot({ path: testInfo.outputPath(`demo-nav-${width}.png`), fullPage: true });
  });

  test("the exact message is a link to Account Settings > Integrations, and that path exists", async ({
    page,
    embeddedAdmin,
  }, testInfo) => {
    await embeddedAdmin.open("/app/track-settings");
    const message = page.getByRole("link", { name: EXACT_MESSAGE, exact: true });
    await expect(message).toHaveText(EXACT_MESSAGE);
    await message.click();
    await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
    await expect(page).toHaveURL(/\/app\/integrations$/);

    await page.getByRole("link", { name: "Account Settings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Account Settings" })).toBeVisible();
    const integrations = page.getByRole("heading", { level: 2, name: "Integrations" });
    await expect(integrations).toBeVisible();
    await expect(page.getByText("Not connected", { exact: true })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`account-settings-${width}.png`), fullPage: true });
    await integrations.getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
  });

  test("the help link opens the help on that page's topic", async ({ page, embeddedAdmin }, testInfo) => {
    await embeddedAdmin.open("/app/activity");
    await page.getByRole("link", { name: "event statuses and replaying", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Help" })).toBeVisible();
    await expect(page).toHaveURL(/\/app\/help#activity$/);
    await expect(page.getByRole("heading", { level: 2, name: "Event statuses" })).toBeInViewport();
    await expect(page.getByText(/^Dead-lettered: /)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`help-${width}.png`), fullPage: true });
  });
});

test("moves between pages inside the app, each data request carrying a fresh session token", async ({
  page,
  embeddedAdmin,
}) => {
  await embeddedAdmin.open("/app");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();

  const dataRequest = page.waitForRequest((request) => request.url().includes("_data=routes%2Fapp.track-settings"));
  await page.getByRole("link", { name: "Turn on Go Live" }).click();
  expect((await dataRequest).headers().authorization).toMatch(/^Bearer ey/);

  await expect(page.getByRole("heading", { level: 1, name: "Track Settings" })).toBeVisible();
  await expect(page).toHaveURL(/\/app\/track-settings$/);
});

test("shows event toggles grayed out with the exact message while Klaviyo is not connected", async ({
  page,
  embeddedAdmin,
}) => {
  await embeddedAdmin.open("/app/track-settings");
  await expect(page.getByText(EXACT_MESSAGE, { exact: true })).toBeVisible();
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
