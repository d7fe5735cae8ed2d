import type BetterSqlite3 from "better-sqlite3";
import { postgresPool, prisma, sqliteConnection } from "../db.server";
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
 * Runs a statement on the database driver directly, past Prisma's query engine: on PostgreSQL
 * on the pool Prisma uses (the engine added ~1 ms a statement at the median and 3–4 ms at p99 to
 * the delivery engine's claims under load, bench:scale figure 7); on SQLite on Prisma's one
 * connection, once no transaction is open on it, as a statement prepared once and committed
 * with the others of its turn (a webhook's INSERT took 1 ms through the engine, which prepares
 * each statement again every time and commits it alone). Only for hot statements whose columns
 * come back the same either way (text and integers: node-postgres would read a `timestamp`
 * column in local time, SQLite's driver gives its text).
 */
export async function queryRowsByDriver<T>(statement: Sql): Promise<T[]> {
  const { text, values } = render(statement);
  if (!onPostgres()) return onSqliteConnection(text, values, (prepared, args) => prepared.all(args) as T[]);
  return (await (await postgresPool()).query(text, values as unknown[])).rows as T[];
}

/** As queryRowsByDriver, returning how many rows the statement changed. */
export async function executeByDriver(statement: Sql): Promise<number> {
  const { text, values } = render(statement);
  if (!onPostgres()) return onSqliteConnection(text, values, (prepared, args) => prepared.run(args).changes);
  return (await (await postgresPool()).query(text, values as unknown[])).rowCount ?? 0;
}

// Statement texts are the code's own (values are parameters), so each connection's map stays small.
const preparedStatements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

interface WaitingStatement {
  text: string;
  args: unknown[];
  run(prepared: BetterSqlite3.Statement, args: unknown[]): unknown;
  done(result: { value: unknown } | { error: unknown }): void;
}
let waiting: WaitingStatement[] = [];

/**
 * SQLite: the statements issued in one turn of the event loop (webhooks arriving together) are
 * committed together, in one transaction: each commit writes every page it changed to the WAL,
 * and a receipt changes a page of each of its table's seven indexes, so a commit per webhook
 * was most of a webhook's time. Each caller learns only of its own statement, once it is
 * committed; one that fails (a constraint) is undone alone, as SQLite undoes a failed statement.
 */
function onSqliteConnection<T>(
  text: string,
  values: readonly unknown[],
  run: (prepared: BetterSqlite3.Statement, args: unknown[]) => T,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = (result: { value: unknown } | { error: unknown }) =>
      "error" in result ? reject(result.error) : resolve(result.value as T);
    waiting.push({ text, args: values.map(sqliteValue), run, done });
    if (waiting.length === 1) setImmediate(() => void commitWaiting());
  });
}

async function commitWaiting() {
  const statements = waiting;
  waiting = [];
  let results: Array<{ value: unknown } | { error: unknown }>;
  try {
    const connection = await sqliteConnection();
    results = await connection.outsideTransactions((database) =>
      database.transaction(() =>
        statements.map(({ text, args, run }) => {
          try {
            return { value: run(preparedOn(database, text), args) };
          } catch (error) {
            // An error that ended the whole transaction (a full disk) fails them all, below.
            if (!database.inTransaction) throw error;
            return { error };
          }
        }),
      )(),
    );
  } catch (error) {
    results = statements.map(() => ({ error }));
  }
  statements.forEach((statement, index) => statement.done(results[index]));
}

function preparedOn(database: BetterSqlite3.Database, text: string): BetterSqlite3.Statement {
  let statements = preparedStatements.get(database);
  if (!statements) preparedStatements.set(database, (statements = new Map()));
  let prepared = statements.get(text);
  if (!prepared) {
    // Whole numbers as numbers, as Prisma gives them (the connection's default is BigInt).
    prepared = database.prepare(text).safeIntegers(false);
    statements.set(text, prepared);
  }
  return prepared;
}

/** A value as Prisma's SQLite adapter binds it: times as ISO text, booleans as 0 and 1. */
function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}
