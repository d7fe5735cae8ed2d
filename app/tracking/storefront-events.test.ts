import { describe, expect, it } from "vitest";
import { identityInBatch, startsVisit, VISIT_GAP_MS } from "./storefront-events";

describe("storefront visits and identity", () => {
  it("starts a visit on the first page view and after 30 minutes without one", () => {
    const at = new Date("2026-11-30T10:00:00Z");
    expect(startsVisit(null, at)).toBe(true);
    expect(startsVisit(new Date(at.getTime() - VISIT_GAP_MS + 1), at)).toBe(false);
    expect(startsVisit(new Date(at.getTime() - VISIT_GAP_MS), at)).toBe(true);
  });

  it("knows the visitor from the logged-in customer first, else the email typed at checkout, lower-cased", () => {
    const checkout = {
      id: "c",
      name: "checkout_started" as const,
      timestamp: "2026-11-30T10:00:00Z",
      data: { checkout: { email: "Guest@Example.com" } },
    };
    expect(identityInBatch({ customer: null, events: [checkout] })).toEqual({ email: "guest@example.com" });
    expect(
      identityInBatch({
        customer: { id: "gid://shopify/Customer/1", email: "Ann@Example.com", firstName: "Ann" },
        events: [checkout],
      }),
    ).toEqual({ customerId: "gid://shopify/Customer/1", email: "ann@example.com", firstName: "Ann" });
    expect(identityInBatch({ customer: { email: " " }, events: [] })).toBeNull();
  });
});
