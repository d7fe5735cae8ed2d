import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Browser tests drive Debian's Chromium (Playwright's own browser download cannot work offline).
 * Installs it when it is missing and we may (root with apt-get); otherwise says what to do.
 */
export function ensureChromium(path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"): string {
  if (existsSync(path)) return path;
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canInstall) {
    throw new Error(
      `Chromium not found at ${path}. Install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  console.log("Chromium is missing; installing Debian's chromium package…");
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (!existsSync(path)) throw new Error(`Installed chromium, but ${path} is still missing. Set CHROMIUM_PATH.`);
  return path;
}
