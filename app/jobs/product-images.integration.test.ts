import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop, useKlaviyoDouble, useShopifyAdminDouble } from "../../e2e/support/integration";
import { shopifyFixtureText } from "../../e2e/support/shopify-payloads";
import { signedWebhookRequest } from "../../e2e/support/webhook-signer";
import { productVariantModel } from "../demo/doubles/shopify-admin/order-history";
import { prisma } from "../db.server";
import { adminApiWithToken } from "../platform/admin-graphql.server";
import { receiveWebhook } from "../platform/webhook-ingest.server";
import { sendDueEvents } from "./event-sender.server";
import { IMAGE_LOOKUP_TIMEOUT_MS } from "./product-images.server";
import { processPendingReceipts } from "./receipt-worker.server";

const klaviyo = useKlaviyoDouble();
const shopify = useShopifyAdminDouble();

// The stand-in builds Shopify's schema (0.9 MB) on its first request: before any lookup is timed.
beforeAll(
  async () => void (await adminApiWithToken("warm-up.myshopify.com", "shpat_warm_up").confirmAccess()),
  120_000,
);

const MUG_BLUE = "https://cdn.shopify.com/s/files/1/0000/0001/files/mug-blue.jpg";
const TEA = "https://cdn.shopify.com/s/files/1/0000/0001/files/tea.jpg";

beforeEach(async () => {
  await resetDatabase();
  await seedShop({ connected: true, goLive: true });
  shopify.state.store.productVariants = [
    // The mug's blue variant has its own photo; the tea only its product's.
    productVariantModel({
      variantId: 9101,
      productId: 9001,
      productImage: "https://cdn.example/mug.jpg",
      variantImage: MUG_BLUE,
    }),
    productVariantModel({ variantId: 9102, productId: 9002, productImage: TEA }),
  ];
  shopify.state.queries = [];
  shopify.state.failAfter = undefined;
  shopify.state.delayMs = undefined;
});

/**
 * Shopify's documented orders/create sample, paid, with two of its line items given the
 * variants (and products) the stand-in holds: order webhooks carry no image.
 */
function placedOrder(orderId: number) {
  const sample = JSON.parse(shopifyFixtureText("orders_create")) as Record<string, unknown> & {
    line_items: Array<Record<string, unknown>>;
  };
  const [mug, tea] = sample.line_items;
  return {
    ...sample,
    id: orderId,
    name: `#${orderId}`,
    order_number: orderId,
    financial_status: "paid",
    cancelled_at: null,
    line_items: [
      { ...mug, id: orderId * 10 + 1, variant_id: 9101, product_id: 9001 },
      { ...tea, id: orderId * 10 + 2, variant_id: 9102, product_id: 9002 },
    ],
  };
}

async function orderArrives(orderId: number) {
  const accepted = await receiveWebhook(
    signedWebhookRequest("https://waypost.test/webhooks", { topic: "orders/create", body: placedOrder(orderId) }),
  );
  expect(accepted.httpStatus).toBe(200);
  const started = Date.now();
  await processPendingReceipts();
  return Date.now() - started;
}

/** The image of each line item in the Klaviyo body of the order's Placed Order. */
async function imagesSent(orderId: number) {
  while ((await sendDueEvents()).sent > 0);
  const placed = klaviyo.state.events.find(
    (event) => event.metric === "Placed Order" && event.properties.order_id === String(orderId),
  );
  expect(placed, `Placed Order for ${orderId}`).toBeDefined();
  return (placed!.properties.line_items as Array<{ image_url: string | null }>).map((item) => item.image_url);
}

const imageLookups = () => shopify.state.queries.filter((query) => query.operationName === "VariantImages");

describe("product images on events", () => {
  it("reads each line item's image from the Admin API once per variant: the variant's own, else its product's", async () => {
    await orderArrives(7301);
    expect(await imagesSent(7301)).toEqual([MUG_BLUE, TEA]);
    // One document for the order's variants.
    expect(imageLookups()).toHaveLength(1);
    expect(imageLookups()[0].variables.ids).toEqual([
      "gid://shopify/ProductVariant/9101",
      "gid://shopify/ProductVariant/9102",
    ]);

    // A second order of the same variants asks Shopify nothing more.
    await orderArrives(7302);
    expect(await imagesSent(7302)).toEqual([MUG_BLUE, TEA]);
    expect(imageLookups()).toHaveLength(1);
  });

  it("sends the event without images, on time, when the Admin API is down, and asks again for the next order", async () => {
    shopify.state.failAfter = shopify.state.requests;
    const took = await orderArrives(7303);
    expect(await imagesSent(7303)).toEqual([null, null]);
    expect(took).toBeLessThan(IMAGE_LOOKUP_TIMEOUT_MS);
    expect(await prisma.variantImage.count()).toBe(0);

    shopify.state.failAfter = undefined;
    await orderArrives(7304);
    expect(await imagesSent(7304)).toEqual([MUG_BLUE, TEA]);
  });

  it("does not wait more than 2 s for a slow Admin API: the event goes without its images", async () => {
    shopify.state.delayMs = 5_000;
    const took = await orderArrives(7305);
    expect(took).toBeGreaterThanOrEqual(IMAGE_LOOKUP_TIMEOUT_MS - 100);
    expect(took).toBeLessThan(IMAGE_LOOKUP_TIMEOUT_MS + 2_000);
    expect(await imagesSent(7305)).toEqual([null, null]);
    expect(await prisma.trackingEvent.count({ where: { eventKey: "placed_order", status: "sent" } })).toBe(1);
  });
});
