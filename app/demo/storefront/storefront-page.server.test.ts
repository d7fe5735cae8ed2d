import { describe, expect, it } from "vitest";
import { isStorefrontAsset, storefrontAsset } from "./assets.server";
import { storefrontPage } from "./storefront-page.server";

const page = (overrides: Partial<Parameters<typeof storefrontPage>[0]> = {}) =>
  storefrontPage({
    settings: { ingestUrl: "http://localhost:3000/pixel/events", pixelKey: "wpx_demo", events: "page_viewed" },
    shop: { domain: "waypost-demo.myshopify.com", name: "Waypost Demo Store" },
    customer: null,
    productNumbers: [1, 2],
    ...overrides,
  });

describe("the demo storefront", () => {
  it("gives its script the pixel's settings and a product to view and add per product number", () => {
    const html = page();
    const config = JSON.parse(
      /<script type="application\/json" id="storefront-config">(.*?)<\/script>/s.exec(html)![1],
    );
    expect(config.settings.pixelKey).toBe("wpx_demo");
    expect(html.match(/data-action="view"/g)).toHaveLength(2);
    expect(html.match(/data-action="add"/g)).toHaveLength(2);
    expect(html).toContain("Sign in as Demo Customer");
  });

  it("says the pixel is missing instead of offering a storefront that sends nothing", () => {
    const html = page({ settings: null });
    expect(html).toContain("Waypost's pixel is not on this storefront yet");
    expect(html).not.toContain('data-action="view"');
  });

  it("escapes what it shows, and no value can close its config's script element", () => {
    const name = `</script><script>alert(1)</script>`;
    const html = page({ shop: { domain: "waypost-demo.myshopify.com", name } });
    expect(html).not.toContain("<script>alert(1)");
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it("serves its three scripts, built, and nothing else", async () => {
    expect(["storefront.js", "sandbox-worker.js", "waypost-pixel.js"].every(isStorefrontAsset)).toBe(true);
    expect(isStorefrontAsset("../../env.server.ts")).toBe(false);
    expect(isStorefrontAsset("toString")).toBe(false);
    // The pixel bundle includes Shopify's register, which calls the sandbox's shopify.extend.
    expect(await storefrontAsset("waypost-pixel.js")).toContain("shopify.extend");
  }, 20_000);
});
