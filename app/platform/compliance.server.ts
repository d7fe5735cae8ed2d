import type { Prisma } from "@prisma/client";
import { prisma } from "../db.server";
import { log } from "../log.server";
import { COMPLIANCE_TOPICS } from "./webhook-topics";

export interface CustomerRequest {
  shopDomain: string;
  customer: { id?: string; email?: string | null; phone?: string | null };
  orderIds: string[];
}

function receiptsAboutCustomer({ shopDomain, customer, orderIds }: CustomerRequest) {
  const mentions = [
    ...(orderIds.length ? [{ orderId: { in: orderIds } }] : []),
    ...(customer.email ? [{ body: { contains: customer.email } }] : []),
  ];
  // The privacy requests themselves are not customer records; the worker scrubs their bodies.
  return { shopDomain, topic: { notIn: [...COMPLIANCE_TOPICS] }, OR: mentions.length ? mentions : [{ id: "" }] };
}

/** customers/data_request: report what we hold about the customer, for the merchant to pass on. */
export async function answerDataRequest(request: CustomerRequest) {
  const receipts = await prisma.webhookReceipt.findMany({
    where: receiptsAboutCustomer(request),
    select: { topic: true, orderId: true, receivedAt: true },
    orderBy: { receivedAt: "asc" },
  });
  const summary =
    receipts.length === 0
      ? "Waypost holds no data about this customer."
      : `Waypost holds ${receipts.length} webhook record(s) about this customer's orders ` +
        `(${[...new Set(receipts.map((receipt) => receipt.orderId).filter(Boolean))].join(", ") || "no order ids"}), ` +
        `received ${receipts[0].receivedAt.toISOString()} to ${receipts.at(-1)!.receivedAt.toISOString()}.`;
  await recordCompliance(request, "customers/data_request", summary);
  return { summary, records: receipts };
}

/** What the later stages hold about a customer of a shop: erased in the redaction's transaction. */
export type CustomerErasures = (customer: {
  shopId: string;
  orderIds: string[];
  identities: string[];
}) => Prisma.PrismaPromise<{ count: number }>[];

/**
 * customers/redact: erase every record that mentions the customer or the listed orders: the
 * webhooks here, and what `erasures` names in the later stages.
 */
export async function redactCustomer(request: CustomerRequest, erasures: CustomerErasures) {
  const shop = await prisma.shop.findUnique({ where: { domain: request.shopDomain }, select: { id: true } });
  const { count } = await prisma.webhookReceipt.deleteMany({ where: receiptsAboutCustomer(request) });
  let tracked = 0;
  if (shop) {
    const identities = [request.customer.email?.toLowerCase(), request.customer.phone].filter(
      (value): value is string => Boolean(value),
    );
    const results = await prisma.$transaction(erasures({ shopId: shop.id, orderIds: request.orderIds, identities }));
    tracked = results.reduce((sum, result) => sum + result.count, 0);
  }
  await recordCompliance(
    request,
    "customers/redact",
    `Erased ${count} webhook record(s) and ${tracked} tracking record(s).`,
  );
  return { erased: count + tracked };
}

/** shop/redact: erase everything the shop ever sent us, sessions and settings included. */
export async function redactShop(shopDomain: string) {
  const [receipts, , shops] = await prisma.$transaction([
    prisma.webhookReceipt.deleteMany({ where: { shopDomain, topic: { not: "shop/redact" } } }),
    prisma.session.deleteMany({ where: { shop: shopDomain } }),
    prisma.shop.deleteMany({ where: { domain: shopDomain } }),
  ]);
  const summary = `Erased the shop (${shops.count}), ${receipts.count} webhook record(s) and its sessions.`;
  await recordCompliance({ shopDomain, customer: {}, orderIds: [] }, "shop/redact", summary);
  return { erasedReceipts: receipts.count };
}

async function recordCompliance(request: CustomerRequest, topic: string, summary: string) {
  await prisma.complianceRequest.create({
    data: {
      shopDomain: request.shopDomain,
      topic,
      customerId: request.customer.id ? String(request.customer.id) : null,
      orderIds: JSON.stringify(request.orderIds),
      summary,
    },
  });
  log.info("compliance request handled", { shop: request.shopDomain, topic, summary });
}
