import { describe, expect, it } from "vitest";
import { assertDemoRequestAllowed } from "./demo-mode.server";

function statusOf(check: () => void): number | "allowed" {
  try {
    check();
    return "allowed";
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

describe("the demo sign-in shortcut", () => {
  it("answers requests from this machine in demo mode", () => {
    for (const remoteAddress of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) {
      expect(statusOf(() => assertDemoRequestAllowed({ remoteAddress }, true))).toBe("allowed");
    }
  });

  it("refuses any other machine, even in demo mode", () => {
    for (const remoteAddress of ["10.0.0.5", "192.168.1.20", "::ffff:10.0.0.5", undefined]) {
      expect(statusOf(() => assertDemoRequestAllowed({ remoteAddress }, true))).toBe(403);
    }
    expect(statusOf(() => assertDemoRequestAllowed(undefined, true))).toBe(403);
  });

  it("does not exist outside demo mode, not even for this machine", () => {
    expect(statusOf(() => assertDemoRequestAllowed({ remoteAddress: "127.0.0.1" }, false))).toBe(404);
  });
});
