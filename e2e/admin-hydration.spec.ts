import { expect, test } from "./support/fixtures";

// React hydrates the whole document: when the HTML the server sent differs from the browser's
// first render (a time zone, a locale, a script changing <head>), it throws the server's HTML away
// and draws every page again in the browser. The production build names it only by its codes.
const HYDRATION_FAILED = /Minified React error #(418|423|425)|Hydration failed|did not match|error while hydrating/i;
const PAGES = [
  "/app",
  "/app/track-settings",
  "/app/integrations",
  "/app/activity",
  "/app/help",
  "/app/account-settings",
];

for (const browser of [
  { name: "a browser in the server's time zone", settings: {} },
  { name: "a browser in Los Angeles, in German", settings: { timezoneId: "America/Los_Angeles", locale: "de-DE" } },
]) {
  test.describe(browser.name, () => {
    test.use(browser.settings);

    test("every admin page hydrates the HTML the server rendered", async ({ page, demoAdmin }) => {
      const failures: string[] = [];
      page.on("pageerror", (error) => failures.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") failures.push(message.text());
      });
      for (const path of PAGES) {
        await demoAdmin.open(path);
        await page.waitForLoadState("networkidle");
        expect(
          failures.filter((failure) => HYDRATION_FAILED.test(failure)),
          path,
        ).toEqual([]);
      }
    });
  });
}
