import { describe, expect, it } from "vitest";
import {
  checkoutStarted,
  collectionViewed,
  productAddedToCart,
  productViewed,
  searchSubmitted,
  signedInCustomer,
} from "./standard-events";
import { MAX_LISTED_VARIANTS } from "./contract";
import { trimCustomer, trimEvent } from "./trim";

describe("trimEvent", () => {
  it("keeps a product view's variant and page, and leaves Shopify's navigator and window in the browser", () => {
    const trimmed = trimEvent(productViewed(), "product_viewed")!;
    expect(trimmed).toEqual({
      id: "sh-product-1",
      name: "product_viewed",
      timestamp: "2026-12-02T10:00:05.000Z",
      context: {
        document: {
          location: { href: "https://demo-store.myshopify.com/products/trail-runner-1" },
          referrer: "https://demo-store.myshopify.com/",
          title: "Trail Runner 1",
        },
      },
      data: {
        productVariant: {
          id: "gid://shopify/ProductVariant/40000000001",
          title: "42 / Slate",
          sku: "TR-1-42",
          price: { amount: 48, currencyCode: "USD" },
          image: { src: "https://cdn.shopify.com/s/files/1/0000/0001/products/trail-shoe-1.jpg" },
          product: {
            id: "gid://shopify/Product/70000000001",
            title: "Trail Runner 1",
            vendor: "Waypost Outfitters",
            type: "Shoes",
            url: "/products/trail-runner-1",
          },
        },
      },
    });
    expect(JSON.stringify(trimmed)).not.toMatch(/userAgent|untranslatedTitle|innerWidth/);
  });

  it("cuts a collection's and a search's variants to ten", () => {
    const collection = trimEvent(collectionViewed(), "collection_viewed")!.data.collection as { productVariants: [] };
    expect(collectionViewed().data.collection.productVariants).toHaveLength(12);
    expect(collection.productVariants).toHaveLength(MAX_LISTED_VARIANTS);
    expect(trimEvent(searchSubmitted(), "search_submitted")!.data).toMatchObject({
      searchResult: { query: "trail", productVariants: [{ sku: "TR-1-42" }, { sku: "TR-2-42" }] },
    });
  });

  it("keeps a cart line's quantity, cost and merchandise", () => {
    expect(trimEvent(productAddedToCart(), "product_added_to_cart")!.data).toEqual({
      cartLine: {
        quantity: 2,
        cost: { totalAmount: { amount: 96, currencyCode: "USD" } },
        merchandise: expect.objectContaining({ id: "gid://shopify/ProductVariant/40000000001" }),
      },
    });
  });

  it("keeps a checkout's token, totals, contact and line items, and drops its addresses and transactions", () => {
    const { checkout } = trimEvent(checkoutStarted(), "checkout_started")!.data as {
      checkout: Record<string, unknown>;
    };
    expect(Object.keys(checkout).sort()).toEqual(
      ["currencyCode", "email", "lineItems", "phone", "subtotalPrice", "token", "totalPrice"].sort(),
    );
    expect(checkout.lineItems).toEqual([
      { title: "Trail Runner 1", quantity: 2, variant: expect.objectContaining({ sku: "TR-1-42" }) },
    ]);
  });

  it("cuts a very long URL so one event cannot fill a batch", () => {
    const event = productViewed();
    event.context.document.location.href = `https://demo-store.myshopify.com/?q=${"x".repeat(20_000)}`;
    expect(trimEvent(event, "product_viewed")!.context.document.location.href.length).toBe(1000);
  });

  it("refuses an event without an id", () => {
    expect(trimEvent({ ...productViewed(), id: "" }, "product_viewed")).toBeNull();
    expect(trimEvent(null, "page_viewed")).toBeNull();
  });
});

describe("trimCustomer", () => {
  it("keeps id, email, phone and name, not the order count", () => {
    expect(trimCustomer(signedInCustomer)).toEqual({
      id: "gid://shopify/Customer/6000000001",
      email: "ada@example.com",
      phone: "+15555550123",
      firstName: "Ada",
      lastName: "Lovelace",
    });
  });

  it("is null for a guest", () => {
    expect(trimCustomer(null)).toBeNull();
    expect(trimCustomer({ email: "no-id@example.com" })).toBeNull();
  });
});
