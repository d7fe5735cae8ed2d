import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, useKlaviyoDouble } from "../../e2e/support/integration";
import { consentAtDouble } from "../../e2e/support/klaviyo-double-env";
import { DEFAULT_ACCOUNTS } from "../demo/doubles/klaviyo/server";
import { seedInstalledShop } from "../../e2e/support/admin-session";
import { OTHER_SHOP, TEST_SHOP } from "../../e2e/support/test-config";
import { prisma } from "../db.server";
import { env } from "../env.server";
import {
  AUTHORIZATION_LIFETIME_MS,
  beginKlaviyoAuthorization,
  completeKlaviyoAuthorization,
} from "./authorization.server";
import { connectWithPrivateKey, forgetKlaviyoConnection, klaviyoConnectionView } from "./connection.server";
import { sealSecret } from "../sealed-secret";
import { refreshDueConnections } from "./token-refresh.server";

const double = useKlaviyoDouble();
let shopId: string;
let otherShopId: string;
const DEMO_KEY = DEFAULT_ACCOUNTS[0].privateKeys[0];

beforeEach(async () => {
  await resetDatabase();
  shopId = (await seedInstalledShop(prisma, TEST_SHOP)).id;
  otherShopId = (await seedInstalledShop(prisma, OTHER_SHOP)).id;
});

async function connectWithOAuth(forShopId = shopId) {
  const begun = await beginKlaviyoAuthorization(forShopId);
  if (!begun.ok) throw new Error("OAuth is not configured");
  const callback = await consentAtDouble(begun.authorizeUrl, "allow");
  return {
    callback,
    result: await completeKlaviyoAuthorization({
      code: callback.searchParams.get("code"),
      state: callback.searchParams.get("state"),
    }),
  };
}

describe("connecting Klaviyo with OAuth", () => {
  it("asks for the seed's permissions (and webhooks, for consent sync) with PKCE S256 and a state, then stores the verified account", async () => {
    const begun = await beginKlaviyoAuthorization(shopId);
    expect(begun.ok).toBe(true);
    const url = new URL(begun.ok ? begun.authorizeUrl : "");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("scope")!.split(" ").sort()).toEqual([
      "accounts:read",
      "campaigns:read",
      "events:read",
      "events:write",
      "flows:read",
      "metrics:read",
      "profiles:read",
      "profiles:write",
      "webhooks:read",
      "webhooks:write",
    ]);
    expect(url.searchParams.get("redirect_uri")).toBe(`${env.appUrl}/klaviyo/callback`);

    const callback = await consentAtDouble(url.toString(), "allow");
    const result = await completeKlaviyoAuthorization({
      code: callback.searchParams.get("code"),
      state: callback.searchParams.get("state"),
    });

    expect(result).toEqual({ ok: true, shopDomain: TEST_SHOP, accountName: "Waypost Demo Klaviyo" });
    expect(await klaviyoConnectionView(shopId)).toMatchObject({
      status: "connected",
      method: "oauth",
      accountId: "KDEMO1",
    });
  });

  it("keeps tokens encrypted at rest: the stored row never holds the token Klaviyo issued", async () => {
    await connectWithOAuth();
    const row = await prisma.klaviyoConnection.findUniqueOrThrow({ where: { shopId } });
    const issued = double.state.tokens[0];
    expect(JSON.stringify(row)).not.toContain(issued.accessToken);
    expect(JSON.stringify(row)).not.toContain(issued.refreshToken);
    expect(row.sealedAccessToken.startsWith("v1.")).toBe(true);
  });

  it("accepts a state once: a replayed callback is refused and changes nothing", async () => {
    const { callback } = await connectWithOAuth();
    const replay = await completeKlaviyoAuthorization({
      code: callback.searchParams.get("code"),
      state: callback.searchParams.get("state"),
    });
    expect(replay).toEqual({ ok: false, reason: "invalid_state" });
  });

  it("refuses an unknown state without touching any shop", async () => {
    expect(await completeKlaviyoAuthorization({ code: "x", state: "made-up" })).toEqual({
      ok: false,
      reason: "invalid_state",
    });
    expect(await prisma.klaviyoConnection.count()).toBe(0);
  });

  it("reports denied consent to the shop that asked, storing nothing", async () => {
    const begun = await beginKlaviyoAuthorization(shopId);
    const callback = await consentAtDouble(begun.ok ? begun.authorizeUrl : "", "deny");
    const result = await completeKlaviyoAuthorization({
      state: callback.searchParams.get("state"),
      error: callback.searchParams.get("error"),
    });
    expect(result).toEqual({ ok: false, shopDomain: TEST_SHOP, reason: "denied" });
    expect(await prisma.klaviyoConnection.count()).toBe(0);
  });

  it("refuses an expired state", async () => {
    const begun = await beginKlaviyoAuthorization(shopId);
    const callback = await consentAtDouble(begun.ok ? begun.authorizeUrl : "", "allow");
    const later = new Date(Date.now() + AUTHORIZATION_LIFETIME_MS + 1000);
    const result = await completeKlaviyoAuthorization(
      { code: callback.searchParams.get("code"), state: callback.searchParams.get("state") },
      later,
    );
    expect(result).toMatchObject({ ok: false, reason: "expired_state" });
    expect(await prisma.klaviyoConnection.count()).toBe(0);
  });

  it("stores nothing when the PKCE verifier does not match the challenge", async () => {
    const begun = await beginKlaviyoAuthorization(shopId);
    const callback = await consentAtDouble(begun.ok ? begun.authorizeUrl : "", "allow");
    const forged = sealSecret("x".repeat(43), env.encryptionKey, `klaviyo-pkce:${shopId}`);
    await prisma.klaviyoAuthorization.updateMany({ data: { sealedCodeVerifier: forged } });
    const result = await completeKlaviyoAuthorization({
      code: callback.searchParams.get("code"),
      state: callback.searchParams.get("state"),
    });
    expect(result).toMatchObject({ ok: false, reason: "token_exchange_failed" });
    expect(await prisma.klaviyoConnection.count()).toBe(0);
  });

  it("binds the state to the shop that began it", async () => {
    const { result } = await connectWithOAuth(otherShopId);
    expect(result).toMatchObject({ ok: true, shopDomain: OTHER_SHOP });
    expect((await klaviyoConnectionView(shopId)).status).toBe("not_connected");
    expect((await klaviyoConnectionView(otherShopId)).status).toBe("connected");
  });
});

