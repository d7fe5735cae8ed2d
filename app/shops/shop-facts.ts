/**
 * The store's own facts as Shopify's Admin API states them: its name, IANA time zone, currency,
 * primary domain, contact email and country. Read at install, when an admin request finds a
 * shop without them, and on `shop/update`. Pure: the document, and what its answer means.
 */

/** Three points: the shop, its primary domain and its address. */
export const SHOP_FACTS_QUERY = /* GraphQL */ `
  query ShopFacts {
    shop {
      name
      ianaTimezone
      currencyCode
      contactEmail
      primaryDomain {
        url
        host
      }
      shopAddress {
        countryCodeV2
      }
    }
  }
`;

export interface ShopFactsAnswer {
  shop?: {
    name?: string | null;
    ianaTimezone?: string | null;
    currencyCode?: string | null;
    contactEmail?: string | null;
    primaryDomain?: { url?: string | null; host?: string | null } | null;
    shopAddress?: { countryCodeV2?: string | null } | null;
  } | null;
}

/** The Shop columns the facts fill. */
export interface ShopFacts {
  name: string;
  timezone: string;
  currency: string;
  countryCode: string | null;
  primaryDomainHost: string | null;
  contactEmail: string | null;
}

/** A zone the runtime can format dates in (Shopify's are IANA names such as "America/New_York"). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The facts in Shopify's answer, or why they cannot be kept (then nothing is kept, nothing invented). */
export function shopFactsOf(answer: ShopFactsAnswer): { ok: true; facts: ShopFacts } | { ok: false; reason: string } {
  const shop = answer.shop;
  const name = shop?.name?.trim();
  const timezone = shop?.ianaTimezone ?? "";
  const currency = shop?.currencyCode ?? "";
  if (!shop || !name) return { ok: false, reason: "Shopify's answer named no store" };
  if (!isKnownTimeZone(timezone))
    return { ok: false, reason: `Shopify's time zone "${timezone}" is not one Waypost knows` };
  if (!/^[A-Z]{3}$/.test(currency))
    return { ok: false, reason: `Shopify's currency "${currency}" is not an ISO 4217 code` };
  return {
    ok: true,
    facts: {
      name,
      timezone,
      currency,
      countryCode: shop.shopAddress?.countryCodeV2 ?? null,
      primaryDomainHost: shop.primaryDomain?.host ?? null,
      contactEmail: shop.contactEmail ?? null,
    },
  };
}
