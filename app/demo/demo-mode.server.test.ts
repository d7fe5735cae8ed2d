import { describe, expect, it } from "vitest";
import { assertDemoRequestAllowed } from "./demo-mode.server";

const PORT = 3000;
const demoRequest = (host: string | null = `localhost:${PORT}`, headers: Record<string, string> = {}) =>
  new Request(`http://localhost:${PORT}/demo/session-token`, { headers: { ...(host ? { host } : {}), ...headers } });

function statusOf(check: () => void): number | "allowed" {
  try {
    check();
    return "allowed";
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

const allowed = (request: Request, remoteAddress: string | undefined = "127.0.0.1") =>
  statusOf(() => assertDemoRequestAllowed(request, { remoteAddress }, { demo: true, port: PORT }));

describe("the demo sign-in shortcut", () => {
  it("answers requests from this machine, addressed to this machine, in demo mode", () => {
    for (const remoteAddress of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) {
      expect(allowed(demoRequest(), remoteAddress)).toBe("allowed");
    }
    for (const host of [`127.0.0.1:${PORT}`, `[::1]:${PORT}`, `LOCALHOST:${PORT}`]) {
      expect(allowed(demoRequest(host)), host).toBe("allowed");
    }
  });

  it("refuses any other machine, even in demo mode", () => {
    for (const remoteAddress of ["10.0.0.5", "192.168.1.20", "::ffff:10.0.0.5", ""]) {
      expect(allowed(demoRequest(), remoteAddress)).toBe(403);
    }
    expect(statusOf(() => assertDemoRequestAllowed(demoRequest(), undefined, { demo: true, port: PORT }))).toBe(403);
  });

  it("refuses a page that reached this machine under another name (DNS rebinding), or another port", () => {
    for (const host of ["attacker.example", `attacker.example:${PORT}`, "localhost", `localhost:${PORT + 1}`, null]) {
      expect(allowed(demoRequest(host)), String(host)).toBe(403);
    }
  });

  it("refuses what came through a proxy or tunnel on this machine", () => {
    for (const header of ["X-Forwarded-For", "Forwarded", "X-Forwarded-Host", "X-Real-IP"]) {
      expect(allowed(demoRequest(undefined, { [header]: "203.0.113.77" })), header).toBe(403);
    }
  });

  it("does not exist outside demo mode, not even for this machine", () => {
    expect(
      statusOf(() => assertDemoRequestAllowed(demoRequest(), { remoteAddress: "127.0.0.1" }, { demo: false })),
    ).toBe(404);
  });
});
