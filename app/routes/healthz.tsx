import { json } from "@remix-run/node";
import { systemHealth } from "../server/health.server";

export async function loader() {
  const health = await systemHealth();
  return json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
