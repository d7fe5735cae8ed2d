import type { Contact } from "../tracking/normalize";

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

/** The warehouse seed's rule: full name, else company name, else the email address. */
export function profileName(contact: Contact): { first_name?: string; last_name?: string } {
  if (contact.firstName || contact.lastName) {
    return { ...(contact.firstName ? { first_name: contact.firstName } : {}), ...(contact.lastName ? { last_name: contact.lastName } : {}) };
  }
  if (contact.company) return { first_name: contact.company };
  if (contact.email) return { first_name: contact.email };
  return {};
}

/** Klaviyo profile attributes for a customer, or undefined when there is no way to reach them. */
export function profileAttributes(contact: Contact) {
  const phone = toE164(contact.phone);
  if (!contact.email && !phone) return undefined;
  return {
    ...(contact.email ? { email: contact.email.toLowerCase() } : {}),
    ...(phone ? { phone_number: phone } : {}),
    ...profileName(contact),
  };
}
