import { describe, expect, it } from "vitest";
import { gateEvent } from "./gate";

const open = { store: { klaviyoConnected: true, goLive: true }, eventEnabled: true, reachable: true };

describe("gateEvent", () => {
  it("sends when everything is in place", () => {
    expect(gateEvent(open)).toEqual({ send: true });
  });

  it.each([
    [{ store: { klaviyoConnected: false, goLive: true } }, "Klaviyo is not connected"],
    [{ store: { klaviyoConnected: true, goLive: false } }, "Go Live is off"],
    [{ eventEnabled: false }, "This event is turned off in Track Settings"],
    [{ reachable: false }, "The order has no email address or phone number"],
  ])("skips %j with a reason the merchant understands", (change, reason) => {
    expect(gateEvent({ ...open, ...change })).toEqual({ send: false, reason });
  });

  it("asks an import only about the event and the customer: the store was checked when it started", () => {
    expect(gateEvent({ eventEnabled: true, reachable: true })).toEqual({ send: true });
    expect(gateEvent({ eventEnabled: false, reachable: true })).toMatchObject({ send: false });
    expect(gateEvent({ eventEnabled: true, reachable: false })).toMatchObject({ send: false });
  });
});
