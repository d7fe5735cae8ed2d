import type { AdminOutcome, ShopifyAdminApi } from "./admin-graphql.server";
import {
  balancesOfNodes,
  MOST_CUSTOMERS_PER_READ,
  STORE_CREDIT_QUERY,
  type CustomerNode,
  type StoreCreditBalance,
} from "./store-credit";

/**
 * The store-credit balances of these customers (GIDs), by GID; a customer Shopify does not know
 * is left out. Only the first MOST_CUSTOMERS_PER_READ are asked: callers read in batches.
 */
export async function readStoreCredit(
  api: ShopifyAdminApi,
  customerIds: string[],
): Promise<AdminOutcome<Map<string, StoreCreditBalance[]>>> {
  const ids = customerIds.slice(0, MOST_CUSTOMERS_PER_READ);
  const outcome = await api.query<{ nodes?: Array<CustomerNode | null> }>(STORE_CREDIT_QUERY, { ids });
  return outcome.ok ? { ...outcome, data: balancesOfNodes(outcome.data.nodes ?? []) } : outcome;
}
