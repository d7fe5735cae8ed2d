import { expect, type Page } from "@playwright/test";
import { DEFAULT_ACCOUNTS } from "../../app/demo/doubles/klaviyo/server";
import { DEMO_PORT } from "../playwright.config";

// The demo's admin and its own Klaviyo double, as the browser specs reach them.
export const DEMO = `http://localhost:${DEMO_PORT}`;
export const DEMO_DOUBLE = `http://127.0.0.1:${DEMO_PORT + 1}`;

/** Opens an admin page of the demo store through the demo's sign-in shortcut. */
export const openDemoAdmin = (page: Page, path: string) => page.goto(`${DEMO}/demo?next=${encodeURIComponent(path)}`);

/** Connects the demo store to the double's default account with its private key, unless it already is. */
export async function connectDemoKlaviyo(page: Page) {
  await openDemoAdmin(page, "/app/integrations");
  const card = page.getByRole("region", { name: "Klaviyo integration" });
  if (await card.getByText("Connected", { exact: true }).isVisible()) return;
  await page.getByLabel("Or connect with a private API key").fill(DEFAULT_ACCOUNTS[0].privateKeys[0]);
  await page.getByRole("button", { name: "Connect with API key" }).click();
  await expect(card.getByText("Connected", { exact: true })).toBeVisible();
}
