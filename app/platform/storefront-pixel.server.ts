import { prisma } from "../db.server";
import { env } from "../env.server";
import { log } from "../log.server";
import { adminApiForShop, adminApiWithToken, type AdminOutcome, type ShopifyAdminApi } from "./admin-graphql.server";
import { formatEnabledEvents } from "../extensions/waypost-pixel/src/contract";
import { pixelKeyFor } from "./pixel-key.server";
import {
  isAccessDenied,
  missingPixelScopes,
  missingScopeMessage,
  pixelSettingsJson,
  WEB_PIXEL_CREATE,
  WEB_PIXEL_QUERY,
  WEB_PIXEL_UPDATE,
  webPixelAnswer,
  type PixelStatus,
  type StorefrontPixelView,
  type WebPixelAnswer,
  type WebPixelPayload,
} from "./storefront-pixel";

/** A wait for Shopify's bucket longer than this is not waited out inside a request: the sync says so instead. */
const MAX_BUDGET_WAIT_MS = 10_000;
const SYNC_TIMEOUT_MS = 10_000;

/** The shop's pixel row, made on first use. */
async function pixelRowOf(shopId: string) {
  const existing = await prisma.storefrontPixel.findUnique({ where: { shopId } });
  return existing ?? prisma.storefrontPixel.upsert({ where: { shopId }, create: { shopId }, update: {} });
}

/**
 * Creates or updates the shop's web pixel at Shopify with its settings (ingest URL, the shop's public
 * pixel key — Shop.pixelKey, which the ingest checks — and the enabled events) and keeps the pixel's id and how it went. Call it on install and whenever the
 * storefront toggles change; `enabledEvents` omitted keeps the ones stored (the pixel's event names,
 * `page_viewed`, `product_viewed`, … as in the contract). Never throws for Shopify's sake: the
 * outcome is stored and returned, for the merchant to see.
 */
export async function syncStorefrontPixel(
  shop: string | { domain: string },
  enabledEvents?: readonly string[],
  { accessToken, grantedScopes }: { accessToken?: string; grantedScopes?: string } = {},
): Promise<StorefrontPixelView> {
  const domain = typeof shop === "string" ? shop : shop.domain;
  const shopRow = await prisma.shop.findUnique({ where: { domain }, select: { id: true } });
  if (!shopRow) throw new Error(`no shop ${domain}`);
  const row = await pixelRowOf(shopRow.id);
  const events = enabledEvents ? [...enabledEvents] : row.enabledEvents.split(",").filter(Boolean);
  const settings = pixelSettingsJson(env.appUrl, await pixelKeyFor(shopRow.id), events);
  const enabled = JSON.parse(settings).events as string;

  const session = await prisma.session.findUnique({ where: { id: `offline_${domain}` }, select: { scope: true } });
  const missing = missingPixelScopes(grantedScopes ?? session?.scope);
  let result: { status: PixelStatus; detail: string | null; webPixelId?: string | null };
  if (missing.length) {
    result = { status: "missing_scope", detail: missingScopeMessage(missing) };
  } else {
    const api = accessToken
      ? adminApiWithToken(domain, accessToken, { timeoutMs: SYNC_TIMEOUT_MS })
      : await adminApiForShop(domain, { timeoutMs: SYNC_TIMEOUT_MS });
    const answer: WebPixelAnswer = api
      ? await activate(api, row.webPixelId, settings)
      : { ok: false, detail: "Waypost holds no access token for this store" };
    result = answer.ok
      ? { status: "connected", detail: null, webPixelId: answer.webPixelId }
      : isAccessDenied(answer.detail)
        ? { status: "missing_scope", detail: missingScopeMessage(["write_pixels", "read_customer_events"]) }
        : { status: "failed", detail: answer.detail };
  }

  const saved = await prisma.storefrontPixel.update({
    where: { shopId: shopRow.id },
    data: {
      enabledEvents: enabled,
      status: result.status,
      detail: result.detail,
      ...(result.webPixelId ? { webPixelId: result.webPixelId } : {}),
      ...(result.status === "connected" ? { syncedAt: new Date() } : {}),
    },
  });
  (result.status === "connected" ? log.info : log.warn)("storefront pixel synced", {
    shop: domain,
    status: result.status,
    events: enabled,
    ...(result.detail ? { reason: result.detail } : {}),
  });
  return viewOf(saved);
}

