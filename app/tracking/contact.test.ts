import { describe, expect, it } from "vitest";
import type { Contact } from "./normalize";
import { contactPhone, customerIdentity, isReachable, phoneNote, readPhone, toE164, withLatestName } from "./contact";

const contact: Contact = { email: null, phone: null, firstName: "Ann", lastName: null, company: null, country: null };

describe("phone numbers worldwide", () => {
  // Each country's number as a customer types it at checkout, nationally and internationally.
  it.each([
    ["US", "(415) 555-0199", "+1 415-555-0199", "+14155550199"],
    ["CA", "(416) 555-0123", "+1 416 555 0123", "+14165550123"],
    ["GB", "07911 123457", "+44 7911 123457", "+447911123457"],
    ["GB", "020 7946 0958", "+44 20 7946 0958", "+442079460958"],
    ["DE", "030 901820", "+49 30 901820", "+4930901820"],
    ["DE", "01512 3456789", "+49 1512 3456789", "+4915123456789"],
    ["FR", "06 12 34 56 78", "+33 6 12 34 56 78", "+33612345678"],
    ["IN", "098765 43210", "+91 98765 43210", "+919876543210"],
    ["AU", "0412 345 678", "+61 412 345 678", "+61412345678"],
    ["AU", "(02) 9876 5432", "+61 2 9876 5432", "+61298765432"],
    ["JP", "090-1234-5678", "+81 90-1234-5678", "+819012345678"],
    ["JP", "03-1234-5678", "+81 3-1234-5678", "+81312345678"],
    ["BR", "(11) 91234-5678", "+55 11 91234-5678", "+5511912345678"],
  ])("%s: %j and %j are both %s", (country, national, international, e164) => {
    expect(toE164(national, country)).toBe(e164);
    expect(toE164(international, country)).toBe(e164);
    // An international number needs no country, and is read the same on an address abroad.
    expect(toE164(international, null)).toBe(e164);
    expect(toE164(international, country === "US" ? "GB" : "US")).toBe(e164);
  });

  it("reads a national number in the country it was given in, not in the US", () => {
    expect(toE164("07911 123457", "GB")).toBe("+447911123457");
    expect(toE164("07911 123457", "US")).toBeUndefined();
    // The same digits are a different, valid number in each country: the country decides.
    expect(toE164("0412 345 678", "AU")).toBe("+61412345678");
    expect(toE164("0412 345 678", "GB")).toBeUndefined();
    expect(toE164("07911 123457", "gb")).toBe("+447911123457");
    // Dialled from the country with its own international prefix.
    expect(toE164("0044 20 7946 0958", "GB")).toBe("+442079460958");
    expect(toE164("011 44 20 7946 0958", "US")).toBe("+442079460958");
  });

  it("reads only international numbers when no country is known", () => {
    expect(toE164("(415) 555-0199", null)).toBeUndefined();
    expect(toE164("+14155550199", null)).toBe("+14155550199");
    expect(toE164("0044 20 7946 0958", undefined)).toBe("+442079460958");
  });

  it.each([
    ["555-555-SHIP", "US"],
    ["12345", "US"],
    ["+44 7911 12345", "GB"],
    ["0000 000000", "DE"],
    ["call me", "FR"],
    ["07911 123457", "XX"],
  ])("never turns %j (%s) into a number: it is unusable", (phone, country) => {
    expect(readPhone(phone, country)).toEqual({ unusable: phone });
    expect(toE164(phone, country)).toBeUndefined();
  });

  it("has nothing to read in an empty number", () => {
    expect(readPhone("", "US")).toBeUndefined();
    expect(readPhone("   ", "US")).toBeUndefined();
    expect(readPhone(null, "US")).toBeUndefined();
  });

  it("reads the contact's phone in the contact's country, and says why one was left out", () => {
    expect(contactPhone({ ...contact, phone: "07911 123457", country: "GB" })).toBe("+447911123457");
    expect(phoneNote({ ...contact, phone: "07911 123457", country: "GB" })).toBeUndefined();
    expect(phoneNote({ ...contact, phone: "555-555-SHIP", country: "US" })).toBe(
      'The phone number "555-555-SHIP" is not a valid number for US, so it was left out of the profile.',
    );
    expect(phoneNote({ ...contact, phone: "07911 123457" })).toBe(
      'The phone number "07911 123457" is not a valid number without a country, so it was left out of the profile.',
    );
    expect(phoneNote(contact)).toBeUndefined();
  });
});

describe("contact", () => {
  it("reaches a customer by email, or by a phone number that can be E.164", () => {
    expect(isReachable({ ...contact, email: "ann@example.com" })).toBe(true);
    expect(isReachable({ ...contact, phone: "(415) 555-0199", country: "US" })).toBe(true);
    expect(isReachable({ ...contact, phone: "07911 123457", country: "GB" })).toBe(true);
    expect(isReachable({ ...contact, phone: "12", country: "US" })).toBe(false);
    expect(isReachable(contact)).toBe(false);
  });

  it("knows a customer by lower-case email, else by E.164 phone", () => {
    const known = { ...contact, email: "Ann@Example.com", phone: "(415) 555-0199", country: "US" };
    expect(customerIdentity(known)).toBe("ann@example.com");
    expect(customerIdentity({ ...known, email: null })).toBe("+14155550199");
    expect(customerIdentity({ ...known, email: null, phone: "12" })).toBeUndefined();
  });
});

describe("the latest name wins", () => {
  const ann = { ...contact, email: "ann@example.com", firstName: "Ann", lastName: "Lee" };
  const at = (iso: string) => new Date(iso);

  it("a late event of the first order carries the name of the reorder", () => {
    const first = { contact: ann, knownAt: at("2026-11-01T10:00:00Z") };
    const reorder = { contact: { ...ann, lastName: "Smith" }, knownAt: at("2026-11-10T10:00:00Z") };
    expect(withLatestName(first, [reorder])).toEqual({ ...ann, lastName: "Smith" });
  });

  it("keeps the event's own name when it is the latest, or when nothing newer is known", () => {
    const own = { contact: { ...ann, lastName: "Smith" }, knownAt: at("2026-11-10T10:00:00Z") };
    expect(withLatestName(own, [{ contact: ann, knownAt: at("2026-11-01T10:00:00Z") }]).lastName).toBe("Smith");
    expect(withLatestName(own, [])).toEqual(own.contact);
    // An order whose time is unknown is older than any known one.
    expect(withLatestName(own, [{ contact: ann, knownAt: null }]).lastName).toBe("Smith");
  });

  it("moves only the name: how the customer is reached stays the event's own", () => {
    const own = { contact: { ...ann, phone: "+447911123457", country: "GB" }, knownAt: null };
    const newer = {
      contact: { ...ann, firstName: "Annie", phone: null, company: "Acme" },
      knownAt: at("2026-11-10T10:00:00Z"),
    };
    expect(withLatestName(own, [newer])).toEqual({ ...own.contact, firstName: "Annie", company: "Acme" });
  });

  it("never replaces a name with no name", () => {
    const own = { contact: ann, knownAt: at("2026-11-01T10:00:00Z") };
    const nameless = { contact: { ...ann, firstName: null, lastName: null }, knownAt: at("2026-11-10T10:00:00Z") };
    expect(withLatestName(own, [nameless])).toEqual(ann);
  });
});
