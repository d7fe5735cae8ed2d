import { describe, expect, it } from "vitest";
import { isAuthenticWebhook, signWebhookBody } from "./webhook-signature";

const secret = "app-secret";
const body = '{"id":820982911946154508,"email":"jon@example.com"}';

describe("webhook signature", () => {
  it("matches Shopify's base64 HMAC-SHA256 of the raw body", () => {
    // Reference value computed independently: printf '%s' "$body" | openssl dgst -sha256 -hmac app-secret -binary | base64
    expect(signWebhookBody(body, secret)).toBe("sYAW8yRCqnPWOAQv4RwlQWIrlIVC8QI/NC6LfnxuHRM=");
  });

  it("accepts a body signed with the app secret", () => {
    expect(isAuthenticWebhook(body, signWebhookBody(body, secret), secret)).toBe(true);
  });

  it("rejects a signature made with another secret", () => {
    expect(isAuthenticWebhook(body, signWebhookBody(body, "other-secret"), secret)).toBe(false);
  });

  it("rejects a body changed after signing, even by one byte", () => {
    const signature = signWebhookBody(body, secret);
    expect(isAuthenticWebhook(body.replace("jon", "jan"), signature, secret)).toBe(false);
  });

  it("rejects a missing, empty, truncated or non-base64 signature without throwing", () => {
    const signature = signWebhookBody(body, secret);
    for (const bad of [null, "", signature.slice(0, 20), "not base64 at all!", `${signature}AAAA`]) {
      expect(isAuthenticWebhook(body, bad, secret)).toBe(false);
    }
  });
});
