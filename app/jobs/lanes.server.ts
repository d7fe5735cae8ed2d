import { LANE_LIMITS, RateLane, type LaneKind } from "./rate-lane";

// This process's lanes. Limits hold per process; shared limits across processes come with
// the multi-process delivery engine.
const lanes = new Map<string, RateLane>();

export function laneFor(accountId: string, kind: LaneKind): RateLane {
  const key = `${accountId}:${kind}`;
  let lane = lanes.get(key);
  if (!lane) {
    lane = new RateLane(LANE_LIMITS[kind]);
    lanes.set(key, lane);
  }
  return lane;
}

/** Forgets every lane (tests start each case with fresh limits). */
export function resetLanes() {
  lanes.clear();
}
