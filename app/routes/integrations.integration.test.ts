import { beforeEach, describe, expect, it } from "vitest";
import { adminRequest } from "../../e2e/support/admin-session";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { DEFAULT_ACCOUNTS } from "../demo/doubles/klaviyo/server";
import * as integrations from "./app.integrations";

useKlaviyoDouble();

beforeEach(async () => {
  await resetDatabase();
  await seedShop({ domain: TEST_SHOP, name: TEST_SHOP });
  await seedShop({ domain: OTHER_SHOP, name: OTHER_SHOP });
});

const integrationsOf = async (shop: string) =>
  (
    await integrations.loader({ request: await adminRequest(shop, "/app/integrations"), params: {}, context: {} })
  ).json();
const integrationAction = async (shop: string, form: Record<string, string>) =>
  integrations.action({ request: await adminRequest(shop, "/app/integrations", form), params: {}, context: {} });

describe("Integrations", () => {
  it("never sends a token or key to the browser", async () => {
    await integrationAction(TEST_SHOP, { intent: "private_key", apiKey: DEFAULT_ACCOUNTS[0].privateKeys[0] });
    const page = JSON.stringify(await integrationsOf(TEST_SHOP));
    expect(page).not.toContain(DEFAULT_ACCOUNTS[0].privateKeys[0]);
    expect(page).not.toContain("sealed");
  });

  it("refuses an unknown integration action with 400", async () => {
    expect((await integrationAction(TEST_SHOP, { intent: "delete_everything" })).status).toBe(400);
  });

  it("explains a rejected private key to the merchant", async () => {
    const response = await integrationAction(TEST_SHOP, {
      intent: "private_key",
      apiKey: "pk_wrongwrongwrongwrongwrong",
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error?: string }).error).toContain("did not accept this private API key");
  });
});

describe("Integrations: the storefront pixel", () => {
  it("shows the pixel's state, and says which permission is missing when the merchant connects it", async () => {
    expect((await integrationsOf(TEST_SHOP)).pixel).toMatchObject({ status: expect.any(String) });
    // The seeded session holds read_orders only, as an install from before the pixel scopes.
    const response = await integrationAction(TEST_SHOP, { intent: "sync_pixel" });
    const { pixel } = (await response.json()) as { pixel: { status: string; detail: string } };
    expect(pixel).toMatchObject({ status: "missing_scope" });
    expect(pixel.detail).toContain("write_pixels");
    expect((await integrationsOf(TEST_SHOP)).pixel.status).toBe("missing_scope");
  });
});
