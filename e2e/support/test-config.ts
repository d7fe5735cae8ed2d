// Throw-away credentials shared by the test runner and the app it starts. Never real ones.
export const TEST_API_KEY = "waypost-test-api-key";
export const TEST_API_SECRET = "waypost-test-api-secret-0123456789abcdef";
export const TEST_ENCRYPTION_KEY = "0".repeat(63) + "1";
export const TEST_APP_URL = "https://waypost.test";
export const TEST_SHOP = "test-shop.myshopify.com";
export const OTHER_SHOP = "other-shop.myshopify.com";
export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/**
 * Node's arguments for the app's process, as `npm run serve` starts it: TypeScript through tsx's
 * require hook, in the thread that runs it (its `--import` form runs a loader thread beside it,
 * 27 MB more).
 */
export const APP_PROCESS_ARGS = ["--require", "tsx/cjs", "app/server/main.ts"];

export const testAppEnv = {
  SHOPIFY_API_KEY: TEST_API_KEY,
  SHOPIFY_API_SECRET: TEST_API_SECRET,
  SHOPIFY_APP_URL: TEST_APP_URL,
  ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
  LOG_LEVEL: "silent",
};
