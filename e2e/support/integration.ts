import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { prisma } from "../../app/db.server";
import { databaseProvider } from "../../app/db/adapter.server";
import { DEFAULT_ACCOUNTS, startKlaviyoDouble, type KlaviyoDouble } from "../../app/demo/doubles/klaviyo/server";
import { startShopifyAdminDouble, type ShopifyAdminDouble } from "../../app/demo/doubles/shopify-admin/server";
import { getEnv } from "../../app/env.server";
import { connectWithPrivateKey } from "../../app/klaviyo/connection.server";
import { openStoredToken } from "../../app/platform/sealed-sessions.server";
import { saveTrackSettings } from "../../app/settings/track-settings.server";
import { EVENT_CATALOG, type EventKey } from "../../app/tracking/event-catalog";
import { seedInstalledShop } from "./admin-session";
import { addDoubleAccount } from "./delivery-fixtures";
import { TEST_KLAVIYO_CLIENT } from "./klaviyo-double-env";
import { TEST_SHOP } from "./test-config";

// What integration tests share: a clean database, the Klaviyo double, and shops to work with.

/** Every table Prisma knows, from its own list of models: a model added later is wiped too. */
const TABLES = Prisma.dmmf.datamodel.models.map((model) => `"${model.dbName ?? model.name}"`);

/** Empties every table of the test file's database (its migrations stay applied). */
export async function resetDatabase() {
  if (databaseProvider(getEnv().databaseUrl) === "postgresql") {
    await prisma.$executeRawUnsafe(`TRUNCATE ${TABLES.join(", ")} CASCADE`);
    return;
  }
  // SQLite checks foreign keys at commit, when every table is already empty.
  await prisma.$transaction([
    prisma.$executeRawUnsafe("PRAGMA defer_foreign_keys = ON"),
    ...TABLES.map((table) => prisma.$executeRawUnsafe(`DELETE FROM ${table}`)),
  ]);
}

let running: KlaviyoDouble | undefined;

const current = () => {
  if (!running)
    throw new Error("the Klaviyo double is not running: call useKlaviyoDouble() at the top of the test file");
  return running;
};

/**
 * Starts a Klaviyo double for the test file, on a free port, and points the app's environment
 * at it; before each test its state, faults and extra accounts are reset unless told otherwise.
 */
export function useKlaviyoDouble({ resetBeforeEach = true }: { resetBeforeEach?: boolean } = {}): KlaviyoDouble {
  beforeAll(async () => {
    running = await startKlaviyoDouble({ clients: [TEST_KLAVIYO_CLIENT], accounts: [...DEFAULT_ACCOUNTS] });
    Object.assign(process.env, {
      KLAVIYO_API_URL: running.url,
      KLAVIYO_AUTHORIZE_URL: `${running.url}/oauth/authorize`,
      KLAVIYO_CLIENT_ID: TEST_KLAVIYO_CLIENT.clientId,
      KLAVIYO_CLIENT_SECRET: TEST_KLAVIYO_CLIENT.clientSecret,
    });
  });
  afterAll(async () => {
    await running?.close();
    running = undefined;
  });
  if (resetBeforeEach) {
    beforeEach(() => {
      current().state.reset();
      current().state.accounts.splice(DEFAULT_ACCOUNTS.length);
    });
  }
  return {
    get url() {
      return current().url;
    },
    get state() {
      return current().state;
    },
    close: () => current().close(),
  };
}

let adminDouble: ShopifyAdminDouble | undefined;

/**
 * Starts the Shopify Admin API stand-in for the test file and points the app at it; before each
 * test every token works again. `uninstallAtShopify` revokes a shop's token, as an uninstall does.
 */
export function useShopifyAdminDouble() {
  beforeAll(async () => {
    adminDouble = await startShopifyAdminDouble({ orders: [] });
    process.env.SHOPIFY_ADMIN_API_URL = adminDouble.url;
    (getEnv() as { shopifyAdminApiUrl?: string }).shopifyAdminApiUrl = adminDouble.url;
  });
  afterAll(async () => {
    await adminDouble?.close();
    adminDouble = undefined;
  });
  beforeEach(() => {
    adminDouble?.state.revokedTokens.clear();
    if (adminDouble) adminDouble.state.scopes = {};
  });
  const running = () => {
    if (!adminDouble) throw new Error("the Shopify Admin API stand-in is not running");
    return adminDouble;
  };
  return {
    get state() {
      return running().state;
    },
    async uninstallAtShopify(domain: string) {
      const session = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${domain}` } });
      running().state.revokedTokens.add(openStoredToken(session.id, session.accessToken));
    },
  };
}

export const ALL_EVENTS: EventKey[] = EVENT_CATALOG.map((event) => event.key);

export interface ShopSeed {
  domain?: string;
  name?: string;
  /**
   * Connected to Klaviyo with a private key: of the double's default account, or of the account
   * with this id (added at the double if new).
   */
  connected?: boolean | string;
  goLive?: boolean;
  /** The events turned on; all of them when Go Live is set and this is not. */
  events?: EventKey[];
}

/** An installed shop (an offline session, as Shopify's install leaves it), connected and live as asked. */
export async function seedShop({
  domain = TEST_SHOP,
  name = "Test Shop",
  connected = false,
  goLive,
  events,
}: ShopSeed = {}) {
  const shop = await seedInstalledShop(prisma, domain, name);
  if (connected) {
    const state = current().state;
    const account =
      connected === true
        ? state.accounts[0]
        : (state.accounts.find((existing) => existing.id === connected) ?? addDoubleAccount(state, connected));
    const result = await connectWithPrivateKey(shop.id, account.privateKeys[0]);
    if (!result.ok) throw new Error(`could not connect ${domain} to the double: ${result.message}`);
  }
  if (goLive !== undefined || events)
    await saveTrackSettings(shop.id, { goLive: goLive ?? false, enabledEvents: events ?? ALL_EVENTS });
  return shop;
}
