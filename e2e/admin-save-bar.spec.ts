import { atAdminWidths, expect, test } from "./support/fixtures";

// Track Settings inside the admin (App Bridge played by the e2e stand-in): its changes sit behind
// App Bridge's contextual save bar, and nothing unsaved is left behind without a warning. Each
// test has a shop of its own, so a saved change never leaks into another test.

atAdminWidths((width) => {
  test("a change shows the save bar; Discard puts the saved settings back", async ({ page, freshAdmin }, testInfo) => {
    await freshAdmin.open("/app/track-settings");
    const goLive = page.getByRole("checkbox", { name: "Go Live", exact: true });
    const saveBar = page.getByRole("region", { name: "Unsaved changes" });
    await expect(goLive).not.toBeChecked();
    await expect(saveBar).toHaveCount(0);
    // The page has no Save of its own: saving is the save bar's.
    await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);

    await goLive.check();
    await expect(saveBar).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`save-bar-${width}.png`), fullPage: true });
    await goLive.uncheck();
    await expect(saveBar).toHaveCount(0);

    await goLive.check();
    await saveBar.getByRole("button", { name: "Discard" }).click();
    await expect(goLive).not.toBeChecked();
    await expect(saveBar).toHaveCount(0);
  });

  test("leaving with unsaved changes asks first: Stay keeps them, Leave page drops them", async ({
    page,
    freshAdmin,
  }, testInfo) => {
    await freshAdmin.open("/app/track-settings");
    const goLive = page.getByRole("checkbox", { name: "Go Live", exact: true });
    await goLive.check();

    const leaveLink = page.getByRole("link", { name: "choosing events and Go Live" });
    await leaveLink.click();
    const dialog = page.getByRole("dialog", { name: "Leave page with unsaved changes?" });
    // At 390 px Polaris draws the modal as a bottom sheet whose dialog box has no height: look at its text.
    const question = dialog.getByText("Leaving this page discards all unsaved changes.");
    await expect(question).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`leave-confirmation-${width}.png`) });
    await dialog.getByRole("button", { name: "Stay" }).click();
    await expect(question).toBeHidden();
    await expect(page.getByRole("heading", { level: 1, name: "Track Settings" })).toBeVisible();
    await expect(goLive).toBeChecked();

    await leaveLink.click();
    await dialog.getByRole("button", { name: "Leave page" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Help" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Unsaved changes" })).toHaveCount(0);

    await freshAdmin.open("/app/track-settings");
    await expect(goLive).not.toBeChecked();
  });

  test("closing the tab with unsaved changes gets the browser's warning", async ({ page, freshAdmin }) => {
    await freshAdmin.open("/app/track-settings");
    const goLive = page.getByRole("checkbox", { name: "Go Live", exact: true });
    await goLive.check();
    const dialog = page.waitForEvent("dialog");
    await page.close({ runBeforeUnload: true });
    const shown = await dialog;
    expect(shown.type()).toBe("beforeunload");
    // Leave: the page closes, and the test ends with nothing left open.
    await shown.accept();
  });

  test("Save in the save bar saves, confirms with a toast, and the settings survive a reload", async ({
    page,
    freshAdmin,
  }, testInfo) => {
    await freshAdmin.open("/app/track-settings");
    const goLive = page.getByRole("checkbox", { name: "Go Live", exact: true });
    const saveBar = page.getByRole("region", { name: "Unsaved changes" });
    await goLive.check();
    await saveBar.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").getByText("Settings saved.")).toBeVisible();
    await expect(saveBar).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath(`saved-toast-${width}.png`), fullPage: true });

    await freshAdmin.open("/app/track-settings");
    await expect(goLive).toBeChecked();
  });
});

test("without unsaved changes the page can be left without a question", async ({ page, freshAdmin }) => {
  await freshAdmin.open("/app/track-settings");
  await page.getByRole("link", { name: "choosing events and Go Live" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Help" })).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});
