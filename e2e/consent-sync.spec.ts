import { expect, test } from "./support/fixtures";
import { DEMO_PORT } from "./playwright.config";

// Consent sync in the demo: the merchant connects Klaviyo (OAuth), turns consent sync on in
// Track Settings, a customer unsubscribes in the Klaviyo double, which delivers it signed to
// Waypost's door; Activity shows it, and the Admin API stand-in's customer is unsubscribed.

const ADMIN = `http://127.0.0.1:${DEMO_PORT + 2}/admin/api/2026-07/graphql.json`;
const CUSTOMER = "customer7@example.com";

async function emailState(request: import("@playwright/test").APIRequestContext) {
  const answer = await request.post(ADMIN, {
    headers: { "X-Shopify-Access-Token": "e2e" },
    data: {
      query: `query { customerByIdentifier(identifier: { emailAddress: "${CUSTOMER}" }) { defaultEmailAddress { marketingState } } }`,
    },
  });
  return (
    (await answer.json()) as { data: { customerByIdentifier: { defaultEmailAddress: { marketingState: string } } } }
  ).data.customerByIdentifier.defaultEmailAddress.marketingState;
}

test("a merchant turns on consent sync, an unsubscribe in Klaviyo arrives, and Activity and Shopify show it", async ({
  page,
  demoAdmin,
}) => {
  test.setTimeout(90_000);
  await page.request.post(`${demoAdmin.double}/_double/reset`);
  await demoAdmin.open("/app/integrations");
  await disconnectKlaviyo(page);
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByText(/with Klaviyo sign-in/)).toBeVisible();
  expect(await emailState(page.request)).toBe("SUBSCRIBED");

  await demoAdmin.open("/app/track-settings");
  const toggle = page.getByRole("checkbox", {
    name: "Mark customers unsubscribed in Shopify when they unsubscribe in Klaviyo",
  });
  await expect(toggle).not.toBeChecked();
  // Saved at once: the box shows the server's answer.
  await toggle.click();
  await expect(toggle).toBeChecked({ timeout: 20_000 });
  await expect(page.getByText(/Klaviyo tells Waypost of each unsubscribe as it happens/)).toBeVisible({
    timeout: 20_000,
  });

  const made = await (
    await page.request.post(`${demoAdmin.double}/_double/unsubscribe`, { data: { channel: "email", email: CUSTOMER } })
  ).json();
  expect(made.deliveries).toEqual([expect.objectContaining({ status: 200 })]);

  await expect.poll(() => emailState(page.request), { timeout: 20_000 }).toBe("UNSUBSCRIBED");
  await demoAdmin.open("/app/activity");
  const row = page.getByRole("row").filter({ hasText: CUSTOMER });
  await expect(row).toContainText("Email unsubscribe");
  await expect(row).toContainText("Unsubscribed from email marketing in Shopify");

  // Leave the demo as the other specs expect it: consent sync off, Klaviyo unconnected.
  await demoAdmin.open("/app/track-settings");
  await toggle.click();
  await expect(toggle).not.toBeChecked({ timeout: 20_000 });
  await expect(toggle).toBeEnabled();
  await demoAdmin.open("/app/integrations");
  await disconnectKlaviyo(page);
});

async function disconnectKlaviyo(page: import("@playwright/test").Page) {
  const disconnect = page.getByRole("button", { name: "Disconnect", exact: true });
  if (!(await disconnect.isVisible())) return;
  await disconnect.click();
  await page
    .getByRole("dialog", { name: "Disconnect Klaviyo?" })
    .getByRole("button", { name: "Disconnect Klaviyo" })
    .click();
  await expect(page.getByRole("button", { name: "Connect", exact: true })).toBeVisible();
}
