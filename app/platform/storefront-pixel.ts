import { formatEnabledEvents, type PixelSettings } from "../extensions/waypost-pixel/src/contract";

// The web pixel as Waypost activates it on a shop: the Admin API documents (webPixelCreate,
// webPixelUpdate, webPixel; Admin 2026-07) and what their answers mean. Pure.

export type PixelStatus = "not_synced" | "connected" | "missing_scope" | "failed";

/** The pixel's state as the admin shows it. */
export interface StorefrontPixelView {
  status: PixelStatus;
  /** Shopify's reason, or what the merchant should do, when it is not connected. */
  detail: string | null;
  enabledEvents: string[];
  syncedAt: string | null;
}

/** Without both, Shopify refuses the web pixel mutations (ACCESS_DENIED). */
export const PIXEL_SCOPES = ["write_pixels", "read_customer_events"] as const;

/** Where the pixel posts its batches: the contract's `{APP_URL}/pixel/events`. */
export const pixelIngestUrl = (appUrl: string) => `${appUrl.replace(/\/$/, "")}/pixel/events`;

/** The settings the extension's definition declares (shopify.extension.toml), as the JSON string Shopify takes. */
export function pixelSettingsJson(appUrl: string, pixelKey: string, enabledEvents: readonly string[]): string {
  const settings: PixelSettings = {
    ingestUrl: pixelIngestUrl(appUrl),
    pixelKey,
    events: formatEnabledEvents(enabledEvents),
  };
  return JSON.stringify(settings);
}

/** The scopes of PIXEL_SCOPES a session's granted scopes (comma-separated) lack. */
export function missingPixelScopes(grantedScopes: string | null | undefined): string[] {
  const granted = new Set((grantedScopes ?? "").split(",").map((scope) => scope.trim()));
  // Shopify's write_ scopes include their read_ scope, not the other way round.
  return PIXEL_SCOPES.filter((scope) => !granted.has(scope) && !granted.has(scope.replace(/^read_/, "write_")));
}

export const missingScopeMessage = (missing: readonly string[]) =>
  `Waypost needs the ${missing.join(" and ")} permission${missing.length === 1 ? "" : "s"} to add its storefront pixel. Open Waypost from your Shopify admin and accept the updated permissions.`;

export const WEB_PIXEL_CREATE = /* GraphQL */ `
  mutation WaypostWebPixelCreate($webPixel: WebPixelInput!) {
    webPixelCreate(webPixel: $webPixel) {
      userErrors {
        code
        field
        message
      }
      webPixel {
        id
        settings
      }
    }
  }
`;

export const WEB_PIXEL_UPDATE = /* GraphQL */ `
  mutation WaypostWebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {
    webPixelUpdate(id: $id, webPixel: $webPixel) {
      userErrors {
        code
        field
        message
      }
      webPixel {
        id
        settings
      }
    }
  }
`;

/** The app's own web pixel on the shop (no id: Shopify answers the calling app's). */
export const WEB_PIXEL_QUERY = /* GraphQL */ `
  query WaypostWebPixel {
    webPixel {
      id
      settings
    }
  }
`;

export interface WebPixelUserError {
  code?: string | null;
  field?: string[] | null;
  message: string;
}

export interface WebPixelPayload {
  userErrors: WebPixelUserError[];
  webPixel: { id: string; settings: unknown } | null;
}

export type WebPixelAnswer =
  | { ok: true; webPixelId: string }
  /** `taken`: the shop has the app's pixel already (create); `notFound`: the kept id is gone (update). */
  | { ok: false; taken?: true; notFound?: true; detail: string };

/** What a webPixelCreate / webPixelUpdate payload says. */
export function webPixelAnswer(payload: WebPixelPayload | null | undefined): WebPixelAnswer {
  if (!payload) return { ok: false, detail: "Shopify answered without a web pixel" };
  const errors = payload.userErrors ?? [];
  if (errors.length) {
    const detail = errors.map((error) => `${error.message}${error.code ? ` (${error.code})` : ""}`).join("; ");
    return {
      ok: false,
      detail,
      ...(errors.some((error) => error.code === "TAKEN") ? { taken: true as const } : {}),
      ...(errors.some((error) => error.code === "NOT_FOUND") ? { notFound: true as const } : {}),
    };
  }
  return payload.webPixel?.id
    ? { ok: true, webPixelId: payload.webPixel.id }
    : { ok: false, detail: "Shopify answered without a web pixel" };
}

/** Shopify's GraphQL refusal for a missing scope reads "Access denied for webPixelCreate field. Required access: …". */
export const isAccessDenied = (detail: string) => /access denied/i.test(detail);
