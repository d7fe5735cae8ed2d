import type { AdminOutcome, ShopifyAdminApi, ThrottleStatus } from "./admin-graphql.server";
import {
  CONNECTION_REST_QUERY,
  FOLLOW_UP_FIELDS,
  FOLLOW_UP_PAGE,
  FULFILLMENT_QUERY,
  MAX_FULFILLMENTS,
  ORDER_FULFILLMENT_IDS_QUERY,
  ORDER_HISTORY_QUERY,
  ORDER_SIZES,
  ORDER_WITH_FULFILLMENTS_QUERY,
  PAGE_SIZES,
  type FollowUp,
  type HistoryFulfillment,
  type HistoryOrder,
  type HistoryPage,
  type Page,
} from "./order-history";

/**
 * Reads orders from the Admin API in full — every line item, fulfillment, tracking number and
 * carrier event — in documents that each stay within Shopify's 1,000-point limit: a small first
 * read, then a follow-up page wherever a connection says it holds more. The history import, the
 * reconciliation and the repair of a webhook about an unknown order all read through here.
 */

/** What a read cost, for the caller's next wait: the last bucket Shopify reported and the page's requested cost. */
interface Spent {
  throttle?: ThrottleStatus;
  requestedCost?: number;
}

type Read<T> = AdminOutcome<T>;

// A follow-up that meets a throttle waits for the bucket rather than giving up the order: an
// order that needs more points than the bucket holds could otherwise never be read at all.
const FOLLOW_UP_WAITS = 5;
const LONGEST_FOLLOW_UP_WAIT_MS = 10_000;

async function ask<T>(
  admin: ShopifyAdminApi,
  spent: Spent,
  query: string,
  variables: Record<string, unknown>,
  { waitWhenThrottled = true }: { waitWhenThrottled?: boolean } = {},
): Promise<Read<T>> {
  for (let waits = 0; ; waits++) {
    const outcome = await admin.query<T>(query, variables);
    if (outcome.ok && outcome.throttle) spent.throttle = outcome.throttle;
    const mayWait =
      waitWhenThrottled && waits < FOLLOW_UP_WAITS && !outcome.ok && outcome.kind === "throttled" && outcome.budget;
    if (!mayWait || outcome.waitMs > LONGEST_FOLLOW_UP_WAIT_MS) return outcome;
    await new Promise((resolve) => setTimeout(resolve, outcome.waitMs));
  }
}

const failed = (detail: string): Read<never> => ({ ok: false, kind: "failed", detail });

/**
 * One order by its GID, with every fulfillment, tracking number and carrier event, or `null`
 * when the store has no such order (or Waypost may not see it). For a webhook about an order
 * Waypost has not seen: the result goes through `webhookPayloadsOf` / `eventsInHistory` like
 * any history.
 */
export async function readOrderWithFulfillments(
  admin: ShopifyAdminApi,
  orderGid: string,
): Promise<Read<HistoryOrder | null>> {
  const spent: Spent = {};
  const first = await ask<{ order: HistoryOrder | null }>(
    admin,
    spent,
    ORDER_WITH_FULFILLMENTS_QUERY,
    { id: orderGid, ...ORDER_SIZES },
    { waitWhenThrottled: false },
  );
  if (!first.ok) return first;
  if (!first.data.order) return { ok: true, data: null, throttle: spent.throttle, requestedCost: first.requestedCost };
  const complete = await completeOrder(admin, spent, first.data.order, ORDER_SIZES.fulfillments);
  return complete.ok
    ? { ok: true, data: complete.data, throttle: spent.throttle, requestedCost: first.requestedCost }
    : complete;
}

/**
 * A page of the orders a search matches, oldest change first, each read in full. The cursor
 * is Shopify's, so a page is also a checkpoint: read again after a failure, it is the same page.
 */
export async function readOrdersPage(
  admin: ShopifyAdminApi,
  search: string,
  after: string | null,
): Promise<Read<HistoryPage>> {
  const spent: Spent = {};
  const page = await ask<{ orders?: Page<HistoryOrder> }>(
    admin,
    spent,
    ORDER_HISTORY_QUERY,
    { ...PAGE_SIZES, after, query: search },
    { waitWhenThrottled: false },
  );
  if (!page.ok) return page;
  const orders = page.data.orders;
  if (!orders || !Array.isArray(orders.nodes)) return failed("Shopify's answer had no orders");
  const complete: HistoryOrder[] = [];
  for (const order of orders.nodes) {
    const read = await completeOrder(admin, spent, order, PAGE_SIZES.fulfillments);
    if (!read.ok) return read;
    complete.push(read.data);
  }
  return {
    ok: true,
    data: {
      orders: complete,
      hasNextPage: Boolean(orders.pageInfo?.hasNextPage),
      endCursor: orders.pageInfo?.endCursor ?? null,
    },
    throttle: spent.throttle,
    requestedCost: page.requestedCost,
  };
}

