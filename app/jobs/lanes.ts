import type { LaneKind } from "../config/lane-limits";

// How sends are grouped into lanes and served in turn. Pure.

/** One lane per Klaviyo account and endpoint class, shared by every shop on that account. */
export const laneKey = (accountId: string, kind: LaneKind) => `${accountId}:${kind}`;

/** The Klaviyo account and endpoint class a lane key names. */
export function accountOfLane(key: string): { accountId: string; kind: string } {
  const split = key.lastIndexOf(":");
  return { accountId: key.slice(0, split), kind: key.slice(split + 1) };
}

/** Groups items into their account's lane of `kind`, keeping their order; items with no account are left out. */
export function lanesByAccount<T>(items: T[], kind: LaneKind, accountOf: (item: T) => string | undefined) {
  const lanes = new Map<string, T[]>();
  for (const item of items) {
    const accountId = accountOf(item);
    if (accountId === undefined) continue;
    const key = laneKey(accountId, kind);
    lanes.set(key, [...(lanes.get(key) ?? []), item]);
  }
  return [...lanes].map(([key, members]) => ({ key, members }));
}

/** Each call starts one further round the list, so no one in a lane is always served first. */
export function takingTurns() {
  let turn = 0;
  return <T>(items: T[]): T[] => {
    const start = items.length ? turn++ % items.length : 0;
    return [...items.slice(start), ...items.slice(0, start)];
  };
}
