/**
 * Shopify could not answer now (throttled, unreachable, 5xx): whatever needed it waits and is
 * tried again later, rather than failing. The receipt worker shows such a receipt as waiting for Shopify.
 */
export class ShopifyUnavailable extends Error {
  constructor(
    detail: string,
    /** How long Shopify asked us to wait, when it said (a throttle's restore time). */
    readonly retryAfterMs?: number,
  ) {
    super(detail);
    this.name = "ShopifyUnavailable";
  }
}
