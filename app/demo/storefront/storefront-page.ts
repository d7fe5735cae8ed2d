// The demo storefront's script, bundled for the browser (./assets.server.ts). It loads Waypost's
// built pixel into the stand-in of Shopify's sandbox, as Shopify loads it on a storefront page, and
// publishes Shopify's standard events as the shopper clicks. The page's markup and its config come
// from app/routes/demo.storefront.tsx. Tests that drive the sandbox directly use `window.storefront`.
import type { Customer } from "@shopify/web-pixels-extension";
import { startPixelSandbox, type PixelSandbox } from "./sandbox-host";
import {
  checkoutStarted,
  collectionViewed,
  consent,
  context,
  pageViewed,
  productAddedToCart,
  productViewed,
  searchSubmitted,
  variant,
} from "../../extensions/waypost-pixel/src/standard-events";

export interface StorefrontConfig {
  /** The pixel's settings as Shopify holds them (webPixelCreate / webPixelUpdate); null: no pixel yet. */
  settings: Record<string, unknown> | null;
  shop: { domain: string; name: string };
  /** init.data.customer: null for a guest. */
  customer: Customer | null;
  productNumbers: number[];
}

const CONSENT_KEY = "waypost-demo-consent";
const CLIENT_KEY = "waypost-demo-client-id";
const CART_KEY = "waypost-demo-cart";

const assets = new URL(".", (document.currentScript as HTMLScriptElement | null)?.src ?? location.href);
const sandboxAt = (settings: unknown, init: unknown) =>
  startPixelSandbox({
    workerUrl: new URL("sandbox-worker.js", assets).href,
    pixelUrl: new URL("waypost-pixel.js", assets).href,
    settings,
    init,
  });

let sandbox: PixelSandbox | undefined;
(window as unknown as { storefront: unknown }).storefront = {
  load(settings: unknown, init: unknown) {
    sandbox = sandboxAt(settings, init);
    return sandbox.loaded;
  },
  publish: (name: string, event: unknown) => sandbox?.publish(name, event),
  consent: (customerPrivacy: unknown) => sandbox?.consent(customerPrivacy),
};

interface CartLine {
  product: number;
  quantity: number;
}

