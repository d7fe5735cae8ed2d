import { afterEach, describe, expect, it, vi } from "vitest";
import { startPollingWorker, type PassResult } from "./polling-worker.server";
import { notifyWork } from "../work-signal.server";

afterEach(() => {
  vi.useRealTimers();
});

async function countPasses(results: (pass: number) => PassResult, forMs: number) {
  vi.useFakeTimers();
  let passes = 0;
  const worker = startPollingWorker("event", async () => results(++passes), 1000);
  await vi.advanceTimersByTimeAsync(forMs);
  await worker.stop();
  return passes;
}

describe("polling worker", () => {
  it("runs once at start and then once per poll when a pass asks for nothing (no busy loop)", async () => {
    expect(await countPasses(() => ({}), 3500)).toBe(4);
  });

  it("runs again at once while a pass says more is waiting, then falls back to polling", async () => {
    expect(await countPasses((pass) => (pass <= 10 ? { runAgainInMs: 0 } : {}), 2500)).toBe(11 + 2);
  });

  it("runs when work is signalled, without waiting for the poll", async () => {
    vi.useFakeTimers();
    let passes = 0;
    const worker = startPollingWorker(
      "receipt",
      async () => {
        passes++;
        return {};
      },
      60_000,
    );
    await vi.advanceTimersByTimeAsync(10);
    notifyWork("receipt");
    await vi.advanceTimersByTimeAsync(10);
    await worker.stop();
    expect(passes).toBe(2);
  });
});