describe("keeping the connection alive", () => {
  it("refreshes an access token before it expires", async () => {
    await connectWithOAuth();
    await prisma.klaviyoConnection.updateMany({ data: { accessTokenExpiresAt: new Date(Date.now() + 60_000) } });
    const before = await prisma.klaviyoConnection.findUniqueOrThrow({ where: { shopId } });

    expect(await refreshDueConnections()).toEqual(["refreshed"]);

    const after = await prisma.klaviyoConnection.findUniqueOrThrow({ where: { shopId } });
    expect(after.sealedAccessToken).not.toBe(before.sealedAccessToken);
    expect(after.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(double.state.tokens).toHaveLength(2);
  });

  it("leaves tokens with time to spare alone", async () => {
    await connectWithOAuth();
    expect(await refreshDueConnections()).toEqual([]);
  });

  it("marks the connection 'needs reconnect' when Klaviyo refuses the refresh token", async () => {
    await connectWithOAuth();
    for (const token of double.state.tokens) token.revoked = true;
    await prisma.klaviyoConnection.updateMany({ data: { accessTokenExpiresAt: new Date(Date.now() + 60_000) } });

    expect(await refreshDueConnections()).toEqual(["needs_reconnect"]);
    expect(await klaviyoConnectionView(shopId)).toMatchObject({ status: "needs_reconnect" });
  });
});

describe("private API key", () => {
  it("refuses something that is not a private key, without calling Klaviyo", async () => {
    const result = await connectWithPrivateKey(shopId, "hello");
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("starts with pk_") });
    expect(double.state.summary().peaks).toEqual({});
  });

  it("refuses a key Klaviyo does not accept", async () => {
    const result = await connectWithPrivateKey(shopId, "pk_0000000000000000000000000000");
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining("did not accept this private API key"),
    });
    expect(await prisma.klaviyoConnection.count()).toBe(0);
  });

  it("connects with a key Klaviyo accepts and stores it sealed", async () => {
    expect(await connectWithPrivateKey(shopId, ` ${DEMO_KEY} `)).toEqual({
      ok: true,
      accountName: "Waypost Demo Klaviyo",
    });
    const row = await prisma.klaviyoConnection.findUniqueOrThrow({ where: { shopId } });
    expect(row.method).toBe("private_key");
    expect(JSON.stringify(row)).not.toContain(DEMO_KEY);
  });
});

describe("disconnecting", () => {
  it("revokes the grant at Klaviyo and forgets the tokens", async () => {
    await connectWithOAuth();
    expect(await forgetKlaviyoConnection(shopId)).toEqual({ disconnected: true, revoked: true });
    expect(double.state.tokens.every((token) => token.revoked)).toBe(true);
    expect(await prisma.klaviyoConnection.count({ where: { shopId } })).toBe(0);
  });

  it("disconnects only the shop that asked", async () => {
    await connectWithOAuth();
    await connectWithOAuth(otherShopId);
    await forgetKlaviyoConnection(shopId);
    expect((await klaviyoConnectionView(otherShopId)).status).toBe("connected");
    expect(double.state.tokens.filter((token) => !token.revoked)).toHaveLength(1);
  });
});
