import { authenticate } from "../shopify.server";
import { requireInstalledShop } from "./shops.server";

/**
 * Every admin loader and action starts here: Shopify's session token says which shop is asking,
 * and everything after is scoped to that shop's id, never to an id taken from the request.
 */
export async function requireAdmin(request: Request) {
  const { session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop);
  return { session, shop };
}
