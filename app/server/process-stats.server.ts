import { monitorEventLoopDelay } from "node:perf_hooks";

const WINDOW_MS = 10_000;
const toMb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const toMs = (nanoseconds: number) => Math.round((nanoseconds / 1e6) * 10) / 10;

let histogram: ReturnType<typeof monitorEventLoopDelay> | undefined;
let lastWindow = { p50: 0, p99: 0, max: 0 };

/**
 * This process's memory and event-loop delay over the last complete 10-second window: the two
 * numbers that say whether a Node server is keeping up. Started on first use.
 */
export function processStats() {
  if (!histogram) {
    histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    setInterval(() => {
      lastWindow = {
        p50: toMs(histogram!.percentile(50)),
        p99: toMs(histogram!.percentile(99)),
        max: toMs(histogram!.max),
      };
      histogram!.reset();
    }, WINDOW_MS).unref();
  }
  const memory = process.memoryUsage();
  return {
    rssMb: toMb(memory.rss),
    // What of the RSS is V8's heap, and how much of that is in use (the rest awaits collection).
    heapMb: { total: toMb(memory.heapTotal), used: toMb(memory.heapUsed) },
    eventLoopDelayMs: lastWindow,
  };
}
