import type { Prisma } from "@prisma/client";
import { prisma } from "../db.server";
import { EVENT_STATUS, type EventStatus } from "./event-status";

export interface ActivityQuery {
  status?: EventStatus;
  eventKey?: string;
  /** An order name or number, a customer's email, or a tracking number. */
  search?: string;
  detectedFrom?: Date;
  detectedBefore?: Date;
  /** Keyset cursors from a previous page: show what is older than `before`, or newer than `after`. */
  before?: string;
  after?: string;
  pageSize?: number;
}

interface Position {
  detectedAt: Date;
  id: string;
}

export const encodeCursor = ({ detectedAt, id }: Position) =>
  Buffer.from(`${detectedAt.toISOString()}|${id}`).toString("base64url");

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (!cursor) return undefined;
  const [time, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const detectedAt = new Date(time);
  return id && !Number.isNaN(detectedAt.getTime()) ? { detectedAt, id } : undefined;
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
  b.detectedAt.getTime() - a.detectedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

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
  sentAt: true,
} as const;

/**
 * One page of the shop's events, newest first, by keyset (detectedAt, id): the first page and
 * every later one read only a page's worth of index, however long the history.
 */
export async function activityPage(shopId: string, query: ActivityQuery = {}) {
  const pageSize = query.pageSize ?? 50;
  const filters: Prisma.TrackingEventWhereInput[] = [{ shopId }];
  if (query.status) filters.push({ status: query.status });
  if (query.eventKey) filters.push({ eventKey: query.eventKey });
  if (query.detectedFrom) filters.push({ detectedAt: { gte: query.detectedFrom } });
  if (query.detectedBefore) filters.push({ detectedAt: { lt: query.detectedBefore } });

  const older = decodeCursor(query.before);
  const newer = older ? undefined : decodeCursor(query.after);
  if (older)
    filters.push({
      OR: [{ detectedAt: { lt: older.detectedAt } }, { detectedAt: older.detectedAt, id: { lt: older.id } }],
    });
  if (newer)
    filters.push({
      OR: [{ detectedAt: { gt: newer.detectedAt } }, { detectedAt: newer.detectedAt, id: { gt: newer.id } }],
    });
  const direction = newer ? "asc" : "desc";

  const batches = await Promise.all(
    searchAlternatives(query.search).map((alternative) =>
      prisma.trackingEvent.findMany({
        where: { AND: [...filters, alternative] },
        orderBy: [{ detectedAt: direction }, { id: direction }],
        take: pageSize + 1,
        select: SUMMARY,
      }),
    ),
  );
  const merged = [...new Map(batches.flat().map((row) => [row.id, row])).values()].sort(newestFirst);
  const rows = (newer ? merged.reverse() : merged).slice(0, pageSize + 1);
  const hasMore = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (newer) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  return {
    events: page,
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
