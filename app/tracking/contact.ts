import type { Contact } from "./normalize";

// How a customer is reached and known, whatever the platform sends. Pure.

/**
 * A phone number in E.164, or undefined when it cannot be one: Klaviyo rejects the whole
 * request for a malformed phone, so an unusable number is left out rather than sent.
 */
export function toE164(phone: string | null | undefined, countryCallingCode = "1"): string | undefined {
  if (!phone) return undefined;
  const digits = phone.replace(/[^\d+]/g, "");
  if (/^\+[1-9]\d{7,14}$/.test(digits)) return digits;
  if (/^00[1-9]\d{7,14}$/.test(digits)) return `+${digits.slice(2)}`;
  const national = digits.replace(/^\+/, "");
  if (countryCallingCode === "1" && /^1?[2-9]\d{9}$/.test(national)) return `+1${national.slice(-10)}`;
  return undefined;
}

/** Whether the customer can be reached at all: an email address, or a phone number that can be E.164. */
export function isReachable(contact: Contact): boolean {
  return Boolean(contact.email) || toE164(contact.phone) !== undefined;
}

/** The one key a customer is known by in a store: email (lower case), else E.164 phone. */
export function customerIdentity(contact: Contact): string | undefined {
  return contact.email?.toLowerCase() ?? toE164(contact.phone);
}
