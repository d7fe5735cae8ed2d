// Figure 7's live-claim probe, in a process of its own as a worker is: the engine's own
// claimReadyEvents on the run's schema (DATABASE_URL), round the shops `shop000000`..`SHOPS-1`,
// one claim of 25 every 200 ms, its lease given back at once. Each claim's time goes to stdout
// as one line. In the benchmark's own process the probe's times carried that process's
// event-loop delay (the Klaviyo double answering 300 requests a second), not the database's.
import { probeLiveClaims } from "./harness";

const SHOPS = Number(process.env.PROBE_SHOPS ?? 20);

async function main() {
  const claimModule = await import("../../../app/jobs/event-queue/claim.server");
  let stopping = false;
  process.once("SIGTERM", () => (stopping = true));
  await probeLiveClaims(claimModule, {
    owner: "bench-probe",
    shops: SHOPS,
    record: (ms) => process.stdout.write(`${ms}\n`),
    running: () => !stopping,
  });
  process.exit(0);
}

void main();
