import { prisma } from "../db.server";
import { log } from "../log.server";
import { adminApiForShop } from "../platform/admin-graphql.server";
import { readVariantImages } from "../platform/variant-images.server";
import type { ShopIdentity } from "../shops/shop-identity";
import { DAY_MS } from "../time";

/** Past this, the events go without their images rather than wait for Shopify. */
export const IMAGE_LOOKUP_TIMEOUT_MS = 2000;
/** A merchant may change a product's photo: a variant's image is read again after a week. */
const IMAGE_KEPT_MS = 7 * DAY_MS;

/**
 * The product images of these variants (the variant's own, else its product's), by variant id,
 * for events about to be frozen: Shopify's order webhooks carry none. Each variant is asked of
 * the Admin API once (one `nodes(ids:)` document for all the variants not known yet, drawn from
 * the shop's Shopify bucket like every other query) and kept. A lookup that fails, is
 * throttled or takes over 2 s leaves the images out: an event never waits for its picture.
 */
export async function productImagesFor(
  shop: ShopIdentity,
  variantIds: Array<string | null>,
  now = new Date(),
): Promise<Record<string, string>> {
  const wanted = [...new Set(variantIds.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return {};
  const known = await prisma.variantImage.findMany({
    where: { shopId: shop.id, variantId: { in: wanted }, readAt: { gte: new Date(now.getTime() - IMAGE_KEPT_MS) } },
  });
  const images = new Map(known.map((row) => [row.variantId, row.imageUrl]));
  const unknown = wanted.filter((id) => !images.has(id));
  if (unknown.length) {
    const read = await lookUp(shop, unknown);
    for (const [variantId, imageUrl] of read) {
      images.set(variantId, imageUrl);
      await prisma.variantImage.upsert({
        where: { shopId_variantId: { shopId: shop.id, variantId } },
        create: { shopId: shop.id, variantId, imageUrl, readAt: now },
        update: { imageUrl, readAt: now },
      });
    }
  }
  return Object.fromEntries([...images].filter((entry): entry is [string, string] => Boolean(entry[1])));
}

async function lookUp(shop: ShopIdentity, variantIds: string[]): Promise<Map<string, string | null>> {
  const api = await adminApiForShop(shop.domain, { timeoutMs: IMAGE_LOOKUP_TIMEOUT_MS });
  if (!api) return new Map();
  const outcome = await readVariantImages(api, variantIds);
  if (outcome.ok) return outcome.data;
  log.warn("product images not read: the events go without them", { shop: shop.domain, reason: outcome.detail });
  return new Map();
}
