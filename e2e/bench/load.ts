import http from "node:http";

export interface Shot {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface LoadResult {
  requests: number;
  ok: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round = (value: number) => Math.round(value * 10) / 10;

function post(agent: http.Agent, port: number, shot: Shot): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path: shot.path,
        method: "POST",
        agent,
        headers: { ...shot.headers, "Content-Length": String(shot.body.length) },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    // A request that never finishes counts as a failure instead of stalling the run.
    request.setTimeout(10_000, () => request.destroy());
    request.on("error", () => resolve(0));
    request.end(shot.body);
  });
}

function summarize(latencies: number[], statuses: number[], seconds: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const ok = statuses.filter((status) => status >= 200 && status < 300).length;
  return {
    requests: statuses.length,
    ok,
    errors: statuses.length - ok,
    seconds: round(seconds),
    perSecond: Math.round(ok / seconds),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
  };
}

/**
 * Open loop at a fixed rate: each request is due at its slot, and its latency counts from that
 * slot, so a server that falls behind shows it (no coordinated omission).
 */
export async function fixedRate(
  port: number,
  rate: number,
  seconds: number,
  nextShot: () => Shot,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  const statuses: number[] = [];
  const start = performance.now();
  const total = Math.round(rate * seconds);
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const due = start + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const shot = nextShot();
    // Latency counts from the slot (a late send still owes its wait) or, when a timer fired a
    // hair early, from the send itself.
    const from = Math.min(due, performance.now());
    inFlight.push(
      post(agent, port, shot).then((status) => {
        latencies.push(performance.now() - from);
        statuses.push(status);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return summarize(latencies, statuses, (performance.now() - start) / 1000);
}

/** Closed loop: `concurrency` clients send back to back for `seconds`: the most it can take. */
export async function maxRate(
  port: number,
  concurrency: number,
  seconds: number,
  nextShot: () => Shot,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: number[] = [];
  const start = performance.now();
  const until = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const sentAt = performance.now();
        statuses.push(await post(agent, port, nextShot()));
        latencies.push(performance.now() - sentAt);
      }
    }),
  );
  agent.destroy();
  return summarize(latencies, statuses, (performance.now() - start) / 1000);
}
