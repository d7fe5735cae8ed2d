/**
 * True for a unique-constraint violation. Checked by code rather than by class, because the
 * SQLite and Postgres clients are generated separately and each has its own error classes.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
