import { prisma } from "../db.server";
import { DEPTH_COUNT_CAP, queueDepth } from "../jobs/event-queue/depth.server";
import { errorSummary } from "../log.server";
import { processStats } from "./process-stats.server";

/**
 * Database reachability and how much work waits, for load balancers and operators. Counts only,
 * never shop names or ids: the endpoint is public, so each count is bounded (see queueDepth).
 */
export async function systemHealth(now = new Date()) {
  try {
    const [pendingWebhooks, events] = await Promise.all([
      prisma.webhookReceipt.count({ where: { status: { in: ["pending", "processing"] } }, take: DEPTH_COUNT_CAP }),
      queueDepth(now),
    ]);
    return { ok: true, database: "reachable", pendingWebhooks, events, process: processStats() };
  } catch (error) {
    return { ok: false, database: "unreachable", error: errorSummary(error) };
  }
}
