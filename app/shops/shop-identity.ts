/** The shop a stage works for: what events are keyed by and what their payloads say about the store. */
export interface ShopIdentity {
  id: string;
  domain: string;
  name: string;
  timezone: string;
  /** The store's country (ISO 3166-1 alpha-2) and currency (ISO 4217), as Shopify reports them; null until read. */
  countryCode: string | null;
  currency: string | null;
  /** The storefront's own domain, as Shopify states it (null until the store's details are read). */
  primaryDomainHost?: string | null;
}

/** The Prisma `select` that reads a ShopIdentity. */
export const SHOP_IDENTITY = {
  id: true,
  domain: true,
  name: true,
  timezone: true,
  countryCode: true,
  currency: true,
  primaryDomainHost: true,
} as const;

/** The domain events name the store by: its storefront's, else its myshopify domain. */
export const storeDomainOf = (shop: ShopIdentity) => shop.primaryDomainHost ?? shop.domain;
