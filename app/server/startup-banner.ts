interface ListeningOn {
  demo: boolean;
  host: string;
  port: number;
  appUrl: string;
}

/**
 * What the process says once it listens. Demo mode starts whenever no Shopify credentials are
 * set (a deploy whose secrets did not load, too), so it says so loudly, on every start.
 */
export function startupMessage({ demo, host, port, appUrl }: ListeningOn): string {
  if (!demo) return `Waypost is listening on ${host}:${port} (app URL ${appUrl}).`;
  const rule = "=".repeat(78);
  return [
    rule,
    "  WAYPOST IS RUNNING IN DEMO MODE",
    "  No Shopify credentials are set (SHOPIFY_API_KEY, SHOPIFY_API_SECRET), so this is the demo:",
    "  a sample store, local stand-ins for Klaviyo and Shopify, and a sign-in shortcut that only",
    "  answers this machine. It serves no real store. To run for a store, set the credentials.",
    `  Open http://localhost:${port}/demo to see the demo store's admin.`,
    rule,
  ].join("\n");
}
