import { env } from "../env.server";
import { isShopDomain } from "../platform/shop-domain";

/**
 * Where to send a merchant back into the app from a top-level page (such as Klaviyo's
 * consent): the app inside their Shopify admin, or, in the demo, through the demo sign-in.
 */
export function adminPageUrl(shopDomain: string, pathWithQuery: string): string {
  if (env.demo) return `/demo?next=${encodeURIComponent(pathWithQuery)}`;
  const store = shopDomain.replace(/\.myshopify\.(com|io)$/, "");
  return `https://admin.shopify.com/store/${store}/apps/${env.shopifyApiKey}${pathWithQuery}`;
}

/**
 * Where Shopify's exit-iframe page may send the browser's top window: this app itself, or the
 * admin of the shop the request is for (Shopify's OAuth and billing pages live there). The
 * library would open any https URL (Shopify/shopify-app-js#2180).
 */
export function isAllowedExitTarget(target: string | null, shop: string | null): boolean {
  if (!target) return false;
  let url: URL;
  try {
    url = new URL(target, env.appUrl);
  } catch {
    return false;
  }
  if (url.origin === new URL(env.appUrl).origin) return true;
  if (!isShopDomain(shop) || url.protocol !== "https:") return false;
  const store = shop.replace(/\.myshopify\.(com|io)$/, "");
  return (
    (url.host === "admin.shopify.com" && url.pathname.startsWith(`/store/${store}/`)) ||
    (url.host === shop && url.pathname.startsWith("/admin/"))
  );
}

/** Only paths inside the admin app may be a `next` destination; anything else goes home. */
export function safeAdminPath(next: string | null): string {
  return next && /^\/app(\/[\w/-]*)?(\?[\w=&%.-]*)?$/.test(next) ? next : "/app";
}
