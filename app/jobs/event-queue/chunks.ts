// SQLite allows 999 parameters a statement; a bulk request's 1,000 events go in slices.
const CHUNK = 500;

export const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, index) =>
    items.slice(index * CHUNK, (index + 1) * CHUNK),
  );
