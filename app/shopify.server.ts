import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { prisma } from "./db.server";
import { env } from "./env.server";
import { log } from "./log.server";
import { SealedSessionStorage } from "./platform/sealed-sessions.server";
import { recordInstall } from "./shops/shops.server";

// Shopify's library logs every request at info: that goes to Waypost's logger as debug, so it
// follows LOG_LEVEL and the log format like everything else.
function writeShopifyLog(severity: LogSeverity, message: string) {
  if (severity === LogSeverity.Error) log.error(message, { source: "shopify" });
  else if (severity === LogSeverity.Warning) log.warn(message, { source: "shopify" });
  else log.debug(message, { source: "shopify" });
}

/** The Admin API version, the same as the GraphQL client's (ADMIN_API_VERSION; a test holds them equal). */
export const apiVersion = ApiVersion.July26;

function createShopifyApp() {
  return shopifyApp({
    apiKey: env.shopifyApiKey,
    apiSecretKey: env.shopifyApiSecret,
    apiVersion,
    scopes: env.scopes,
    appUrl: env.appUrl,
    authPathPrefix: "/auth",
    sessionStorage: new SealedSessionStorage(new PrismaSessionStorage(prisma)),
    logger: { level: env.logLevel === "debug" ? LogSeverity.Debug : LogSeverity.Warning, log: writeShopifyLog },
    distribution: AppDistribution.AppStore,
    future: {
      unstable_newEmbeddedAuthStrategy: true,
      expiringOfflineAccessTokens: true,
    },
    hooks: {
      afterAuth: async ({ session }) => {
        await recordInstall(session.shop, { accessToken: session.accessToken, grantedScopes: session.scope });
      },
    },
  });
}

type ShopifyApp = ReturnType<typeof createShopifyApp>;
let app: ShopifyApp | undefined;

/** Built on first use so importing this module never requires a configured environment. */
export function shopify(): ShopifyApp {
  app ??= createShopifyApp();
  return app;
}

export const authenticate = {
  admin: (request: Request) => shopify().authenticate.admin(request),
};
export const login = (request: Request) => shopify().login(request);
export const addDocumentResponseHeaders = (request: Request, headers: Headers) =>
  shopify().addDocumentResponseHeaders(request, headers);
