import { TRACKING_TOPICS } from "./webhook-topics";

// Shopify signs a webhook's body, not its headers: a captured body can be sent again with
// another shop or topic in the headers. Where the body itself names its shop, the two must agree.

/** The shop a webhook's body says it is about, for the topics whose bodies name one; undefined otherwise. */
function shopNamedByBody(topic: string, payload: unknown): { field: string; value: unknown } | undefined {
  const body = payload && typeof payload === "object" ? (payload as Record<string, unknown>) : {};
  if (topic === "customers/data_request" || topic === "customers/redact" || topic === "shop/redact")
    return { field: "shop_domain", value: body.shop_domain };
  // The shop resource: `domain` is the primary (possibly custom) domain, `myshopify_domain` never changes.
  if (topic === "app/uninstalled") return { field: "myshopify_domain", value: body.myshopify_domain ?? body.domain };
  return undefined;
}

/** Why the body does not belong to the shop in the headers, or undefined when nothing says it does not. */
export function shopMismatch(topic: string, payload: unknown, headerShop: string): string | undefined {
  const named = shopNamedByBody(topic, payload);
  if (!named) return undefined;
  if (typeof named.value !== "string" || named.value.toLowerCase() !== headerShop.toLowerCase())
    return `the body's ${named.field} is not the X-Shopify-Shop-Domain header's shop`;
  return undefined;
}

/** Topics about one order, whose id Shopify gives no two shops. */
export function isOrderTopic(topic: string): boolean {
  return (TRACKING_TOPICS as readonly string[]).includes(topic);
}
