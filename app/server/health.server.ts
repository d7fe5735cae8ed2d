import { prisma } from "../db.server";

/** Database reachability and how much work waits, for load balancers and operators. */
export async function systemHealth() {
  try {
    const [pendingWebhooks, queuedEvents, failedEvents] = await Promise.all([
      prisma.webhookReceipt.count({ where: { status: { in: ["pending", "processing"] } } }),
      prisma.trackingEvent.count({ where: { status: { in: ["queued", "sending"] } } }),
      prisma.trackingEvent.count({ where: { status: "failed" } }),
    ]);
    return { ok: true, database: "reachable", pendingWebhooks, queuedEvents, failedEvents };
  } catch (error) {
    return { ok: false, database: "unreachable", error: error instanceof Error ? error.message : String(error) };
  }
}
