/** What "Create these metrics in Klaviyo" came to, as Track Settings shows it. */
export type SampleMetricsResult =
  | { ok: true; email: string; sent: number; metrics: Array<{ metric: string; present: boolean }> }
  | { ok: false; message: string };
