import { prisma } from "../../db.server";
import { startPollingWorker } from "../polling-worker.server";
import { readBackfillPages } from "./reader.server";
import { sendBackfillEvents } from "./sender.server";

/** Reads and sends this process's share of every running import, as soon as there is work. */
export function startBackfillWorker({ owner }: { owner: string }) {
  const worker = startPollingWorker(
    "backfill",
    async () => {
      const [reading, sending] = await Promise.all([readBackfillPages({ owner }), sendBackfillEvents({ owner })]);
      return { runAgainInMs: Math.min(reading.nextPassInMs, sending.nextPassInMs) };
    },
    1000,
  );
  return {
    async stop() {
      await worker.stop();
      // The next process resumes at the checkpoint at once rather than after the lease.
      await prisma.backfill.updateMany({
        where: { leaseOwner: owner },
        data: { leaseOwner: null, leaseExpiresAt: null },
      });
    },
  };
}
