import { describe, expect, it } from "vitest";
import { isAuthenticKlaviyoWebhook, parseConsentDelivery, signKlaviyoWebhook } from "./consent-webhooks";

const SECRET = "0123456789abcdef0123456789abcdef";
const body = (webhookId: string, topic = "event:klaviyo.unsubscribed_from_email_marketing") =>
  JSON.stringify({
    data: [
      {
        topic,
        external_id: "EV1",
        payload: {
          type: "event",
          id: "EV1",
          attributes: { datetime: "2026-12-02T05:00:00+00:00" },
          relationships: { profile: { data: { type: "profile", id: "P1" } } },
        },
      },
    ],
    meta: { klaviyo_account_id: "K1", klaviyo_webhook_id: webhookId, timestamp: "2026-12-02T05:00:01Z" },
  });

describe("Klaviyo's webhook signature", () => {
  it("accepts the HMAC of body and timestamp, and nothing else", () => {
    const raw = Buffer.from(body("WH1"));
    const signature = signKlaviyoWebhook(raw, "1764651601", SECRET);
    expect(isAuthenticKlaviyoWebhook(raw, "1764651601", signature, SECRET)).toBe(true);
    expect(isAuthenticKlaviyoWebhook(raw, "1764651602", signature, SECRET)).toBe(false);
    expect(isAuthenticKlaviyoWebhook(Buffer.from(body("WH2")), "1764651601", signature, SECRET)).toBe(false);
    expect(isAuthenticKlaviyoWebhook(raw, "1764651601", signature.slice(2), SECRET)).toBe(false);
    expect(isAuthenticKlaviyoWebhook(raw, null, signature, SECRET)).toBe(false);
  });
});

describe("a consent delivery", () => {
  it("names each unsubscribe's event, channel, profile and time", () => {
    expect(parseConsentDelivery(JSON.parse(body("WH1")), "WH1")).toEqual({
      ok: true,
      webhookId: "WH1",
      otherTopics: 0,
      unsubscribes: [
        {
          klaviyoEventId: "EV1",
          channel: "email",
          klaviyoProfileId: "P1",
          email: null,
          phone: null,
          occurredAt: new Date("2026-12-02T05:00:00Z"),
        },
      ],
    });
  });

  it("is refused when its meta names another webhook than the header", () => {
    expect(parseConsentDelivery(JSON.parse(body("WH1")), "WH9")).toMatchObject({ ok: false });
  });

  it("leaves other topics (and inherited names) alone", () => {
    expect(parseConsentDelivery(JSON.parse(body("WH1", "__proto__")), "WH1")).toMatchObject({
      ok: true,
      unsubscribes: [],
      otherTopics: 1,
    });
  });
});
