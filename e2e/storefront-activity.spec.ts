import { expect, test } from "./support/fixtures";
import { pixelBatch, postPixelBatch, standardEvent } from "./support/pixel-batch";

// The merchant turns on a storefront event; a batch from the storefront's pixel arrives at the
// real ingest over HTTP; the event is in Activity under its Klaviyo metric.
test("a storefront toggle turned on in Track Settings brings the pixel's Viewed Product into Activity", async ({
  page,
  freshAdmin,
  freshShop,
}, testInfo) => {
  await freshShop.connectKlaviyo();
  const pixelKey = "wpx_e2e-storefront-key";
  await freshShop.db.shop.update({ where: { id: freshShop.id }, data: { pixelKey } });

  await freshAdmin.open("/app/track-settings");
  const storefront = page.getByRole("heading", { name: "Storefront activity" });
  await expect(storefront).toBeVisible();
  const viewedProduct = page.getByRole("checkbox", { name: "Viewed Product" });
  await expect(viewedProduct).not.toBeChecked();
  await page.getByRole("checkbox", { name: "Go Live", exact: true }).check();
  await viewedProduct.check();
  await page.getByRole("region", { name: "Unsaved changes" }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("region", { name: "Unsaved changes" })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("storefront-activity-settings.png"), fullPage: true });

  const shop = freshAdmin.shop;
  const answer = await postPixelBatch(
    freshAdmin.app,
    pixelBatch({ shop, pixelKey, events: [standardEvent("product_viewed", shop)] }),
    { origin: `https://${shop}` },
  );
  expect(answer.status).toBe(204);
  expect(answer.headers.get("access-control-allow-origin")).toBe(`https://${shop}`);

  await expect(async () => {
    await freshAdmin.open("/app/activity");
    await expect(page.getByRole("row").filter({ hasText: "Viewed Product" })).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await page.screenshot({ path: testInfo.outputPath("storefront-activity-event.png"), fullPage: true });
});
