import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { GraphQLError } from "graphql";
import type { StoreModel } from "./execute";

/**
 * webPixelCreate / webPixelUpdate / webPixel as Shopify answers them for one app on one store: one web
 * pixel per app and shop (a second create is TAKEN), settings checked against the extension's settings
 * definition (shopify.extension.toml) — not JSON: INVALID_CONFIGURATION_JSON; a field missing, unknown,
 * not a string or shorter than its `min`: INVALID_SETTINGS — an unknown id NOT_FOUND, and without the
 * write_pixels scope the field is refused whole (ACCESS_DENIED), as Shopify refuses it.
 */
export interface WebPixelModel {
  id: string;
  /** As Shopify keeps it: the JSON string it was given. */
  settings: string;
}

const EXTENSION_TOML = resolve(__dirname, "../../../extensions/waypost-pixel/shopify.extension.toml");

/** The settings fields the extension declares, with each one's minimum length (0: none). */
export function settingsDefinition(toml = readFileSync(EXTENSION_TOML, "utf8")): Map<string, number> {
  const fields = new Map<string, number>();
  for (const block of toml.split(/^\[/m)) {
    const name = /^settings\.fields\.(\w+)\]/.exec(block)?.[1];
    if (!name) continue;
    if (!/^type = "single_line_text_field"$/m.test(block))
      throw new Error(`the stand-in reads single_line_text_field settings only (${name})`);
    fields.set(name, Number(/name = "min", value = "(\d+)"/.exec(block)?.[1] ?? 0));
  }
  return fields;
}

let definition: Map<string, number> | undefined;

type UserError = { code: string; field: string[]; message: string };

function settingsErrors(settings: unknown): UserError[] {
  let parsed: unknown = settings;
  if (typeof settings === "string") {
    try {
      parsed = JSON.parse(settings);
    } catch {
      return [
        {
          code: "INVALID_CONFIGURATION_JSON",
          field: ["settings"],
          message: "The provided settings is not a valid JSON.",
        },
      ];
    }
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    return [
      {
        code: "INVALID_CONFIGURATION_JSON",
        field: ["settings"],
        message: "The provided settings is not a valid JSON.",
      },
    ];
  definition ??= settingsDefinition();
  const given = parsed as Record<string, unknown>;
  const problems = [
    ...[...definition].flatMap(([name, min]) =>
      typeof given[name] !== "string"
        ? [`${name} is missing or not text`]
        : (given[name] as string).length < min
          ? [`${name} is shorter than ${min}`]
          : [],
    ),
    ...Object.keys(given)
      .filter((name) => !definition!.has(name))
      .map((name) => `${name} is not in the settings definition`),
  ];
  return problems.length
    ? [
        {
          code: "INVALID_SETTINGS",
          field: ["settings"],
          message: `The provided settings does not match the expected settings definition on the app: ${problems.join(", ")}`,
        },
      ]
    : [];
}

function requireScope(store: StoreModel, field: string, scope: string) {
  if (store.grantedScopes && !store.grantedScopes.includes(scope))
    throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
      extensions: { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes" },
    });
}

const asString = (settings: unknown) => (typeof settings === "string" ? settings : JSON.stringify(settings));
let nextId = 1;

export const WEB_PIXEL_MUTATIONS = {
  webPixelCreate(store: StoreModel, args: Record<string, unknown>) {
    requireScope(store, "webPixelCreate", "write_pixels");
    const settings = (args.webPixel as { settings: unknown }).settings;
    const errors = settingsErrors(settings);
    if (store.webPixel && !errors.length)
      errors.push({ code: "TAKEN", field: ["webPixel"], message: "Web pixel is taken." });
    if (errors.length) return { userErrors: errors, webPixel: null };
    store.webPixel = { id: `gid://shopify/WebPixel/${nextId++}`, settings: asString(settings) };
    return { userErrors: [], webPixel: store.webPixel };
  },
  webPixelUpdate(store: StoreModel, args: Record<string, unknown>) {
    requireScope(store, "webPixelUpdate", "write_pixels");
    if (!store.webPixel || store.webPixel.id !== args.id)
      return { userErrors: [{ code: "NOT_FOUND", field: ["id"], message: "Web pixel not found." }], webPixel: null };
    const settings = (args.webPixel as { settings: unknown }).settings;
    const errors = settingsErrors(settings);
    if (errors.length) return { userErrors: errors, webPixel: null };
    store.webPixel = { ...store.webPixel, settings: asString(settings) };
    return { userErrors: [], webPixel: store.webPixel };
  },
};

/** Query.webPixel: the app's pixel (by its id, or with no id the calling app's); null when it has none. */
export function webPixelOf(store: StoreModel, args: Record<string, unknown>) {
  requireScope(store, "webPixel", "read_customer_events");
  if (!store.webPixel || (args.id != null && args.id !== store.webPixel.id)) return null;
  return store.webPixel;
}
