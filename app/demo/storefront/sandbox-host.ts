// The storefront's side of Shopify's strict pixel sandbox, in the browser: it starts the pixel's
// worker (./sandbox-worker.js), answers the worker's `browser.*` calls from the top frame, as Shopify's
// sandbox does, and hands it the standard events and consent changes the storefront publishes.

export interface PixelSandbox {
  /** Resolves once the pixel has registered. */
  loaded: Promise<void>;
  publish(name: string, event: unknown): void;
  consent(customerPrivacy: unknown): void;
}

/** Loads the pixel at `pixelUrl` with the settings and init Shopify would give it on this page. */
export function startPixelSandbox(options: {
  workerUrl: string;
  pixelUrl: string;
  settings: unknown;
  init: unknown;
}): PixelSandbox {
  const worker = new Worker(options.workerUrl);
  const top: Record<string, (...args: never[]) => unknown> = {
    sendBeacon: (url: string, body: string) => navigator.sendBeacon(url, body),
    "cookie.get": () => document.cookie,
    "cookie.set": (cookie: string, value?: string) =>
      (document.cookie = value === undefined ? cookie : `${cookie}=${value}`),
  };
  for (const area of ["localStorage", "sessionStorage"] as const) {
    const store = window[area];
    top[`${area}.getItem`] = (key: string) => store.getItem(key);
    top[`${area}.setItem`] = (key: string, value: string) => store.setItem(key, value);
    top[`${area}.removeItem`] = (key: string) => store.removeItem(key);
    top[`${area}.key`] = (index: number) => store.key(index);
    top[`${area}.length`] = () => store.length;
    top[`${area}.clear`] = () => store.clear();
  }
  const answer = (method: string, args: unknown[]) => (top[method] as (...args: unknown[]) => unknown)(...args) ?? null;
  const loaded = new Promise<void>((resolve) => {
    worker.onmessage = ({ data }) => {
      if (data.type === "loaded") resolve();
      if (data.type === "call")
        worker.postMessage({ type: "answer", call: data.call, value: answer(data.method, data.args) });
    };
  });
  worker.postMessage({
    type: "load",
    settings: options.settings,
    init: options.init,
    pixelUrl: new URL(options.pixelUrl, location.href).href,
  });
  return {
    loaded,
    publish: (name, event) => worker.postMessage({ type: "publish", name, event }),
    consent: (customerPrivacy) => worker.postMessage({ type: "consent", customerPrivacy }),
  };
}
