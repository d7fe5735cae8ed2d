import { env } from "../env.server";

/**
 * Where to send a merchant back into the app from a top-level page (such as Klaviyo's
 * consent): the app inside their Shopify admin, or, in the demo, through the demo sign-in.
 */
export function adminPageUrl(shopDomain: string, pathWithQuery: string): string {
  if (env.demo) return `/demo?next=${encodeURIComponent(pathWithQuery)}`;
  const store = shopDomain.replace(/\.myshopify\.(com|io)$/, "");
  return `https://admin.shopify.com/store/${store}/apps/${env.shopifyApiKey}${pathWithQuery}`;
}

/** Only paths inside the admin app may be a `next` destination; anything else goes home. */
export function safeAdminPath(next: string | null): string {
  return next && /^\/app(\/[\w/-]*)?(\?[\w=&%.-]*)?$/.test(next) ? next : "/app";
}
