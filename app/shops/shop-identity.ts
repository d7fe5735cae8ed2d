/** The shop a stage works for: what events are keyed by and what their payloads say about the store. */
export interface ShopIdentity {
  id: string;
  domain: string;
  name: string;
  timezone: string;
}

/** The Prisma `select` that reads a ShopIdentity. */
export const SHOP_IDENTITY = { id: true, domain: true, name: true, timezone: true } as const;
