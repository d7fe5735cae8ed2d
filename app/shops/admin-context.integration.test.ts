import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../db.server";
import { adminDataRequest, seedInstalledShop } from "../../e2e/support/admin-session";
import { resetDatabase } from "../../e2e/support/integration";
import { BROWSER_USER_AGENT, OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { requireAdmin } from "./admin-context.server";

const URL = "https://waypost.test/app/track-settings?_data=routes%2Fapp.track-settings";

async function thrownResponse(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("expected the request to be refused");
}

beforeEach(async () => {
  await resetDatabase();
  await seedInstalledShop(prisma, TEST_SHOP, "Test Shop");
  await seedInstalledShop(prisma, OTHER_SHOP, "Other Shop");
});

describe("admin authentication", () => {
  it("resolves a valid session token to its own shop, and only that shop", async () => {
    const mine = await requireAdmin(await adminDataRequest(URL, TEST_SHOP));
    const theirs = await requireAdmin(await adminDataRequest(URL, OTHER_SHOP));
    expect(mine.shop.domain).toBe(TEST_SHOP);
    expect(theirs.shop.domain).toBe(OTHER_SHOP);
    expect(mine.shop.id).not.toBe(theirs.shop.id);
  });

  it("refuses a token minted for another app (wrong audience)", async () => {
    const response = await thrownResponse(
      requireAdmin(await adminDataRequest(URL, TEST_SHOP, { apiKey: "another-app" })),
    );
    expect(response.status).toBe(401);
  });

  it("refuses a token signed with another secret", async () => {
    const response = await thrownResponse(requireAdmin(await adminDataRequest(URL, TEST_SHOP, { secret: "forged" })));
    expect(response.status).toBe(401);
  });

  it("refuses an expired token", async () => {
    const anHourAgo = new Date(Date.now() - 60 * 60_000);
    const response = await thrownResponse(requireAdmin(await adminDataRequest(URL, TEST_SHOP, { now: anHourAgo })));
    expect(response.status).toBe(401);
  });

  it("sends a document request without shop parameters to the login page", async () => {
    const request = new Request("https://waypost.test/app", { headers: { "User-Agent": BROWSER_USER_AGENT } });
    const response = await thrownResponse(requireAdmin(request));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toContain("/auth/login");
  });

  it("records the shop as installed when a valid session arrives for a shop with no row yet", async () => {
    await prisma.shop.deleteMany({ where: { domain: TEST_SHOP } });
    const { shop } = await requireAdmin(await adminDataRequest(URL, TEST_SHOP));
    // Named by its myshopify domain until Shopify states its name (no Admin API answers here): nothing invented.
    expect(shop).toMatchObject({ domain: TEST_SHOP, name: TEST_SHOP, uninstalledAt: null, factsReadAt: null });
  });
});
