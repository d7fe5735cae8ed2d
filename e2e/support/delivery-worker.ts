import { prepareProcess, startBackgroundWork } from "../../app/server/background.server";

// A worker-only Waypost process for multi-process tests: the same background work `npm run
// worker` starts, loaded straight from source (the production build is made after the unit
// and integration tests). SIGTERM shuts it down the way app/server/main.ts does.
async function main() {
  prepareProcess();
  const background = await startBackgroundWork();
  process.on("SIGTERM", () => {
    background.stop().then(
      () => process.exit(0),
      (error) => {
        console.error("worker shutdown failed", error);
        process.exit(1);
      },
    );
  });
  console.log("worker ready");
}

main().catch((error) => {
  console.error("worker failed to start", error);
  process.exit(1);
});
