import { expect, test } from "@playwright/test";
import { APP_PORT, DEMO_PORT } from "./playwright.config";

const DEMO = `http://localhost:${DEMO_PORT}`;

test("the demo opens the demo store's admin from the landing page, with no Shopify account", async ({ page }, testInfo) => {
  await page.goto(DEMO);
  await page.getByRole("link", { name: "Open the demo store's admin" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(page.getByText("Waypost Demo Store")).toBeVisible();
  await page.getByRole("navigation", { name: "Waypost" }).getByRole("link", { name: "Integrations" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("demo-integrations.png"), fullPage: true });
});

test("a reload in the demo signs in again instead of stranding the merchant", async ({ page }) => {
  await page.goto(`${DEMO}/demo`);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await page.goto(`${DEMO}/app/activity`);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
});

test("the demo sign-in shortcut does not exist when real Shopify credentials are configured", async ({ request }) => {
  for (const path of ["/demo", "/demo/session-token", "/demo/app-bridge.js"]) {
    const response = await request.get(`http://localhost:${APP_PORT}${path}`, { maxRedirects: 0 });
    expect(response.status(), path).toBe(404);
  }
});
