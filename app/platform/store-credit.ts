/** The access scope Shopify requires for `Customer.storeCreditAccounts` (Admin API 2026-07). */
export const STORE_CREDIT_SCOPE = "read_store_credit_accounts";

/** Customers asked of Shopify in one document: with up to 5 accounts each, well under the 1,000-point limit. */
export const MOST_CUSTOMERS_PER_READ = 25;

/** A store-credit account's balance, as Shopify's MoneyV2 gives it (amount a decimal string). */
export interface StoreCreditBalance {
  amount: string;
  currencyCode: string;
}

/**
 * Each customer's store-credit accounts (one per currency) and their balances. A customer holds
 * at most one account per currency, so five covers every store but the most multi-currency.
 */
export const STORE_CREDIT_QUERY = /* GraphQL */ `
  query CustomerStoreCredit($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        storeCreditAccounts(first: 5) {
          nodes {
            balance {
              amount
              currencyCode
            }
          }
        }
      }
    }
  }
`;

export interface CustomerNode {
  id?: string;
  storeCreditAccounts?: { nodes?: Array<{ balance?: Partial<StoreCreditBalance> | null } | null> };
}

/** Balances by customer GID from an answer's nodes; a node that is not a known customer is left out. */
export function balancesOfNodes(nodes: Array<CustomerNode | null>): Map<string, StoreCreditBalance[]> {
  const balances = new Map<string, StoreCreditBalance[]>();
  for (const node of nodes) {
    if (!node?.id) continue;
    balances.set(
      node.id,
      (node.storeCreditAccounts?.nodes ?? []).flatMap((account) =>
        account?.balance?.amount && account.balance.currencyCode
          ? [{ amount: account.balance.amount, currencyCode: account.balance.currencyCode }]
          : [],
      ),
    );
  }
  return balances;
}
