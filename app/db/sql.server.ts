import { postgresPool, prisma } from "../db.server";
import { databaseProvider } from "./adapter.server";
import { env } from "../env.server";

// Hot statements (the ready queue's claims and settles) are written in SQL, one statement each where the database
// allows (Prisma's updateMany is BEGIN, UPDATE, COMMIT); what differs between the two databases
// is here. Statements are built as text and values and sent with $queryRawUnsafe, never by
// pasting values in: Prisma.sql fragments cannot be shared, since the PostgreSQL client is a
// second generated client whose runtime does not know the SQLite client's fragments.

export const onPostgres = () => databaseProvider(env.databaseUrl) === "postgresql";

/** A piece of SQL with its values kept apart. */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

/** sql`… ${value} …`: values become parameters, nested Sql pieces are spliced in. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const parts = [strings[0]];
  const params: unknown[] = [];
  values.forEach((value, index) => {
    if (value instanceof Sql) {
      parts[parts.length - 1] += value.strings[0];
      value.values.forEach((inner, at) => {
        params.push(inner);
        parts.push(value.strings[at + 1]);
      });
      parts[parts.length - 1] += strings[index + 1];
    } else {
      params.push(value);
      parts.push(strings[index + 1]);
    }
  });
  return new Sql(parts, params);
}

/** SQL text as it is: only ever a constant of the code, never a value. */
export const raw = (text: string) => new Sql([text], []);

/** Pieces (or values) separated by `separator`. */
export const join = (items: readonly unknown[], separator = ", ") =>
  items.reduce<Sql>(
    (joined, item, index) => (index === 0 ? sql`${item}` : sql`${joined}${raw(separator)}${item}`),
    raw(""),
  );

/** A time as a parameter: PostgreSQL's columns are timestamp(3) holding UTC; SQLite stores the ISO text Prisma binds. */
export const at = (time: Date) =>
  onPostgres() ? sql`(${time.toISOString()}::timestamptz AT TIME ZONE 'UTC')` : sql`${time}`;

/**
 * PostgreSQL: a WITH entry that lets the statement's own transaction commit without waiting for
 * its WAL to reach disk (synchronous_commit off, as SET LOCAL does); the statement must read it
 * (`CROSS JOIN commit_without_flush`). Only for writes whose loss in a server crash is harmless: the
 * delivery engine's leases and settlements, whose loss sends an event again under the same
 * unique_id, which Klaviyo records once. Waiting for the flush, behind every other commit, was
 * most of a claim's time under load (bench:scale figure 7).
 */
export const commitWithoutFlush = raw(
  `commit_without_flush AS (SELECT set_config('synchronous_commit', 'off', true) AS "synchronousCommit")`,
);

/** A whole number as a parameter (a LIMIT, say): both databases take a cast. */
export const integer = (value: number) => sql`CAST(${Math.trunc(value)} AS INTEGER)`;

type RawClient = Pick<typeof prisma, "$queryRawUnsafe" | "$executeRawUnsafe">;

function render(statement: Sql) {
  const postgres = onPostgres();
  const text = statement.strings.reduce((whole, part, index) =>
    index === 0 ? part : `${whole}${postgres ? `$${index}` : "?"}${part}`,
  );
  return { text, values: statement.values };
}

/** Runs a statement and returns its rows. */
export function queryRows<T>(statement: Sql, client: RawClient = prisma): Promise<T[]> {
  const { text, values } = render(statement);
  return client.$queryRawUnsafe<T[]>(text, ...values);
}

/** Runs a statement and returns how many rows it changed. */
export function execute(statement: Sql, client: RawClient = prisma): Promise<number> {
  const { text, values } = render(statement);
  return client.$executeRawUnsafe(text, ...values);
}

/**
 * PostgreSQL: runs a statement on node-postgres directly, on the pool Prisma uses, past Prisma's
 * query engine, which added ~1 ms a statement at the median and 3–4 ms at p99 to the delivery
 * engine's claims under load (bench:scale figure 7). Only for the engine's hot statements, whose
 * columns come back the same either way (text and integers: node-postgres would read a
 * `timestamp` column in local time).
 */
export async function queryRowsByDriver<T>(statement: Sql): Promise<T[]> {
  const { text, values } = render(statement);
  return (await (await postgresPool()).query(text, values as unknown[])).rows as T[];
}

/** As queryRowsByDriver, returning how many rows the statement changed. */
export async function executeByDriver(statement: Sql): Promise<number> {
  const { text, values } = render(statement);
  return (await (await postgresPool()).query(text, values as unknown[])).rowCount ?? 0;
}
