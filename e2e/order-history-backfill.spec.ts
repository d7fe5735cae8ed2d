import type { Page } from "@playwright/test";
import { expect, test, type DemoAdmin } from "./support/fixtures";

// A merchant imports the demo store's order history (served by the demo's Shopify stand-in)
// into the demo's Klaviyo double, and watches it go. Runs after the other demo specs, whose
// counts it would otherwise add to.
const bulkEventsAtDouble = async (page: Page, demo: DemoAdmin) =>
  (
    (await (await page.request.get(`${demo.double}/_double/activity`)).json()).events as Array<{
      via: string;
      backfill?: boolean;
      uniqueId: string;
    }>
  ).filter((event) => event.via === "bulk");

test("a merchant imports 90 days of order history and watches the progress bar reach done", async ({
  page,
  demoAdmin,
}, testInfo) => {
  await demoAdmin.connectKlaviyo();
  const before = (await bulkEventsAtDouble(page, demoAdmin)).length;

  await demoAdmin.open("/app/track-settings");
  await page.getByLabel("Days of history").fill("90");
  await expect(page.getByLabel("Let these events trigger flows")).not.toBeChecked();
  await page.getByRole("button", { name: "Start import" }).click();

  // The bar moves on its own, without a reload, through the pages of orders.
  const bar = page.getByRole("progressbar");
  await expect(bar).toBeVisible();
  const seen = new Set<string>();
  await expect
    .poll(
      async () => {
        seen.add((await page.locator("#backfill-progress").textContent()) ?? "");
        return page.getByText("Completed", { exact: true }).isVisible();
      },
      { timeout: 60_000, intervals: [250] },
    )
    .toBe(true);
  // Seen part-way (the bar before every order was read), then done, with no reload: the page followed
  // the import by itself. (How many steps it shows depends on the machine: the demo's stand-in has a
  // Plus plan's budget, and 400 orders can be read between two of the card's refreshes.)
  const percents = [...seen].map((text) => Number(/^(\d+)%/.exec(text)?.[1]));
  expect(percents.some((percent) => percent < 100)).toBe(true);
  const summary = (await page.locator("#backfill-progress").textContent())!;
  expect(summary).toMatch(/^100% · 400 of 400 orders read · [\d,]+ of [\d,]+ events sent$/);
  await expect(bar).toHaveAttribute("value", "100");
  await page.waitForTimeout(600); // the bar's fill animates to its value
  await page.screenshot({ path: testInfo.outputPath("backfill-completed.png"), fullPage: true });

  // What the page says was sent is what Klaviyo received, in bulk, without triggering flows.
  const [, sent, found] = /([\d,]+) of ([\d,]+) events sent/
    .exec(summary)!
    .map((text) => Number(text.replace(/,/g, "")));
  expect(sent).toBe(found);
  const bulk = await bulkEventsAtDouble(page, demoAdmin);
  expect(bulk.length - before).toBe(sent);
  expect(bulk.slice(before).every((event) => event.backfill === true)).toBe(true);
  // The start form is back for the next import.
  await expect(page.getByRole("button", { name: "Start import" })).toBeVisible();
});
