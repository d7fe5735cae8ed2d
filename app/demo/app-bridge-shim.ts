/**
 * A stand-in for Shopify's App Bridge script, for the demo and browser tests (Shopify's CDN is
 * not reachable offline). Like App Bridge, it puts a fresh session token on every same-origin
 * fetch, taking tokens from `tokenUrl`; it draws what the admin would draw around the frame: the
 * contextual save bar of a shown `ui-save-bar` (its Save and Discard press the element's own
 * buttons) and `shopify.toast` messages.
 *
 * It runs in the page's <head> before React hydrates the document, so it leaves the server's DOM
 * as it found it: a node added to <head> then made React's first render differ from the HTML
 * (error #418), and React drew the whole document again in the browser, without these styles.
 */
export function appBridgeShimSource(tokenUrl: string): string {
  return `(() => {
  const tokenUrl = ${JSON.stringify(tokenUrl)};
  const originalFetch = window.fetch.bind(window);
  let cached = null;
  async function idToken() {
    if (cached && cached.expiresAt - Date.now() > 10000) return cached.token;
    const response = await originalFetch(tokenUrl, { credentials: "same-origin" });
    if (!response.ok) throw new Error("session token unavailable: " + response.status);
    cached = await response.json();
    return cached.token;
  }
  window.fetch = async (input, init) => {
    const href = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname === tokenUrl) return originalFetch(input, init);
    const headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
    if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + (await idToken()));
    return originalFetch(input, { ...init, headers });
  };

  const style = document.createElement("style");
  style.textContent = [
    ".ab-save-bar{position:fixed;inset:0 0 auto 0;z-index:1000;display:flex;align-items:center;gap:8px;",
    "padding:10px 16px;background:#1a1a1a;color:#fff;font:600 14px/20px system-ui,sans-serif}",
    ".ab-save-bar p{margin:0;flex:1}",
    ".ab-save-bar button{font:inherit;border-radius:8px;padding:6px 12px;border:1px solid #8a8a8a;cursor:pointer}",
    ".ab-save-bar .ab-discard{background:#303030;color:#fff}",
    ".ab-save-bar .ab-save{background:#fff;color:#1a1a1a;border-color:#fff}",
    ".ab-save-bar button:disabled{opacity:.6;cursor:default}",
    ".ab-toasts{position:fixed;bottom:24px;left:50%;transform:translateX(-50%);z-index:1001;display:grid;gap:8px}",
    ".ab-toast{padding:10px 16px;border-radius:8px;background:#1a1a1a;color:#fff;font:500 14px/20px system-ui,sans-serif}",
    ".ab-toast.ab-error{background:#8e1f0b}",
  ].join("");
  // Added when the save bar or a toast is first drawn, after hydration.
  function addStyle() {
    if (!style.isConnected) document.head.appendChild(style);
  }

  // The admin draws one save bar above the frame; here it is drawn at the top of the page, which moves down.
  let bar = null;
  let shownId = null;
  function drawSaveBar() {
    const element = shownId && document.getElementById(shownId);
    if (!element) {
      if (bar) bar.remove();
      bar = null;
      document.body.style.paddingTop = "";
      return;
    }
    const save = element.querySelector('button[variant="primary"]');
    const discard = element.querySelector("button:not([variant])");
    if (!bar) {
      addStyle();
      bar = document.createElement("div");
      bar.className = "ab-save-bar";
      bar.setAttribute("role", "region");
      bar.setAttribute("aria-label", "Unsaved changes");
      bar.innerHTML = '<p>Unsaved changes</p><button type="button" class="ab-discard">Discard</button>' +
        '<button type="button" class="ab-save">Save</button>';
      bar.querySelector(".ab-save").addEventListener("click", () => save && save.click());
      bar.querySelector(".ab-discard").addEventListener("click", () => discard && discard.click());
      document.body.appendChild(bar);
    }
    const busy = (button) => !button || button.disabled || button.hasAttribute("loading");
    bar.querySelector(".ab-save").disabled = busy(save);
    bar.querySelector(".ab-save").textContent = save && save.hasAttribute("loading") ? "Saving…" : "Save";
    bar.querySelector(".ab-discard").disabled = busy(discard);
    document.body.style.paddingTop = bar.offsetHeight + "px";
  }
  // A ui-save-bar's buttons are App Bridge's to press, never shown in the page itself.
  if (!customElements.get("ui-save-bar"))
    customElements.define("ui-save-bar", class extends HTMLElement {
      connectedCallback() {
        if (!this.shadowRoot) this.attachShadow({ mode: "open" });
        this.observer = new MutationObserver(() => this.id === shownId && drawSaveBar());
        this.observer.observe(this, { subtree: true, attributes: true, childList: true });
      }
      disconnectedCallback() {
        if (this.observer) this.observer.disconnect();
        if (this.id === shownId) { shownId = null; drawSaveBar(); }
      }
      show() { shownId = this.id; drawSaveBar(); return Promise.resolve(); }
      hide() { if (this.id === shownId) { shownId = null; drawSaveBar(); } return Promise.resolve(); }
      get showing() { return this.id === shownId; }
    });
  const byId = (id) => document.getElementById(id);

  let toasts = null;
  function showToast(message, options) {
    if (!toasts) {
      addStyle();
      toasts = document.createElement("div");
      toasts.className = "ab-toasts";
      toasts.setAttribute("role", "status");
      toasts.setAttribute("aria-live", "polite");
      document.body.appendChild(toasts);
    }
    const toast = document.createElement("div");
    toast.className = "ab-toast" + (options && options.isError ? " ab-error" : "");
    toast.textContent = message;
    toasts.appendChild(toast);
    setTimeout(() => toast.remove(), (options && options.duration) || 5000);
    console.info("[toast]", message);
  }

  window.shopify = {
    idToken,
    config: {},
    toast: { show: showToast },
    saveBar: {
      show: (id) => (byId(id) ? byId(id).show() : Promise.resolve()),
      hide: (id) => (byId(id) ? byId(id).hide() : Promise.resolve()),
      toggle: (id) => (byId(id) ? (byId(id).showing ? byId(id).hide() : byId(id).show()) : Promise.resolve()),
      leaveConfirmation: () => Promise.resolve(),
    },
  };
})();
`;
}
