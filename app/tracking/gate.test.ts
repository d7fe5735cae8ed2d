import { describe, expect, it } from "vitest";
import { gateEvent } from "./gate";

const open = { klaviyoConnected: true, goLive: true, eventEnabled: true, reachable: true };

describe("gateEvent", () => {
  it("sends when everything is in place", () => {
    expect(gateEvent(open)).toEqual({ send: true });
  });

  it.each([
    [{ klaviyoConnected: false }, "Klaviyo is not connected"],
    [{ goLive: false }, "Go Live is off"],
    [{ eventEnabled: false }, "This event is turned off in Track Settings"],
    [{ reachable: false }, "The order has no email address or phone number"],
  ])("skips %j with a reason the merchant understands", (change, reason) => {
    expect(gateEvent({ ...open, ...change })).toEqual({ send: false, reason });
  });
});
