import { prisma } from "../../db.server";

/** The shop's latest consent changes, newest first, as Activity shows them: who, which channel, when, and Shopify's result. */
export async function recentConsentChanges(shopId: string, limit = 25) {
  return prisma.consentChange.findMany({
    where: { shopId },
    orderBy: { receivedAt: "desc" },
    take: limit,
    select: {
      id: true,
      channel: true,
      email: true,
      phone: true,
      source: true,
      occurredAt: true,
      status: true,
      result: true,
      shopifyCustomerId: true,
    },
  });
}
