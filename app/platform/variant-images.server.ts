import type { AdminOutcome, ShopifyAdminApi } from "./admin-graphql.server";
import { legacyId } from "./order-history";

/** Shopify answers at most 250 ids in one `nodes(ids:)`. */
export const MOST_VARIANTS_PER_LOOKUP = 250;

/**
 * The images of an order's variants, in one document: each variant's first medium, and its
 * product's featured medium for a variant with none of its own (2026-07 reads images through
 * media; `ProductVariant.image` and `Product.featuredImage` are deprecated).
 */
export const VARIANT_IMAGES_QUERY = /* GraphQL */ `
  query VariantImages($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on ProductVariant {
        id
        media(first: 1) {
          nodes {
            preview {
              image {
                url
              }
            }
          }
        }
        product {
          featuredMedia {
            preview {
              image {
                url
              }
            }
          }
        }
      }
    }
  }
`;

type Preview = { preview?: { image?: { url?: string | null } | null } | null } | null;
interface VariantNode {
  id?: string;
  media?: { nodes?: Preview[] };
  product?: { featuredMedia?: Preview } | null;
}

/**
 * Each variant's image URL by its legacy id (null: Shopify knows the variant and it has no
 * image, or Shopify has no such variant). `variantIds` are the ids webhooks carry.
 */
export async function readVariantImages(
  api: ShopifyAdminApi,
  variantIds: string[],
): Promise<AdminOutcome<Map<string, string | null>>> {
  const ids = variantIds.slice(0, MOST_VARIANTS_PER_LOOKUP).map((id) => `gid://shopify/ProductVariant/${id}`);
  const outcome = await api.query<{ nodes?: Array<VariantNode | null> }>(VARIANT_IMAGES_QUERY, { ids });
  if (!outcome.ok) return outcome;
  const images = new Map<string, string | null>(variantIds.slice(0, ids.length).map((id) => [id, null]));
  for (const node of outcome.data.nodes ?? []) {
    const variantId = legacyId(node?.id);
    if (!node || !variantId) continue;
    const own = node.media?.nodes?.[0]?.preview?.image?.url;
    images.set(variantId, own ?? node.product?.featuredMedia?.preview?.image?.url ?? null);
  }
  return { ...outcome, data: images };
}
