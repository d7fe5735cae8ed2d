// The Admin API documents of consent sync (2026-07): find a customer by an exact email or phone
// (customerByIdentifier: one customer or none, never a search that could match someone else),
// and mark them unsubscribed on one channel. Pure.

export type MarketingChannel = "email" | "sms";

export const CUSTOMER_BY_IDENTIFIER_QUERY = /* GraphQL */ `
  query WaypostCustomerByIdentifier($identifier: CustomerIdentifierInput!) {
    customerByIdentifier(identifier: $identifier) {
      id
      defaultEmailAddress {
        marketingState
      }
      defaultPhoneNumber {
        phoneNumber
      }
    }
  }
`;

export const EMAIL_UNSUBSCRIBE_MUTATION = /* GraphQL */ `
  mutation WaypostEmailUnsubscribe($input: CustomerEmailMarketingConsentUpdateInput!) {
    customerEmailMarketingConsentUpdate(input: $input) {
      customer {
        id
        defaultEmailAddress {
          marketingState
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const SMS_UNSUBSCRIBE_MUTATION = /* GraphQL */ `
  mutation WaypostSmsUnsubscribe($input: CustomerSmsMarketingConsentUpdateInput!) {
    customerSmsMarketingConsentUpdate(input: $input) {
      customer {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface CustomerConsentAnswer {
  customerByIdentifier?: {
    id: string;
    defaultEmailAddress?: { marketingState?: string } | null;
    defaultPhoneNumber?: { phoneNumber?: string } | null;
  } | null;
}

export type UnsubscribeAnswer = Record<
  string,
  { customer?: { id: string } | null; userErrors?: Array<{ field?: string[] | null; message: string }> } | undefined
>;

/** The identifier to look a customer up by: the channel's own address. */
export function customerIdentifier(channel: MarketingChannel, contact: { email: string | null; phone: string | null }) {
  if (channel === "email") return contact.email ? { emailAddress: contact.email } : undefined;
  return contact.phone ? { phoneNumber: contact.phone } : undefined;
}

/**
 * The customer's current state on the channel, where 2026-07 reports it without a deprecated
 * field: email only (every SMS state field is deprecated, so SMS is always sent; it is idempotent).
 */
export function marketingStateOf(
  customer: NonNullable<CustomerConsentAnswer["customerByIdentifier"]>,
  channel: MarketingChannel,
) {
  return channel === "email" ? (customer.defaultEmailAddress?.marketingState ?? null) : null;
}

/** The mutation and its variables that mark `customerId` unsubscribed on `channel` since `at`. */
export function unsubscribeMutation(channel: MarketingChannel, customerId: string, at: Date) {
  const consent = { marketingState: "UNSUBSCRIBED", consentUpdatedAt: at.toISOString() };
  return channel === "email"
    ? {
        document: EMAIL_UNSUBSCRIBE_MUTATION,
        field: "customerEmailMarketingConsentUpdate",
        variables: { input: { customerId, emailMarketingConsent: consent } },
      }
    : {
        document: SMS_UNSUBSCRIBE_MUTATION,
        field: "customerSmsMarketingConsentUpdate",
        variables: { input: { customerId, smsMarketingConsent: consent } },
      };
}
