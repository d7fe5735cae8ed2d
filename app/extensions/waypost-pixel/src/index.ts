import { register } from "@shopify/web-pixels-extension";
import type { PixelSettings } from "./contract";
import { StorefrontPixel } from "./pixel";

// Waypost's web pixel: Shopify loads it in its strict sandbox on every storefront page and checkout,
// with the settings Waypost gave webPixelCreate / webPixelUpdate. The logic lives in ./pixel.ts.
register(({ analytics, browser, init, customerPrivacy, settings }) => {
  const pixel = new StorefrontPixel({
    settings: settings as Partial<PixelSettings>,
    shop: init.data.shop.myshopifyDomain,
    customer: init.data.customer,
    consent: init.customerPrivacy,
    send: (url, body) => {
      // text/plain keeps it a simple request: no CORS preflight, and it survives the page unloading.
      fetch(url, {
        method: "POST",
        keepalive: true,
        headers: { "content-type": "text/plain;charset=UTF-8" },
        body,
      }).catch(() => browser.sendBeacon(url, body));
    },
    session: browser.sessionStorage,
    local: browser.localStorage,
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });
  for (const name of pixel.subscriptions()) analytics.subscribe(name, (event) => void pixel.observe(name, event));
  customerPrivacy.subscribe("visitorConsentCollected", (event) => void pixel.updateConsent(event.customerPrivacy));
  // In the strict sandbox (a worker) there is no page to hide; where there is one, its hiding sends what is queued.
  const scope = globalThis as { addEventListener?: (type: string, listener: () => void) => void };
  scope.addEventListener?.("pagehide", () => pixel.flush());
});
