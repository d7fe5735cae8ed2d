/**
 * customers/merge as Shopify documents it (e2e/fixtures/shopify/customers_merge.json): the
 * customer kept and the one merged away, as GIDs, the merge job's status (lower case, one of
 * CustomerMergeRequestStatus: completed, failed, in_progress, requested) and its errors.
 */
export interface CustomerMerge {
  keptCustomerId: string;
  deletedCustomerId: string;
  status: string;
  errors: string[];
}

const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/\d+$/;

/** The merge a webhook body describes, or why it cannot be read. Pure. */
export function readCustomerMerge(
  payload: unknown,
): { ok: true; merge: CustomerMerge } | { ok: false; reason: string } {
  if (!payload || typeof payload !== "object") return { ok: false, reason: "customers/merge body is not an object" };
  const body = payload as Record<string, unknown>;
  const kept = body.admin_graphql_api_customer_kept_id;
  const deleted = body.admin_graphql_api_customer_deleted_id;
  if (
    typeof kept !== "string" ||
    !CUSTOMER_GID.test(kept) ||
    typeof deleted !== "string" ||
    !CUSTOMER_GID.test(deleted)
  )
    return { ok: false, reason: "customers/merge body names no kept and deleted customer" };
  const errors = Array.isArray(body.errors)
    ? body.errors.flatMap((error) =>
        error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string"
          ? [(error as { message: string }).message]
          : [],
      )
    : [];
  return {
    ok: true,
    merge: {
      keptCustomerId: kept,
      deletedCustomerId: deleted,
      status: typeof body.status === "string" ? body.status.toLowerCase() : "unknown",
      errors,
    },
  };
}
