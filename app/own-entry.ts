/**
 * A lookup table's own entry for a key that came from outside (a query, a form, a webhook):
 * never what every object inherits, such as `__proto__`, `constructor` or `toString`.
 */
export function ownEntry<T extends object>(table: T, key: string | null | undefined): T[keyof T] | undefined {
  return typeof key === "string" && Object.hasOwn(table, key) ? table[key as keyof T] : undefined;
}
