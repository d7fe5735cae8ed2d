// `npm run bench:activity`: Activity and the engine's live claim with storefront traffic at 10×
// `npm run bench`'s order history (issue #20): a shop with 10,000,000 events, nine in ten from the
// storefront pixel, beside one with 1,000,000 order events and one with 1,000, in one SQLite
// database under the production build. `--short` divides every volume by ten. Prints its
// figures and writes e2e/output/bench-activity/results.json. A benchmark, not a test.
//
// Its own run, not a section of `npm run bench`: a history this size (16 GB) outgrows this
// machine's page cache, and every write measured after it waited on the disk.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { APP_PROCESS_ARGS, BROWSER_USER_AGENT, testAppEnv } from "../support/test-config";
import { seedActivityHistory, timeActivityPages, timeLiveClaims } from "./activity-at-scale";

const OUT = "e2e/output/bench-activity";
const DATABASE_URL = `file:${OUT}/waypost.sqlite`;
const APP_PORT = Number(process.env.BENCH_PORT_BASE ?? 3300) + 40;
const SHORT = process.argv.includes("--short");
const HISTORY = SHORT ? 100_000 : 1_000_000;
const STOREFRONT_HISTORY = HISTORY * 10;
const STOREFRONT_SHARE = 0.9;
// Ready events beside each history when the engine's live claim is timed.
const READY_FOR_CLAIMS = 10_000;
const SHOPS = {
  fewEvents: "bench-few.myshopify.com",
  history: "bench-history.myshopify.com",
  storefrontHistory: "bench-storefront-history.myshopify.com",
};

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  // Nothing here reaches Klaviyo or Shopify: closed local ports.
  const appEnv = {
    ...testAppEnv,
    DATABASE_URL,
    KLAVIYO_API_URL: "http://127.0.0.1:9",
    SHOPIFY_ADMIN_API_URL: "http://127.0.0.1:9",
    LOG_LEVEL: "error",
  };
  Object.assign(process.env, appEnv);
  const { applyMigrations } = await import("../../app/db/migrate.server");
  const { prisma } = await import("../../app/db.server");
  const { seedInstalledShop } = await import("../support/admin-session");
  await applyMigrations(DATABASE_URL);
  const ids = {} as Record<keyof typeof SHOPS, string>;
  for (const [key, domain] of Object.entries(SHOPS) as Array<[keyof typeof SHOPS, string]>)
    ids[key] = (await seedInstalledShop(prisma, domain, key)).id;

  const file = `${OUT}/waypost.sqlite`;
  console.log(
    `▶ seeding 1,000 + ${HISTORY.toLocaleString("en-US")} + ${STOREFRONT_HISTORY.toLocaleString("en-US")} events`,
  );
  await seedActivityHistory(file, ids.fewEvents, 1000);
  await seedActivityHistory(file, ids.history, HISTORY);
  const seedStarted = Date.now();
  await seedActivityHistory(file, ids.storefrontHistory, STOREFRONT_HISTORY, { storefrontShare: STOREFRONT_SHARE });
  const seededInSeconds = Math.round((Date.now() - seedStarted) / 1000);

  const app = spawn(process.execPath, APP_PROCESS_ARGS, {
    env: {
      ...process.env,
      ...appEnv,
      PORT: String(APP_PORT),
      SHOPIFY_APP_URL: `http://localhost:${APP_PORT}`,
      NODE_ENV: "production",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    const baseUrl = `http://127.0.0.1:${APP_PORT}`;
    for (
      let tries = 0;
      !(await fetch(`${baseUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      ));
      tries++
    ) {
      if (tries > 300) throw new Error("the app did not come up");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    console.log("▶ Activity");
    const history = await timeActivityPages(
      baseUrl,
      file,
      { large: SHOPS.history, small: SHOPS.fewEvents },
      BROWSER_USER_AGENT,
    );
    const storefront = await timeActivityPages(
      baseUrl,
      file,
      { large: SHOPS.storefrontHistory, small: SHOPS.fewEvents },
      BROWSER_USER_AGENT,
    );
    console.log("▶ live claims");
    const claims = {
      fewEvents: await timeLiveClaims(ids.fewEvents, READY_FOR_CLAIMS),
      history: await timeLiveClaims(ids.history, READY_FOR_CLAIMS),
      storefrontHistory: await timeLiveClaims(ids.storefrontHistory, READY_FOR_CLAIMS),
    };
    const results = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`,
      short: SHORT,
      storefrontShare: STOREFRONT_SHARE,
      seededInSeconds,
      history,
      storefront,
      claims,
    };
    writeFileSync(`${OUT}/results.json`, `${JSON.stringify(results, null, 2)}\n`);
    const events = (n: number) => n.toLocaleString("en-US");
    const pages = (label: string, run: typeof history) =>
      `${label} (${events(run.large.events)} events): first page ${run.large.firstPageMs} ms vs ${run.small.firstPageMs} ms with ${events(run.small.events)} (${run.firstPageRatio}×); a rare event ${run.large.rareEventMs} ms, Viewed Product ${run.large.storefrontEventMs} ms, search by email ${run.large.searchMs} ms, dead letters ${run.large.deadLetteredMs} ms; the rare event's query alone ${run.rareEventQueryMs.withEventIndex} ms on the event index vs ${run.rareEventQueryMs.historyIndexOnly} ms off the history index.`;
    console.log(
      [
        `Activity and claims — ${results.date.slice(0, 10)} — ${results.machine}${SHORT ? " (short run)" : ""}`,
        pages("Order history", history),
        pages(
          `Storefront activity at 10×, ${STOREFRONT_SHARE * 100} % storefront, seeded in ${seededInSeconds} s`,
          storefront,
        ),
        `Live claim of 25 beside ${events(READY_FOR_CLAIMS)} ready, median / worst: ${claims.storefrontHistory.medianMs} / ${claims.storefrontHistory.worstMs} ms at ${events(storefront.large.events)} events, ${claims.history.medianMs} / ${claims.history.worstMs} ms at ${events(history.large.events)}, ${claims.fewEvents.medianMs} / ${claims.fewEvents.worstMs} ms at ${events(history.small.events)}.`,
        `Plans: first page ${storefront.firstPagePlan}; event filter ${storefront.eventPlan}.`,
        `written to ${OUT}/results.json`,
      ].join("\n"),
    );
  } finally {
    app.kill("SIGTERM");
    await prisma.$disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
