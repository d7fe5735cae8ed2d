import { prisma } from "../db.server";
import { DAY_MS } from "../time";

/** What the shop's webhooks did over the last day, for the dashboard. */
export async function webhookStatsForLastDay(shopId: string, now = new Date()) {
  const groups = await prisma.webhookReceipt.groupBy({
    by: ["status"],
    where: { shopId, receivedAt: { gte: new Date(now.getTime() - DAY_MS) } },
    _count: { _all: true },
  });
  const byStatus = Object.fromEntries(groups.map((group) => [group.status, group._count._all]));
  const total = groups.reduce((sum, group) => sum + group._count._all, 0);
  return { total, byStatus };
}

export async function recentWebhooks(shopId: string, limit = 25) {
  return prisma.webhookReceipt.findMany({
    where: { shopId },
    orderBy: { receivedAt: "desc" },
    take: limit,
    select: { id: true, topic: true, orderId: true, receivedAt: true, status: true, ignoredReason: true },
  });
}
