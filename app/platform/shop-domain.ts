// Shopify's own rule for a shop's domain (shopify-api's shop validator).
const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9-_]*\.myshopify\.(com|io)$/;

export function isShopDomain(value: string | null | undefined): value is string {
  return typeof value === "string" && SHOP_DOMAIN.test(value);
}
