import type { StoreCreditBalance } from "../platform/store-credit";
import { DAY_MS } from "../time";
import { contactPhone } from "../tracking/contact";
import type { Contact } from "../tracking/normalize";

/** The warehouse seed's rule: full name, else company name, else the email address. */
export function profileName(contact: Contact): { first_name?: string; last_name?: string } {
  if (contact.firstName || contact.lastName) {
    return {
      ...(contact.firstName ? { first_name: contact.firstName } : {}),
      ...(contact.lastName ? { last_name: contact.lastName } : {}),
    };
  }
  if (contact.company) return { first_name: contact.company };
  if (contact.email) return { first_name: contact.email };
  return {};
}

/** Klaviyo profile attributes for a customer, or undefined when there is no way to reach them. */
export function profileAttributes(contact: Contact) {
  const phone = contactPhone(contact);
  if (!contact.email && !phone) return undefined;
  return {
    ...(contact.email ? { email: contact.email.toLowerCase() } : {}),
    ...(phone ? { phone_number: phone } : {}),
    ...profileName(contact),
  };
}

/** A shipment's platform times: when it was fulfilled and when the carrier delivered it. */
export interface ShipmentDates {
  orderId: string;
  shippedAt: Date | null;
  deliveredAt: Date | null;
}

/**
 * Delivery stats kept on the customer's Klaviyo profile, for segments and flows. The average
 * counts only shipments whose both platform times are known.
 */
export function deliveryStats(shipments: ShipmentDates[]) {
  const delivered = shipments.filter((shipment) => shipment.deliveredAt);
  const days = delivered.flatMap((shipment) =>
    shipment.shippedAt ? [(shipment.deliveredAt!.getTime() - shipment.shippedAt.getTime()) / DAY_MS] : [],
  );
  const last = delivered.reduce<Date | null>(
    (latest, shipment) => (!latest || shipment.deliveredAt! > latest ? shipment.deliveredAt : latest),
    null,
  );
  return {
    waypost_orders_shipped: new Set(shipments.map((shipment) => shipment.orderId)).size,
    waypost_orders_delivered: new Set(delivered.map((shipment) => shipment.orderId)).size,
    waypost_last_delivered_at: last ? last.toISOString() : null,
    waypost_average_days_to_deliver: days.length
      ? Math.round((days.reduce((sum, value) => sum + value, 0) / days.length) * 10) / 10
      : null,
  };
}

/**
 * The customer's store credit as profile properties, for cashback flows and segments: the balance
 * in the store's currency (else their one other account's), its currency, and every balance by
 * currency. No account is a zero balance in the store's currency.
 */
export function storeCreditProperties(balances: StoreCreditBalance[], storeCurrency: string | null) {
  const main = balances.find((balance) => balance.currencyCode === storeCurrency) ?? balances[0];
  return {
    waypost_store_credit_balance: main ? Number(main.amount) : 0,
    waypost_store_credit_currency: main?.currencyCode ?? storeCurrency,
    waypost_store_credit_balances: Object.fromEntries(
      balances.map((balance) => [balance.currencyCode, Number(balance.amount)]),
    ),
  };
}

/** The Merge Profiles body: the source profile is merged into the destination, then deleted by Klaviyo. */
export function profileMergeBody(destinationId: string, sourceId: string) {
  return {
    data: {
      type: "profile-merge",
      id: destinationId,
      relationships: { profiles: { data: [{ type: "profile", id: sourceId }] } },
    },
  };
}

/** The Create or Update Profile (profile-import) body. */
export function profileImportBody(attributes: Record<string, unknown>) {
  return { data: { type: "profile", attributes } };
}
