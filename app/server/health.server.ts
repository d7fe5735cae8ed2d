import { prisma } from "../db.server";

/** Database reachability and how much webhook work waits, for load balancers and operators. */
export async function systemHealth() {
  try {
    const pendingWebhooks = await prisma.webhookReceipt.count({ where: { status: { in: ["pending", "processing"] } } });
    return { ok: true, database: "reachable", pendingWebhooks };
  } catch (error) {
    return { ok: false, database: "unreachable", error: error instanceof Error ? error.message : String(error) };
  }
}
