import { atAdminWidths, expect, test } from "./support/fixtures";

atAdminWidths((width) => {
  test("a first visit to Activity says what to do next, and leads there", async ({ page, freshAdmin }, testInfo) => {
    await freshAdmin.open("/app/activity");
    await expect(page.getByRole("heading", { level: 1, name: "Activity" })).toBeVisible();
    await expect(page.getByText("No events yet", { exact: true })).toBeVisible();
    await expect(page.getByText(/Choose the events to send and turn on Go Live first\.$/)).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath(`activity-first-visit-${width}.png`), fullPage: true });

    await page.getByRole("link", { name: "Choose events to send" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Track Settings" })).toBeVisible();
  });

  test("a filter that matches nothing says so and offers to clear it", async ({ page, freshAdmin }, testInfo) => {
    await freshAdmin.open("/app/activity?status=dead_lettered");
    await expect(page.getByText("No events match this filter", { exact: true })).toBeVisible();
    await expect(page.getByText(/^Try another status, event, source or date range/)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`activity-filter-empty-${width}.png`), fullPage: true });

    // The filter form's own link, then the empty state's.
    const clear = page.getByRole("link", { name: "Clear filters" });
    await expect(clear).toHaveCount(2);
    await clear.nth(1).click();
    await expect(page).toHaveURL(/\/app\/activity$/);
    await expect(page.getByLabel("Status", { exact: true })).toHaveValue("");
    await expect(page.getByText("No events yet", { exact: true })).toBeVisible();
  });
});
