import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./sealed-secret";

describe("sealed secrets", () => {
  const key = randomBytes(32);

  it("round-trips a token and never stores it in the clear", () => {
    const sealed = sealSecret("kl-access-token-123", key, "shop-a");
    expect(sealed).not.toContain("kl-access-token-123");
    expect(openSecret(sealed, key, "shop-a")).toBe("kl-access-token-123");
  });

  it("seals the same token differently every time", () => {
    expect(sealSecret("same", key, "shop-a")).not.toBe(sealSecret("same", key, "shop-a"));
  });

  it("will not open under another shop, another key, or after tampering", () => {
    const sealed = sealSecret("kl-access-token-123", key, "shop-a");
    expect(() => openSecret(sealed, key, "shop-b")).toThrow();
    expect(() => openSecret(sealed, randomBytes(32), "shop-a")).toThrow();
    const [version, iv, tag, ciphertext] = sealed.split(".");
    const flipped = Buffer.from(ciphertext, "base64url");
    flipped[0] ^= 1;
    expect(() => openSecret([version, iv, tag, flipped.toString("base64url")].join("."), key, "shop-a")).toThrow();
    expect(() => openSecret("plain-token", key, "shop-a")).toThrow("not a sealed secret");
  });
});