/** Follows every connection of a first read that says it holds more. */
async function completeOrder(
  admin: ShopifyAdminApi,
  spent: Spent,
  order: HistoryOrder,
  fulfillmentsAsked: number,
): Promise<Read<HistoryOrder>> {
  const lineItems = await rest(admin, spent, order.id, "orderLineItems", order.lineItems);
  if (!lineItems.ok) return lineItems;

  let fulfillments = order.fulfillments ?? [];
  // A list, not a connection: when it may have been cut short, ask which there are.
  const counted = order.fulfillmentsCount;
  const more = counted ? counted.count > fulfillments.length : fulfillments.length >= fulfillmentsAsked;
  if (more) {
    const ids = await ask<{ order: { fulfillments: Array<{ id: string }> } | null }>(
      admin,
      spent,
      ORDER_FULFILLMENT_IDS_QUERY,
      { id: order.id, first: MAX_FULFILLMENTS },
    );
    if (!ids.ok) return ids;
    const known = new Map(fulfillments.map((fulfillment) => [fulfillment.id, fulfillment]));
    const all: HistoryFulfillment[] = [];
    for (const { id } of ids.data.order?.fulfillments ?? []) {
      const knownOne = known.get(id);
      if (knownOne) {
        all.push(knownOne);
        continue;
      }
      const one = await ask<{ fulfillment: HistoryFulfillment | null }>(admin, spent, FULFILLMENT_QUERY, {
        id,
        nested: ORDER_SIZES.nested,
      });
      if (!one.ok) return one;
      if (one.data.fulfillment) all.push(one.data.fulfillment);
    }
    fulfillments = all;
  }

  const complete: HistoryFulfillment[] = [];
  for (const fulfillment of fulfillments) {
    const read = await completeFulfillment(admin, spent, fulfillment);
    if (!read.ok) return read;
    complete.push(read.data);
  }
  return { ok: true, data: { ...order, lineItems: lineItems.data, fulfillments: complete } };
}

async function completeFulfillment(
  admin: ShopifyAdminApi,
  spent: Spent,
  fulfillment: HistoryFulfillment,
): Promise<Read<HistoryFulfillment>> {
  const lineItems = await rest(admin, spent, fulfillment.id, "fulfillmentLineItems", fulfillment.fulfillmentLineItems);
  if (!lineItems.ok) return lineItems;
  const events = await rest(admin, spent, fulfillment.id, "fulfillmentEvents", fulfillment.events);
  if (!events.ok) return events;
  return { ok: true, data: { ...fulfillment, fulfillmentLineItems: lineItems.data, events: events.data } };
}

/** The first page of one of an order's or a fulfillment's connections, with every page after it. */
async function rest<N>(
  admin: ShopifyAdminApi,
  spent: Spent,
  id: string,
  followUp: FollowUp,
  first: Page<N> | undefined,
): Promise<Read<Page<N>>> {
  const nodes = [...(first?.nodes ?? [])];
  let pageInfo = first?.pageInfo ?? { hasNextPage: false, endCursor: null };
  while (pageInfo.hasNextPage) {
    const page = await ask<{ node: Record<string, Page<N> | undefined> | null }>(admin, spent, CONNECTION_REST_QUERY, {
      id,
      first: FOLLOW_UP_PAGE,
      after: pageInfo.endCursor,
      [followUp]: true,
    });
    if (!page.ok) return page;
    const next = page.data.node?.[FOLLOW_UP_FIELDS[followUp]];
    if (!next) return failed("Shopify's answer lost the object being read");
    nodes.push(...next.nodes);
    if (!next.pageInfo || next.pageInfo.endCursor === pageInfo.endCursor)
      return failed("Shopify's pages did not move on");
    pageInfo = next.pageInfo;
  }
  return { ok: true, data: { pageInfo: { hasNextPage: false, endCursor: pageInfo.endCursor }, nodes } };
}
