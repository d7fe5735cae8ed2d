import { describe, expect, it } from "vitest";
import { BROWSER_USER_AGENT, TEST_APP_URL, TEST_SHOP } from "../../e2e/support/test-config";
import { loader } from "./auth.$";

// Security review F3: Shopify's exit-iframe page opened any https URL in the top window.

async function exitIframe(target: string, shop = TEST_SHOP) {
  const query = new URLSearchParams({ shop, host: "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvdGVzdC1zaG9w", exitIframe: target });
  const request = new Request(`${TEST_APP_URL}/auth/exit-iframe?${query}`, {
    headers: { "User-Agent": BROWSER_USER_AGENT },
  });
  let response: Response;
  try {
    response = await loader({ request, params: { "*": "exit-iframe" }, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  return { status: response.status, body: await response.text() };
}

describe("/auth/exit-iframe", () => {
  it("opens this app or the shop's own admin", async () => {
    for (const target of [
      "/auth?shop=test-shop.myshopify.com",
      `${TEST_APP_URL}/app/integrations`,
      "https://admin.shopify.com/store/test-shop/charges/confirm",
      `https://${TEST_SHOP}/admin/oauth/authorize?client_id=x`,
    ]) {
      const page = await exitIframe(target);
      expect(page.status, target).toBe(200);
      expect(page.body, target).toContain("window.open(");
    }
  });

  it("refuses anywhere else: another site, another shop's admin, a script", async () => {
    for (const target of [
      "https://evil.example/phish",
      "//evil.example/phish",
      "https://admin.shopify.com/store/other-shop/apps",
      "https://other-shop.myshopify.com/admin/oauth/authorize",
      "https://admin.shopify.com.evil.example/store/test-shop/",
      "javascript:alert(1)",
      "",
    ]) {
      const page = await exitIframe(target);
      expect(page.status, target).toBe(400);
      expect(page.body, target).not.toContain("window.open(");
    }
    expect((await exitIframe("https://admin.shopify.com/store/evil/x", "evil.example")).status).toBe(400);
  });
});
