import { APP_PORT } from "./playwright.config";
import { expect, test } from "./support/fixtures";

test("the demo opens the demo store's admin from the landing page, with no Shopify account", async ({
  page,
  demoAdmin,
}, testInfo) => {
  await page.goto(demoAdmin.app);
  await page.getByRole("link", { name: "Open the demo store's admin" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(page.getByText("Waypost Demo Store")).toBeVisible();
  await page.getByRole("navigation", { name: "Waypost" }).getByRole("link", { name: "Account Settings" }).click();
  await page.getByRole("link", { name: "Integrations", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("demo-integrations.png"), fullPage: true });
});

test("a reload in the demo signs in again instead of stranding the merchant", async ({ page, demoAdmin }) => {
  await page.goto(`${demoAdmin.app}/demo`);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await page.goto(`${demoAdmin.app}/app/activity`);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
});

test("the demo sign-in shortcut does not exist when real Shopify credentials are configured", async ({ request }) => {
  for (const path of ["/demo", "/demo/session-token", "/demo/app-bridge.js"]) {
    const response = await request.get(`http://localhost:${APP_PORT}${path}`, { maxRedirects: 0 });
    expect(response.status(), path).toBe(404);
  }
});
