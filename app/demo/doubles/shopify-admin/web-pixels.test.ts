import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adminSchema } from "../../contracts/shopify-admin-schema.server";
import { WEB_PIXEL_CREATE, WEB_PIXEL_QUERY, WEB_PIXEL_UPDATE } from "../../../platform/storefront-pixel";
import { startShopifyAdminDouble, type ShopifyAdminDouble } from "./server";
import { settingsDefinition } from "./web-pixels";

beforeAll(() => void adminSchema(), 120_000);

let double: ShopifyAdminDouble;
beforeAll(async () => {
  double = await startShopifyAdminDouble({});
});
afterAll(async () => double.close());
beforeEach(() => {
  double.state.store.webPixel = null;
  double.state.store.grantedScopes = undefined;
});

async function post(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${double.url}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_test" },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const settings = (fields: Record<string, unknown>) => JSON.stringify(fields);
const VALID = settings({ ingestUrl: "https://waypost.example.com/pixel/events", pixelKey: "wpk_1", events: "" });
const create = (value: unknown) => post(WEB_PIXEL_CREATE, { webPixel: { settings: value } });

describe("the Admin API stand-in's web pixels", () => {
  it("reads the settings definition from the extension's shopify.extension.toml", () => {
    expect(Object.fromEntries(settingsDefinition())).toEqual({ ingestUrl: 1, pixelKey: 1, events: 0 });
  });

  it("creates one pixel per app, then answers TAKEN, and reads and updates it by id", async () => {
    const created = await create(VALID);
    expect(created.data.webPixelCreate.userErrors).toEqual([]);
    const id = created.data.webPixelCreate.webPixel.id;
    expect(id).toMatch(/^gid:\/\/shopify\/WebPixel\/\d+$/);
    expect((await create(VALID)).data.webPixelCreate.userErrors[0].code).toBe("TAKEN");
    expect((await post(WEB_PIXEL_QUERY)).data.webPixel).toEqual({ id, settings: VALID });
    const changed = settings({
      ingestUrl: "https://waypost.example.com/pixel/events",
      pixelKey: "wpk_1",
      events: "page_viewed",
    });
    const updated = await post(WEB_PIXEL_UPDATE, { id, webPixel: { settings: changed } });
    expect(updated.data.webPixelUpdate).toEqual({ userErrors: [], webPixel: { id, settings: changed } });
  });

  it("refuses settings that are not JSON, or do not match the definition", async () => {
    expect((await create("{not json")).data.webPixelCreate.userErrors[0].code).toBe("INVALID_CONFIGURATION_JSON");
    for (const wrong of [
      settings({ ingestUrl: "https://w.example/pixel/events", events: "" }),
      settings({ ingestUrl: "https://w.example/pixel/events", pixelKey: "", events: "" }),
      settings({ ingestUrl: "https://w.example/pixel/events", pixelKey: "k", events: ["page_viewed"] }),
      settings({ ingestUrl: "https://w.example/pixel/events", pixelKey: "k", events: "", accountId: "1" }),
    ]) {
      const answer = await create(wrong);
      expect(answer.data.webPixelCreate).toMatchObject({ webPixel: null, userErrors: [{ code: "INVALID_SETTINGS" }] });
    }
    expect(double.state.store.webPixel).toBeNull();
  });

  it("answers NOT_FOUND for another id", async () => {
    await create(VALID);
    const answer = await post(WEB_PIXEL_UPDATE, { id: "gid://shopify/WebPixel/999999", webPixel: { settings: VALID } });
    expect(answer.data.webPixelUpdate.userErrors[0].code).toBe("NOT_FOUND");
  });

  it("refuses the mutation without write_pixels, as Shopify does", async () => {
    double.state.store.grantedScopes = ["read_orders"];
    const answer = await create(VALID);
    expect(answer.errors[0]).toMatchObject({ extensions: { code: "ACCESS_DENIED" } });
    expect(answer.errors[0].message).toContain("write_pixels");
  });

  it("refuses a document the 2026-07 schema does not have", async () => {
    const answer = await post(
      `mutation { webPixelCreate(webPixel: { settings: "{}", name: "x" }) { webPixel { id } } }`,
    );
    expect(answer.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});
