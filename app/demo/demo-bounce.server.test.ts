import { describe, expect, it } from "vitest";
import { demoReloadTarget } from "./demo-bounce.server";

const bounce = (reload: string) =>
  demoReloadTarget(`http://localhost:3000/auth/session-token?shopify-reload=${encodeURIComponent(reload)}`);

describe("the demo's bounce page", () => {
  it("reloads the app's own pages", () => {
    expect(bounce("/app/activity?embedded=1")?.href).toBe("http://localhost:3000/app/activity?embedded=1");
    expect(bounce("http://localhost:3000/app")?.pathname).toBe("/app");
  });

  it("reloads nothing outside the app (security review F4)", () => {
    for (const reload of [
      "http://localhost:3000//evil.example/x",
      "//evil.example/app",
      "https://evil.example/app",
      "/demo",
      "/application",
      "/\\evil.example",
    ])
      expect(bounce(reload), reload).toBeUndefined();
  });
});
