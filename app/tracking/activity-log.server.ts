import type { Prisma } from "@prisma/client";
import { prisma } from "../db.server";
import type { EventSource } from "./event-source";
import { EVENT_STATUS, type EventStatus } from "./event-status";

export interface ActivityQuery {
  status?: EventStatus;
  eventKey?: string;
  source?: EventSource;
  /** One import's events (its Backfill id): what the import card's counts open. */
  backfillId?: string;
  /** An order name or number, a customer's email, or a tracking number. */
  search?: string;
  /** When the events happened on the store (occurredAt), not when Waypost detected them. */
  occurredFrom?: Date;
  occurredBefore?: Date;
  /** Keyset cursors from a previous page: show what is older than `before`, or newer than `after`. */
  before?: string;
  after?: string;
  pageSize?: number;
}

/** A row's place in the list: the time it is ordered by, and its id. */
interface Position {
  at: Date;
  id: string;
}

export const encodeCursor = ({ at, id }: Position) => Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (!cursor) return undefined;
  const [time, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const at = new Date(time);
  return id && !Number.isNaN(at.getTime()) ? { at, id } : undefined;
}

/**
 * Exact matches only, each backed by its own index. A search that could be an order or a
 * tracking number runs as two queries, merged: an OR of the two would make the database walk
 * the shop's whole history instead.
 */
function searchAlternatives(search: string | undefined): Prisma.TrackingEventWhereInput[] {
  if (!search) return [{}];
  if (search.includes("@")) return [{ customerEmail: search.toLowerCase() }];
  const orderNames = search.startsWith("#") ? [search] : [search, `#${search}`];
  return [{ orderName: { in: orderNames } }, { trackingNumber: search }];
}

const newestFirst = (a: Position, b: Position) =>
  b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

const SUMMARY = {
  id: true,
  eventKey: true,
  orderName: true,
  orderId: true,
  fulfillmentId: true,
  status: true,
  skipReason: true,
  note: true,
  lastError: true,
  attempts: true,
  detectedAt: true,
  occurredAt: true,
  source: true,
  sentAt: true,
} as const;

/**
 * One page of the shop's events, newest first, by keyset: the first page and every later one
 * read only a page's worth of index, however long the history. The list runs by when Waypost
 * detected each event; a date range runs it by when the events happened (its own index), so
 * imported history is found in the weeks it came from.
 */
export async function activityPage(shopId: string, query: ActivityQuery = {}) {
  const pageSize = query.pageSize ?? 50;
  const byOccurrence = Boolean(query.occurredFrom || query.occurredBefore);
  const column = byOccurrence ? "occurredAt" : "detectedAt";
  const filters: Prisma.TrackingEventWhereInput[] = [{ shopId }];
  if (query.status) filters.push({ status: query.status });
  if (query.eventKey) filters.push({ eventKey: query.eventKey });
  if (query.source) filters.push({ source: query.source });
  if (query.backfillId) filters.push({ backfillId: query.backfillId });
  if (query.occurredFrom) filters.push({ occurredAt: { gte: query.occurredFrom } });
  if (query.occurredBefore) filters.push({ occurredAt: { lt: query.occurredBefore } });

  const older = decodeCursor(query.before);
  const newer = older ? undefined : decodeCursor(query.after);
  if (older) filters.push({ OR: [{ [column]: { lt: older.at } }, { [column]: older.at, id: { lt: older.id } }] });
  if (newer) filters.push({ OR: [{ [column]: { gt: newer.at } }, { [column]: newer.at, id: { gt: newer.id } }] });
  const direction = newer ? "asc" : "desc";

  const batches = await Promise.all(
    searchAlternatives(query.search).map((alternative) =>
      prisma.trackingEvent.findMany({
        where: { AND: [...filters, alternative] },
        orderBy: [{ [column]: direction }, { id: direction }],
        take: pageSize + 1,
        select: SUMMARY,
      }),
    ),
  );
  const positioned = batches.flat().map((row) => ({ ...row, at: (byOccurrence && row.occurredAt) || row.detectedAt }));
  const merged = [...new Map(positioned.map((row) => [row.id, row])).values()].sort(newestFirst);
  const rows = (newer ? merged.reverse() : merged).slice(0, pageSize + 1);
  const hasMore = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (newer) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  return {
    events: page.map(({ at: _at, ...event }) => event),
    // Coming from a newer page means there is one; coming from an older page means there is one.
    newerCursor: first && (newer ? hasMore : Boolean(older)) ? encodeCursor(first) : undefined,
    olderCursor: last && (newer ? true : hasMore) ? encodeCursor(last) : undefined,
  };
}

/** How many of the shop's events are dead letters, for the bulk replay button. */
export function deadLetterCount(shopId: string, eventKey?: string) {
  return prisma.trackingEvent.count({
    where: { shopId, status: EVENT_STATUS.dead_lettered, ...(eventKey ? { eventKey } : {}) },
  });
}