/**
 * After Track Settings saves: brings the pixel's settings in line with the storefront toggles, but
 * asks Shopify only when the pixel's events change or its last sync did not connect.
 */
export async function syncStorefrontPixelIfChanged(shop: { id: string; domain: string }, enabledEvents: string[]) {
  const row = await prisma.storefrontPixel.findUnique({ where: { shopId: shop.id } });
  if (!row && enabledEvents.length === 0) return null;
  if (row?.status === "connected" && row.enabledEvents === formatEnabledEvents(enabledEvents)) return null;
  return syncStorefrontPixel(shop, enabledEvents);
}

/**
 * The settings Shopify holds for the shop's web pixel, which are what its storefront loads the pixel
 * with; null when the shop has no pixel (or Shopify cannot say).
 */
export async function pixelSettingsAtShopify(domain: string): Promise<Record<string, unknown> | null> {
  const api = await adminApiForShop(domain, { timeoutMs: SYNC_TIMEOUT_MS });
  if (!api) return null;
  const answer = await withinBudget(() => api.query<{ webPixel?: { settings: unknown } | null }>(WEB_PIXEL_QUERY, {}));
  // WebPixel.settings is a JSON scalar: Shopify answers it as the string the app gave.
  const settings = answer.ok ? answer.data.webPixel?.settings : undefined;
  if (settings === undefined || settings === null) return null;
  return (typeof settings === "string" ? JSON.parse(settings) : settings) as Record<string, unknown>;
}

/** Update the kept pixel; create one when there is none (or Shopify lost it); adopt the app's existing one when create says it is taken. */
async function activate(api: ShopifyAdminApi, webPixelId: string | null, settings: string): Promise<WebPixelAnswer> {
  const update = async (id: string) =>
    payloadOf(
      await withinBudget(() =>
        api.query<{ webPixelUpdate?: WebPixelPayload }>(WEB_PIXEL_UPDATE, { id, webPixel: { settings } }),
      ),
      (data) => data.webPixelUpdate,
    );
  if (webPixelId) {
    const updated = await update(webPixelId);
    if (updated.ok || !("notFound" in updated && updated.notFound)) return updated;
  }
  const created = payloadOf(
    await withinBudget(() =>
      api.query<{ webPixelCreate?: WebPixelPayload }>(WEB_PIXEL_CREATE, { webPixel: { settings } }),
    ),
    (data) => data.webPixelCreate,
  );
  if (created.ok || !("taken" in created && created.taken)) return created;
  const existing = await withinBudget(() => api.query<{ webPixel?: { id: string } | null }>(WEB_PIXEL_QUERY, {}));
  if (!existing.ok) return { ok: false, detail: existing.detail };
  return existing.data.webPixel?.id ? update(existing.data.webPixel.id) : created;
}

function payloadOf<T>(outcome: AdminOutcome<T>, pick: (data: T) => WebPixelPayload | undefined): WebPixelAnswer {
  return outcome.ok ? webPixelAnswer(pick(outcome.data)) : { ok: false, detail: outcome.detail };
}

/** Waits out a THROTTLED answer (Shopify says how long its bucket needs) a few times, within a bound; Shopify not answering is not retried here. */
async function withinBudget<T>(call: () => Promise<AdminOutcome<T>>): Promise<AdminOutcome<T>> {
  let outcome = await call();
  for (let attempt = 0; attempt < 3; attempt++) {
    if (outcome.ok || outcome.kind !== "throttled" || !outcome.budget || outcome.waitMs > MAX_BUDGET_WAIT_MS) break;
    const waitMs = outcome.waitMs;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    outcome = await call();
  }
  return outcome;
}

function viewOf(row: { status: string; detail: string | null; enabledEvents: string; syncedAt: Date | null }) {
  return {
    status: row.status as PixelStatus,
    detail: row.detail,
    enabledEvents: row.enabledEvents.split(",").filter(Boolean),
    syncedAt: row.syncedAt?.toISOString() ?? null,
  } satisfies StorefrontPixelView;
}

/** The pixel's state for the admin (Integrations). */
export async function storefrontPixelView(shopId: string): Promise<StorefrontPixelView> {
  const row = await prisma.storefrontPixel.findUnique({ where: { shopId } });
  return row ? viewOf(row) : { status: "not_synced", detail: null, enabledEvents: [], syncedAt: null };
}