async function openShop(config: StorefrontConfig) {
  if (!config.settings) return;
  // Shopify's storefront keeps one clientId per browser (its _shopify_y cookie); so does the demo.
  const clientId = localStorage.getItem(CLIENT_KEY) ?? crypto.randomUUID();
  localStorage.setItem(CLIENT_KEY, clientId);
  const choice = localStorage.getItem(CONSENT_KEY);
  const cart: CartLine[] = JSON.parse(sessionStorage.getItem(CART_KEY) ?? "[]");
  let seq = 0;
  const live = <T extends object>(event: T, path: string, title: string) => ({
    ...event,
    id: crypto.randomUUID(),
    clientId,
    seq: ++seq,
    timestamp: new Date().toISOString(),
    context: context(path, title, config.shop.domain),
  });

  const shop = config.shop;
  sandbox = sandboxAt(config.settings, {
    context: context("/", shop.name, shop.domain),
    data: {
      customer: config.customer,
      cart: null,
      shop: {
        countryCode: "US",
        myshopifyDomain: shop.domain,
        name: shop.name,
        paymentSettings: { currencyCode: "USD" },
        storefrontUrl: `https://${shop.domain}`,
      },
      purchasingCompany: null,
    },
    customerPrivacy: consent(choice === "granted"),
  });
  await sandbox.loaded;

  const published = document.getElementById("published")!;
  const publish = (name: string, event: unknown, what: string) => {
    sandbox!.publish(name, event);
    const item = document.createElement("li");
    item.textContent = `${name}: ${what}`;
    published.prepend(item);
  };
  const showCart = () => {
    const items = cart.reduce((sum, line) => sum + line.quantity, 0);
    document.getElementById("cart")!.textContent = items
      ? `Cart: ${items} item${items === 1 ? "" : "s"}`
      : "Cart: empty";
    sessionStorage.setItem(CART_KEY, JSON.stringify(cart));
  };
  showCart();
  // Each link opens a page on a real storefront, and every page Shopify loads publishes page_viewed first.
  const openPage = (path: string, title: string) => publish("page_viewed", live(pageViewed(), path, title), path);

  const banner = document.getElementById("consent")!;
  banner.hidden = choice !== null;
  for (const [button, granted] of [
    ["accept-consent", true],
    ["decline-consent", false],
  ] as const) {
    document.getElementById(button)!.addEventListener("click", () => {
      localStorage.setItem(CONSENT_KEY, granted ? "granted" : "declined");
      sandbox!.consent(consent(granted));
      banner.hidden = true;
    });
  }

  openPage("/", shop.name);
  for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-product]")) {
    const number = Number(button.dataset.product);
    const product = variant(number);
    button.addEventListener("click", () => {
      if (button.dataset.action === "view") {
        const event = { ...productViewed(), data: { productVariant: product } };
        openPage(product.product.url ?? "/", product.product.title);
        publish(
          "product_viewed",
          live(event, product.product.url ?? "/", product.product.title),
          product.product.title,
        );
        return;
      }
      const line = cart.find((candidate) => candidate.product === number);
      if (line) line.quantity++;
      else cart.push({ product: number, quantity: 1 });
      showCart();
      const event = {
        ...productAddedToCart(),
        data: {
          cartLine: { cost: { totalAmount: product.price }, merchandise: product, quantity: 1 },
        },
      };
      publish(
        "product_added_to_cart",
        live(event, product.product.url ?? "/", product.product.title),
        product.product.title,
      );
    });
  }
  document.getElementById("browse-collection")!.addEventListener("click", () => {
    const event = collectionViewed();
    openPage("/collections/shoes", "Shoes");
    publish("collection_viewed", live(event, "/collections/shoes", "Shoes"), event.data.collection.title);
  });
  document.getElementById("search")!.addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    const query = String(new FormData(submitted.target as HTMLFormElement).get("q") ?? "").trim();
    if (!query) return;
    const found = config.productNumbers
      .map((number) => variant(number))
      .filter((candidate) => candidate.product.title.toLowerCase().includes(query.toLowerCase()));
    const event = { ...searchSubmitted(), data: { searchResult: { query, productVariants: found } } };
    const path = `/search?q=${encodeURIComponent(query)}`;
    openPage(path, `Search: ${query}`);
    publish("search_submitted", live(event, path, `Search: ${query}`), query);
  });
  document.getElementById("checkout")!.addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    if (!cart.length) return;
    const email = String(new FormData(submitted.target as HTMLFormElement).get("email") ?? "").trim() || null;
    const sample = checkoutStarted();
    const lineItems = cart.map((line, index) => {
      const product = variant(line.product);
      const amount = product.price.amount * line.quantity;
      return {
        ...sample.data.checkout.lineItems[0],
        id: `gid://shopify/CheckoutLineItem/${index + 1}`,
        finalLinePrice: { amount, currencyCode: "USD" },
        quantity: line.quantity,
        title: product.product.title,
        variant: product,
      };
    });
    const subtotal = lineItems.reduce((sum, line) => sum + line.finalLinePrice.amount, 0);
    const money = (amount: number) => ({ amount, currencyCode: "USD" });
    const checkout = {
      ...sample.data.checkout,
      email,
      phone: null,
      lineItems,
      subtotalPrice: money(subtotal),
      totalTax: money(0),
      totalPrice: money(subtotal),
      token: crypto.randomUUID().replaceAll("-", ""),
    };
    const event = { ...sample, data: { checkout } };
    openPage(`/checkouts/cn/${checkout.token}`, "Checkout");
    publish(
      "checkout_started",
      live(event, `/checkouts/cn/${checkout.token}`, "Checkout"),
      `${lineItems.length} line(s)`,
    );
  });
}

// Last, once every constant above is set.
const configElement = document.getElementById("storefront-config");
if (configElement) void openShop(JSON.parse(configElement.textContent ?? "{}") as StorefrontConfig);
