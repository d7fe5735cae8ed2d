import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, seedShop, useKlaviyoDouble } from "../../e2e/support/integration";
import { prisma } from "../db.server";
import type { Contact } from "../tracking/normalize";
import { laneKey } from "./lanes";
import { claimDueProfiles, settleProfile } from "./profile-queue.server";
import { queueProfileSync, syncDueProfiles } from "./profile-sync.server";

// Profile updates are lanes of their own: claimed (no two workers send one), fair between the
// shops of an account, one account's backlog or pause never stops another's. Runs on SQLite and
// on PostgreSQL.
const double = useKlaviyoDouble();

beforeEach(resetDatabase);

const connectedShop = (domain: string, accountId: string) =>
  seedShop({ domain: `${domain}.myshopify.com`, name: domain, connected: accountId });

const customer = (email: string, firstName = "Ann"): Contact => ({
  email,
  phone: null,
  firstName,
  lastName: "Lee",
  company: null,
  country: "US",
});

async function queueCustomers(shopId: string, prefix: string, count: number) {
  for (let index = 0; index < count; index++)
    await queueProfileSync(shopId, customer(`${prefix}-${index}@example.com`));
}

const importsOf = (accountId: string) => double.state.profileImports.filter((sent) => sent.accountId === accountId);

describe("profile lanes", () => {
  it("sends each profile update once when two workers sync at the same time", async () => {
    const shops = await Promise.all([
      connectedShop("p-one", "KPROF1"),
      connectedShop("p-two", "KPROF1"),
      connectedShop("p-three", "KPROF2"),
    ]);
    for (const [index, shop] of shops.entries()) await queueCustomers(shop.id, `s${index}`, 20);

    for (let round = 0; round < 20; round++) {
      await Promise.all([syncDueProfiles({ owner: "worker-a" }), syncDueProfiles({ owner: "worker-b" })]);
      if ((await prisma.customerProfile.count({ where: { status: "queued" } })) === 0) break;
    }

    expect(await prisma.customerProfile.count({ where: { status: "synced" } })).toBe(60);
    const sent = double.state.profileImports.map((profile) => profile.profileId);
    expect(sent).toHaveLength(60);
    expect(new Set(sent).size).toBe(60);
    expect(await prisma.customerProfile.count({ where: { leaseOwner: { not: null } } })).toBe(0);
  });

  it("never lets two workers claim the same update", async () => {
    const shop = await connectedShop("p-claims", "KCLAIM");
    await queueCustomers(shop.id, "c", 30);
    const now = new Date();
    const lease = (owner: string) => ({ owner, until: new Date(now.getTime() + 5000) });
    const [a, b] = await Promise.all([
      claimDueProfiles(shop.id, 20, lease("a"), now),
      claimDueProfiles(shop.id, 20, lease("b"), now),
    ]);
    const ids = [...a, ...b].map((profile) => profile.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    // Nothing left to claim until a lease runs out.
    expect(await claimDueProfiles(shop.id, 20, lease("c"), now)).toEqual([]);
  });

  it("serves another account's updates while one account's lane is paused by a 429 or out of tokens", async () => {
    const noisy = await connectedShop("p-noisy", "KNOISY");
    const paused = await connectedShop("p-paused", "KPAUSEDP");
    const quiet = await connectedShop("p-quiet", "KQUIET");
    await queueCustomers(noisy.id, "n", 200);
    await queueCustomers(paused.id, "p", 2);
    await queueCustomers(quiet.id, "q", 3);
    await prisma.deliveryLane.create({
      data: {
        key: laneKey("KPAUSEDP", "profiles"),
        secondTokens: 10,
        minuteTokens: 60,
        refilledAt: new Date(),
        pausedUntil: new Date(Date.now() + 60_000),
      },
    });

    await syncDueProfiles();

    expect(importsOf("KQUIET")).toHaveLength(3);
    expect(importsOf("KPAUSEDP")).toHaveLength(0);
    // The noisy account spends its own lane's budget (a one-second burst), and no more.
    expect(importsOf("KNOISY").length).toBeGreaterThan(0);
    expect(importsOf("KNOISY").length).toBeLessThan(200);
    expect(await prisma.customerProfile.count({ where: { shopId: quiet.id, status: "synced" } })).toBe(3);
  });

  it("shares an account's lane between its shops: a small shop is served beside a large backlog", async () => {
    const big = await connectedShop("p-big", "KSHAREP");
    const small = await connectedShop("p-small", "KSHAREP");
    await queueCustomers(big.id, "big", 100);
    await queueCustomers(small.id, "small", 3);

    await syncDueProfiles();

    expect(await prisma.customerProfile.count({ where: { shopId: small.id, status: "synced" } })).toBe(3);
    expect(await prisma.customerProfile.count({ where: { shopId: big.id, status: "queued" } })).toBeGreaterThan(0);
  });

  it("sends a change queued while an older one is out once that one is answered, never the older one last", async () => {
    const shop = await connectedShop("p-change", "KCHANGE");
    await queueProfileSync(shop.id, customer("ann@example.com", "Ann"));
    const now = new Date();
    const [first] = await claimDueProfiles(shop.id, 1, { owner: "sender", until: new Date(now.getTime() + 5000) }, now);
    await queueProfileSync(shop.id, customer("ann@example.com", "Annie"));
    // The newer change waits while the older is out.
    expect(await claimDueProfiles(shop.id, 1, { owner: "other", until: new Date(now.getTime() + 5000) }, now)).toEqual(
      [],
    );

    // The older change's answer does not count for the newer one; its lease is given back.
    expect(await settleProfile(first, "sender", { to: "synced" })).toBe(false);
    await syncDueProfiles();
    expect(double.state.profileImports.map((sent) => sent.attributes.first_name)).toEqual(["Annie"]);
    expect(await prisma.customerProfile.findFirstOrThrow()).toMatchObject({ status: "synced", leaseOwner: null });
  });

  it("refuses a late owner's result once its lease ran out and another worker took the update over", async () => {
    const shop = await connectedShop("p-zombie", "KZOMBIEP");
    await queueProfileSync(shop.id, customer("zed@example.com"));
    const now = new Date();
    const [late] = await claimDueProfiles(shop.id, 1, { owner: "late", until: new Date(now.getTime() + 1000) }, now);
    const afterExpiry = new Date(now.getTime() + 1001);
    const [taken] = await claimDueProfiles(
      shop.id,
      1,
      { owner: "next", until: new Date(now.getTime() + 9000) },
      afterExpiry,
    );
    expect(taken.id).toBe(late.id);
    expect(await settleProfile(late, "late", { to: "failed", attempts: 1, lastError: "late" })).toBe(false);
    expect(await settleProfile(taken, "next", { to: "synced" })).toBe(true);
    expect(await prisma.customerProfile.findFirstOrThrow()).toMatchObject({ status: "synced", lastError: null });
  });

  it("puts off a disconnected shop's updates instead of asking for them on every pass", async () => {
    const shop = await seedShop({ domain: "p-gone.myshopify.com", name: "gone" });
    await queueProfileSync(shop.id, customer("gone@example.com"));
    const now = new Date();
    await syncDueProfiles({ now });
    const profile = await prisma.customerProfile.findFirstOrThrow();
    expect(profile.status).toBe("queued");
    expect(profile.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(now.getTime() + 60_000);
    expect(double.state.profileImports).toHaveLength(0);
  });
});
