import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { settingsDefinition } from "../demo/doubles/shopify-admin/web-pixels";
import { resolveEnv } from "../env.server";
import { missingPixelScopes, PIXEL_SCOPES, pixelSettingsJson, webPixelAnswer } from "./storefront-pixel";

const appToml = readFileSync("shopify.app.toml", "utf8");
const tomlScopes = () => /^scopes = "([^"]*)"/m.exec(appToml)![1].split(",");

describe("the storefront pixel's registration", () => {
  it("sends exactly the settings the extension declares, as a JSON string of strings", () => {
    const settings = JSON.parse(
      pixelSettingsJson("https://waypost.example.com/", "wpk_1", ["logged_in", "page_viewed"]),
    );
    expect(Object.keys(settings).sort()).toEqual([...settingsDefinition().keys()].sort());
    expect(settings).toEqual({
      ingestUrl: "https://waypost.example.com/pixel/events",
      pixelKey: "wpk_1",
      events: "page_viewed,logged_in",
    });
  });

  it("asks for the pixel scopes in shopify.app.toml and in the app's default scopes alike", () => {
    expect(tomlScopes()).toEqual(expect.arrayContaining([...PIXEL_SCOPES]));
    const configured = resolveEnv({
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: "secret",
      SHOPIFY_APP_URL: "https://waypost.example.com",
      ENCRYPTION_KEY: "a".repeat(64),
    });
    expect(configured.scopes).toEqual(tomlScopes());
    expect(appToml).toMatch(/^extension_directories = \["app\/extensions\/\*"\]$/m);
  });

  it("names the scopes a session lacks", () => {
    expect(missingPixelScopes("read_orders,read_customers")).toEqual(["write_pixels", "read_customer_events"]);
    expect(missingPixelScopes("read_orders,write_pixels,read_customer_events")).toEqual([]);
    expect(missingPixelScopes(null)).toEqual([...PIXEL_SCOPES]);
  });

  it("reads Shopify's user errors: TAKEN on create, NOT_FOUND on update", () => {
    expect(webPixelAnswer({ userErrors: [], webPixel: { id: "gid://shopify/WebPixel/1", settings: "{}" } })).toEqual({
      ok: true,
      webPixelId: "gid://shopify/WebPixel/1",
    });
    expect(webPixelAnswer({ userErrors: [{ code: "TAKEN", message: "Web pixel is taken." }], webPixel: null })).toEqual(
      {
        ok: false,
        taken: true,
        detail: "Web pixel is taken. (TAKEN)",
      },
    );
    expect(webPixelAnswer({ userErrors: [{ code: "NOT_FOUND", message: "Not found" }], webPixel: null })).toMatchObject(
      {
        notFound: true,
      },
    );
  });
});
