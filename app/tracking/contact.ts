import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import type { Contact } from "./normalize";

// How a customer is reached and known, whatever the platform sends. Pure.

/** What a phone number as typed at checkout comes to: E.164, or unusable (never a guessed number). */
export type PhoneReading = { e164: string } | { unusable: string };

const isCountryCode = (country: string | null | undefined): country is CountryCode =>
  typeof country === "string" && /^[A-Z]{2}$/.test(country);

/**
 * A phone number read in the customer's country (ISO 3166-1 alpha-2): a national number such
 * as `07911 123457` needs it; an international one (`+44 …`) carries its own. With no country
 * known, only an international number can be read, and the ITU's `00` prefix counts as `+`.
 * Full metadata (`/max`), so a number is valid only if the country's numbering plan has it.
 */
export function readPhone(phone: string | null | undefined, country?: string | null): PhoneReading | undefined {
  if (!phone?.trim()) return undefined;
  const known = isCountryCode(country?.toUpperCase()) ? (country!.toUpperCase() as CountryCode) : undefined;
  const cacheKey = `${known ?? ""} ${phone}`;
  const cached = readings.get(cacheKey);
  if (cached) return cached;
  const written = known ? phone : phone.trim().replace(/^00(?=[1-9])/, "+");
  const parsed = parsePhoneNumberFromString(written, known);
  const reading = parsed?.isValid() ? { e164: parsed.number } : { unusable: phone.trim() };
  if (readings.size >= READINGS_KEPT) readings.clear();
  readings.set(cacheKey, reading);
  return reading;
}

// Parsing with full metadata costs ~0.1 ms, and one event asks up to five times (gate, identity,
// profile, note): a history import of 13,000 events spent seconds here. Readings are pure, so keep some.
const READINGS_KEPT = 5_000;
const readings = new Map<string, PhoneReading>();

/** The number in E.164, or undefined: Klaviyo rejects the whole request for a malformed phone. */
export function toE164(phone: string | null | undefined, country?: string | null): string | undefined {
  const reading = readPhone(phone, country);
  return reading && "e164" in reading ? reading.e164 : undefined;
}

/** The customer's phone in E.164, read in the country of their address (else the store's). */
export function contactPhone(contact: Contact): string | undefined {
  return toE164(contact.phone, contact.country);
}

/** Why the customer's phone number was left out, for Activity; undefined when there is nothing to say. */
export function phoneNote(contact: Contact): string | undefined {
  const reading = readPhone(contact.phone, contact.country);
  if (!reading || "e164" in reading) return undefined;
  const where = contact.country ? ` for ${contact.country.toUpperCase()}` : " without a country";
  return `The phone number "${reading.unusable}" is not a valid number${where}, so it was left out of the profile.`;
}

/** Whether the customer can be reached at all: an email address, or a phone number that can be E.164. */
export function isReachable(contact: Contact): boolean {
  return Boolean(contact.email) || contactPhone(contact) !== undefined;
}

/** The one key a customer is known by in a store: email (lower case), else E.164 phone. */
export function customerIdentity(contact: Contact): string | undefined {
  return contact.email?.toLowerCase() ?? contactPhone(contact);
}

/** What is known of a customer from one order, and when that order was placed. */
export interface KnownContact {
  contact: Contact;
  knownAt: Date | null;
}

/**
 * The contact with the customer's latest known name: the name on the most recently placed of
 * these orders (a reorder under a new name beats a late event of the first order).
 * Only the name moves; how the customer is reached stays that of the event's own order.
 */
export function withLatestName(own: KnownContact, others: KnownContact[]): Contact {
  const named = [own, ...others].filter(({ contact }) => contact.firstName || contact.lastName || contact.company);
  const latest = named.reduce<KnownContact | undefined>(
    (best, candidate) =>
      !best || (candidate.knownAt?.getTime() ?? -Infinity) > (best.knownAt?.getTime() ?? -Infinity) ? candidate : best,
    undefined,
  );
  if (!latest) return own.contact;
  const { firstName, lastName, company } = latest.contact;
  return { ...own.contact, firstName, lastName, company };
}
