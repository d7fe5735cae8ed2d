import { orderStory } from "../app/platform/sample-order";
import { expect, test } from "./support/fixtures";
import { TEST_SHOP } from "./support/test-config";
import { signedWebhookHeaders } from "./support/webhook-signer";

const HOSTILE = `<img src=x onerror="window.__injected=1">'; DROP TABLE "TrackingEvent"; --`;

test("store data that looks like HTML or SQL is shown as text in Activity, and runs nothing", async ({
  page,
  request,
  embeddedAdmin,
}, testInfo) => {
  const [placed] = orderStory({ orderId: 4400000000077, trackingNumber: HOSTILE });
  const body = JSON.stringify({ ...(placed.body as object), name: HOSTILE });
  const posted = await request.post(`${embeddedAdmin.app}/webhooks`, {
    headers: signedWebhookHeaders(body, { topic: placed.topic }),
    data: Buffer.from(body),
  });
  expect(posted.status()).toBe(200);
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => void dialog.dismiss().then(() => dialogs.push(dialog.message())));

  await embeddedAdmin.open("/app/activity");
  const row = page.getByRole("row").filter({ hasText: HOSTILE }).first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(HOSTILE);
  await page.screenshot({ path: testInfo.outputPath("hostile-order-name.png"), fullPage: true });

  expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test("only the shop's own admin may frame the app; every other page refuses to be framed", async ({
  page,
  request,
  embeddedAdmin,
}) => {
  const embedded = await embeddedAdmin.url("/app");
  const csp = (await request.get(embedded)).headers()["content-security-policy"];
  expect(csp).toContain(`frame-ancestors https://${TEST_SHOP} https://admin.shopify.com`);
  expect((await request.get(`${embeddedAdmin.app}/`)).headers()["content-security-policy"]).toBe(
    "frame-ancestors 'none';",
  );
  const otherShop = (
    await request.get(`${embeddedAdmin.app}/app?shop=evil.example.com&embedded=1`, { maxRedirects: 0 })
  ).headers()["content-security-policy"];
  expect(otherShop ?? "frame-ancestors 'none';").not.toContain("evil.example.com");

  // A real browser enforces it: Shopify's admin shows the app, another site gets nothing.
  const refusals: string[] = [];
  page.on("console", (message) => refusals.push(message.text()));
  for (const [parent, allowed] of [
    ["https://admin.shopify.com/store/test-shop/apps/waypost", true],
    ["https://evil.example/", false],
  ] as const) {
    await page.route(parent, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<iframe title="app" src="${embedded}" width="1000" height="800"></iframe>`,
      }),
    );
    await page.goto(parent);
    const dashboard = page.frameLocator('iframe[title="app"]').getByRole("heading", { level: 1, name: "Dashboard" });
    if (allowed) await expect(dashboard).toBeVisible();
    else {
      // goto waited for the frame's load: Chromium swapped the app for its error page.
      expect(page.frames()[1].url()).toMatch(/^chrome-error:/);
      // Chromium's wording changes between versions: "Refused to frame …" or "Framing … has been blocked".
      expect(refusals.join("\n")).toMatch(/(Refused to frame|Framing) .*frame-ancestors/s);
      await expect(dashboard).toHaveCount(0);
    }
  }
});
