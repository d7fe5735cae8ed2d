import { describe, expect, it } from "vitest";
import { startupMessage } from "./startup-banner";

describe("the start-up message", () => {
  it("says loudly that demo mode is on, and why", () => {
    const message = startupMessage({ demo: true, host: "127.0.0.1", port: 3000, appUrl: "http://localhost:3000" });
    expect(message).toContain("WAYPOST IS RUNNING IN DEMO MODE");
    expect(message).toContain("No Shopify credentials are set");
    expect(message).toContain("http://localhost:3000/demo");
    expect(message.split("\n").length).toBeGreaterThanOrEqual(5);
  });

  it("names where a real deployment listens, and no demo", () => {
    const message = startupMessage({ demo: false, host: "0.0.0.0", port: 8080, appUrl: "https://waypost.example" });
    expect(message).toBe("Waypost is listening on 0.0.0.0:8080 (app URL https://waypost.example).");
  });
});
