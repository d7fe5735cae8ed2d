/**
 * What a call to Klaviyo came to. The client never retries or throws for HTTP failures: it
 * says what happened, and the caller (the job engine, a route) decides what to do.
 */
type Measured = { latencyMs?: number; requestId?: string };

export type KlaviyoOutcome<T> =
  | ({ ok: true; status: number; data: T } & Measured)
  | ({ ok: false; kind: "rate_limited"; status: 429; retryAfterMs: number; detail: string } & Measured)
  | ({ ok: false; kind: "unauthorized" | "forbidden"; status: 401 | 403; detail: string } & Measured)
  | ({ ok: false; kind: "invalid"; status: number; detail: string } & Measured)
  | ({ ok: false; kind: "server_error"; status: number; detail: string } & Measured)
  | ({ ok: false; kind: "network"; status: 0; detail: string } & Measured);

/** Retry-After as seconds or as an HTTP date; a missing or unreadable one means one second. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - now);
}

/** The id Klaviyo gives a failed request (its first error's id), for support conversations. */
export function errorId(body: unknown): string | undefined {
  const id = (body as { errors?: Array<{ id?: unknown }> })?.errors?.[0]?.id;
  return typeof id === "string" ? id : undefined;
}

/** Klaviyo's JSON:API error body as one readable line. */
export function errorDetail(body: unknown, fallback: string): string {
  const errors = (body as { errors?: Array<{ title?: string; detail?: string; source?: { pointer?: string } }> })
    ?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return fallback;
  return errors
    .map((error) =>
      [error.detail ?? error.title, error.source?.pointer && `(at ${error.source.pointer})`].filter(Boolean).join(" "),
    )
    .join("; ");
}
