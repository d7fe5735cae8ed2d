import type { StorefrontConfig } from "./storefront-page";
import { variant } from "../../extensions/waypost-pixel/src/standard-events";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * The demo storefront's page: a few products, a search, a cart and a sign-in, wired by
 * ./storefront-page.ts (served beside it as storefront.js) to the pixel in its sandbox.
 */
export function storefrontPage(config: StorefrontConfig): string {
  const { shop, customer, settings } = config;
  const products = config.productNumbers
    .map((number) => {
      const product = variant(number);
      const title = escapeHtml(product.product.title);
      return `<article class="product">
        <h2>${title}</h2>
        <p>${product.price.amount.toFixed(2)} ${product.price.currencyCode} · ${escapeHtml(product.title ?? "")}</p>
        <button type="button" data-action="view" data-product="${number}">View ${title}</button>
        <button type="button" data-action="add" data-product="${number}">Add ${title} to cart</button>
      </article>`;
    })
    .join("");
  const account = customer
    ? `Signed in as ${escapeHtml(customer.email ?? "")} · <a href="/demo/storefront">Sign out</a>`
    : `Browsing as a guest · <a href="/demo/storefront?customer=demo">Sign in as Demo Customer</a>`;
  const body = settings
    ? `<div id="consent" role="region" aria-label="Cookie consent" hidden>
        <p>This store uses cookies for analytics and marketing.</p>
        <button type="button" id="accept-consent">Accept</button>
        <button type="button" id="decline-consent">Decline</button>
      </div>
      <main>
        <section aria-label="Products" class="products">${products}</section>
        <p><button type="button" id="browse-collection">Browse the Shoes collection</button></p>
        <form id="search" role="search"><label>Search the store <input name="q" value="trail" /></label> <button>Search</button></form>
        <section aria-label="Cart">
          <p id="cart">Cart: empty</p>
          <form id="checkout">
            <label>Email for checkout <input name="email" type="email" value="${escapeHtml(customer?.email ?? "")}" /></label>
            <button>Check out</button>
          </form>
        </section>
        <section aria-label="Published">
          <h2>What this page published to the pixel</h2>
          <ol id="published" aria-live="polite"></ol>
        </section>
      </main>`
    : `<main><p role="alert">Waypost's pixel is not on this storefront yet: connect it under Integrations in the Waypost admin, then reload.</p></main>`;
  // JSON inside a script element: "<" escaped so no value can close the element.
  const configJson = JSON.stringify(config).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(shop.name)} (demo storefront)</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; }
      header { border-bottom: 1px solid #ccc; display: flex; flex-wrap: wrap; gap: 1rem; justify-content: space-between; }
      .products { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); }
      .product { border: 1px solid #ddd; border-radius: 0.5rem; padding: 1rem; }
      #consent { background: #f4f4f4; border: 1px solid #999; padding: 0 1rem 1rem; }
      button { font: inherit; margin: 0.25rem 0.25rem 0 0; }
    </style>
  </head>
  <body>
    <header><strong>${escapeHtml(shop.name)}</strong><span>${account}</span></header>
    <p>A stand-in for this store's storefront. Waypost's web pixel runs here in a stand-in of Shopify's
    sandbox, with the settings Waypost gave Shopify; what it sends goes to Waypost's
    <code>/pixel/events</code> and, for the events turned on under Storefront activity in Track Settings,
    on to Klaviyo. The pixel sends nothing until the cookie banner is accepted.</p>
    ${body}
    <script type="application/json" id="storefront-config">${configJson}</script>
    <script src="/demo/storefront/storefront.js"></script>
  </body>
</html>`;
}
