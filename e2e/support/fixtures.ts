import { test as base, expect, type Page, type Response } from "@playwright/test";
import type { PrismaClient } from "@prisma/client";
import { createPrismaClient } from "../../app/db.server";
import { DEFAULT_ACCOUNTS } from "../../app/demo/doubles/klaviyo/server";
import { APP_DATABASE_URL, APP_PORT, DEMO_PORT } from "../playwright.config";
import { embeddedPageUrl, seedInstalledShop } from "./admin-session";
import { actAsEmbeddedAdmin } from "./embedded-admin";
import { TEST_SHOP } from "./test-config";

/** The app as it runs for a real store, with TEST_SHOP installed and its admin played by the test. */
export interface EmbeddedAdmin {
  app: string;
  shop: string;
  /** The URL Shopify's admin opens an embedded page at, with a fresh session token. */
  url(path: string): Promise<string>;
  open(path: string): Promise<Response | null>;
}

/** The fresh shop's own rows, for a test that sets up what the shop has before it opens a page. */
export interface FreshShop {
  id: string;
  /** The app's database, open for this test and closed after it. */
  db: PrismaClient;
  /** Links the shop to a Klaviyo account (its token is never opened by the pages), or one that refused it. */
  connectKlaviyo(options?: {
    status?: "connected" | "needs_reconnect";
    statusReason?: string;
    accountName?: string;
  }): Promise<void>;
}

/** The README's demo (no credentials), with its own Klaviyo double on the next port. */
export interface DemoAdmin {
  app: string;
  double: string;
  /** Opens an admin page of the demo store through the demo's sign-in shortcut. */
  open(path: string): Promise<Response | null>;
  /** Connects the demo store to the double's default account with its private key, unless it already is. */
  connectKlaviyo(): Promise<void>;
}

const APP = `http://localhost:${APP_PORT}`;
const DEMO = `http://localhost:${DEMO_PORT}`;

async function connectDemoKlaviyo(page: Page, open: DemoAdmin["open"]) {
  await open("/app/integrations");
  const card = page.getByRole("region", { name: "Klaviyo integration" });
  if (await card.getByText("Connected", { exact: true }).isVisible()) return;
  await page.getByLabel("Or connect with a private API key").fill(DEFAULT_ACCOUNTS[0].privateKeys[0]);
  await page.getByRole("button", { name: "Connect with API key" }).click();
  await expect(card.getByText("Connected", { exact: true })).toBeVisible();
}

export const test = base.extend<
  { embeddedAdmin: EmbeddedAdmin; freshAdmin: EmbeddedAdmin; freshShop: FreshShop; demoAdmin: DemoAdmin },
  { installedShop: string }
>({
  // Seeded once per worker in the app's own database, as Shopify's install would leave it.
  installedShop: [
    async ({}, use) => {
      const prisma = createPrismaClient(APP_DATABASE_URL);
      await seedInstalledShop(prisma, TEST_SHOP, "Test Shop");
      await prisma.$disconnect();
      await use(TEST_SHOP);
    },
    { scope: "worker" },
  ],
  embeddedAdmin: async ({ page, installedShop }, use) => {
    await actAsEmbeddedAdmin(page, installedShop);
    const url = async (path: string) => APP + (await embeddedPageUrl(path, installedShop));
    await use({ app: APP, shop: installedShop, url, open: async (path) => page.goto(await url(path)) });
  },
  // A shop installed a moment ago, for this test alone: nothing received, nothing connected, nothing sent.
  freshAdmin: async ({ page }, use, testInfo) => {
    const shop = `fresh-${testInfo.testId.slice(0, 8)}-${Date.now().toString(36)}.myshopify.com`;
    const prisma = createPrismaClient(APP_DATABASE_URL);
    await seedInstalledShop(prisma, shop, "Fresh Shop");
    await prisma.$disconnect();
    await actAsEmbeddedAdmin(page, shop);
    const url = async (path: string) => APP + (await embeddedPageUrl(path, shop));
    await use({ app: APP, shop, url, open: async (path) => page.goto(await url(path)) });
  },
  freshShop: async ({ freshAdmin }, use) => {
    const db = createPrismaClient(APP_DATABASE_URL);
    const { id } = await db.shop.findUniqueOrThrow({ where: { domain: freshAdmin.shop } });
    const connectKlaviyo: FreshShop["connectKlaviyo"] = async ({
      status = "connected",
      statusReason = status === "needs_reconnect" ? "Klaviyo answered 401." : undefined,
      accountName = "Test Klaviyo",
    } = {}) => {
      await db.klaviyoConnection.create({
        data: {
          shopId: id,
          method: "private_key",
          accountId: `K${id.slice(-8).toUpperCase()}`,
          accountName,
          sealedAccessToken: "sealed-but-never-opened-by-these-pages",
          status,
          statusReason,
        },
      });
    };
    await use({ id, db, connectKlaviyo });
    await db.$disconnect();
  },
  demoAdmin: async ({ page }, use) => {
    const open = (path: string) => page.goto(`${DEMO}/demo?next=${encodeURIComponent(path)}`);
    await use({
      app: DEMO,
      double: `http://127.0.0.1:${DEMO_PORT + 1}`,
      open,
      connectKlaviyo: () => connectDemoKlaviyo(page, open),
    });
  },
});

export { expect };

/** The widths Shopify's admin is used at: a desktop, and a phone. */
const ADMIN_VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
] as const;

/** Defines the admin tests once for each admin width, in a describe block of their own. */
export function atAdminWidths(defineTests: (width: number) => void) {
  for (const viewport of ADMIN_VIEWPORTS) {
    test.describe(`at ${viewport.width} px`, () => {
      test.use({ viewport });
      defineTests(viewport.width);
    });
  }
}
