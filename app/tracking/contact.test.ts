import { describe, expect, it } from "vitest";
import { customerIdentity, isReachable, toE164 } from "./contact";

describe("contact", () => {
  it.each([
    ["+44 20 7946 0958", "+442079460958"],
    ["(415) 555-0199", "+14155550199"],
    ["1-415-555-0199", "+14155550199"],
    ["0044 20 7946 0958", "+442079460958"],
    ["555-555-SHIP", undefined],
    ["12345", undefined],
    ["", undefined],
  ])("normalizes the phone %j to %j", (phone, expected) => {
    expect(toE164(phone)).toBe(expected);
  });

  it("reaches a customer by email, or by a phone number that can be E.164", () => {
    const contact = { email: null, phone: null, firstName: "Ann", lastName: null, company: null };
    expect(isReachable({ ...contact, email: "ann@example.com" })).toBe(true);
    expect(isReachable({ ...contact, phone: "(415) 555-0199" })).toBe(true);
    expect(isReachable({ ...contact, phone: "12" })).toBe(false);
    expect(isReachable(contact)).toBe(false);
  });

  it("knows a customer by lower-case email, else by E.164 phone", () => {
    const contact = {
      email: "Ann@Example.com",
      phone: "(415) 555-0199",
      firstName: null,
      lastName: null,
      company: null,
    };
    expect(customerIdentity(contact)).toBe("ann@example.com");
    expect(customerIdentity({ ...contact, email: null })).toBe("+14155550199");
    expect(customerIdentity({ ...contact, email: null, phone: "12" })).toBeUndefined();
  });
});
