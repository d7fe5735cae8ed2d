import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";

export type DatabaseProvider = "sqlite" | "postgresql";

export function databaseProvider(databaseUrl: string): DatabaseProvider {
  return databaseUrl.startsWith("file:") ? "sqlite" : "postgresql";
}

/**
 * What every Waypost session on PostgreSQL is started with: its schema, and a fence. A process
 * stopped mid-transaction (SIGSTOP, a frozen VM) would keep its row locks for as long as it stays
 * stopped, and every process taking over its lanes would wait on them: the server ends any of
 * our transactions left idle 10 s, well within a lane's hold (lane-owner.server.ts).
 */
export function postgresSessionOptions(schema: string | undefined) {
  return [...(schema ? [`-c search_path="${schema}"`] : []), "-c idle_in_transaction_session_timeout=10000"].join(" ");
}

/** The driver adapter for a DATABASE_URL; Prisma's runtime and its CLI both go through this. */
export function createDatabaseAdapter(databaseUrl: string) {
  if (databaseProvider(databaseUrl) === "postgresql") {
    const { connectionString, schema } = postgresConnection(databaseUrl);
    return new PostgresKeepingItsPool(
      {
        connectionString,
        max: 10,
        application_name: "waypost",
        options: postgresSessionOptions(schema),
      },
      schema ? { schema } : undefined,
    );
  }
  const file = sqliteFilePath(databaseUrl);
  keepSqliteFilesPrivate(file);
  return new SqliteKeepingItsConnection({ url: `file:${file}`, timeout: 5000 });
}

/**
 * node-postgres through Prisma, keeping the pool Prisma connected with, so the delivery engine's
 * hot statements can go to it directly (see queryRowsByDriver in sql.server.ts). A reconnect
 * after $disconnect makes a new pool, which is kept instead.
 */
export class PostgresKeepingItsPool extends PrismaPg {
  pool: pg.Pool | undefined;

  override async connect() {
    const adapter = await super.connect();
    this.pool = adapter.underlyingDriver() as pg.Pool;
    return adapter;
  }
}

type SqliteAdapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type SqliteTransaction = Awaited<ReturnType<SqliteAdapter["startTransaction"]>>;
type SqlQuery = Parameters<SqliteAdapter["queryRaw"]>[0];

/**
 * better-sqlite3 through Prisma, on its one connection, with deleted rows overwritten on disk
 * rather than left in freed pages. The connection is kept so the hottest statements can go to
 * it directly (see queryRowsByDriver in sql.server.ts).
 *
 * On one connection, an interactive transaction stays open across awaits, and Prisma's adapter
 * runs any other statement issued meanwhile inside it: a webhook stored then, and answered 200,
 * was rolled back with it when the transaction failed (recording an event that another receipt
 * recorded first does). So every statement outside a transaction waits until none is open; one
 * issued on `prisma` inside a transaction's own callback (instead of on `tx`) waits out the
 * transaction's timeout (5 s), which then fails with Prisma's "expired transaction" error.
 */
export class SqliteKeepingItsConnection extends PrismaBetterSQLite3 {
  database: BetterSqlite3.Database | undefined;
  #transactionOver: Promise<void> | undefined;

  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript("PRAGMA secure_delete = ON;");
    this.database = (adapter as unknown as { client: BetterSqlite3.Database }).client;
    this.#waitOutTransactions(adapter);
    return adapter;
  }

  /**
   * Runs `work` on the connection once no transaction is open on it, in the same turn as the
   * check, so no transaction can begin in between.
   */
  async outsideTransactions<T>(work: (database: BetterSqlite3.Database) => T): Promise<Awaited<T>> {
    while (this.database?.inTransaction) {
      await (this.#transactionOver ?? nextTurn());
    }
    if (!this.database) throw new Error("the SQLite connection is closed");
    return await work(this.database);
  }

  #waitOutTransactions(adapter: SqliteAdapter) {
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      await nextTurn();
      const transaction = await startTransaction(isolationLevel);
      let over!: () => void;
      this.#transactionOver = new Promise((resolve) => (over = resolve));
      const end = (finish: SqliteTransaction["commit"]) => async () => {
        try {
          await finish();
        } finally {
          this.#transactionOver = undefined;
          over();
        }
      };
      return Object.assign(transaction, {
        commit: end(transaction.commit.bind(transaction)),
        rollback: end(transaction.rollback.bind(transaction)),
      });
    };
    // Before each of Prisma's statements outside a transaction, and before a transaction begins
    // (above), the event loop takes what I/O is waiting: better-sqlite3 answers at once, so
    // Prisma's statements settle as microtasks and a receipt's 26 (30 ms of work) ran without
    // letting one webhook in. Inside a transaction there is no point: a webhook's INSERT waits for it.
    const afterATurnOutsideTransactions =
      <T>(statement: (query: SqlQuery) => Promise<T>) =>
      async (query: SqlQuery) => {
        await nextTurn();
        return this.outsideTransactions(() => statement(query));
      };
    adapter.queryRaw = afterATurnOutsideTransactions(adapter.queryRaw.bind(adapter));
    adapter.executeRaw = afterATurnOutsideTransactions(adapter.executeRaw.bind(adapter));
  }
}

/**
 * The database holds customers' data and the shops' tokens: a folder Waypost creates is its
 * owner's alone (0700), and the database files are too (0600). SQLite gives its -wal and -shm
 * files the database file's mode, so creating that file first, private, covers them all.
 */
export function keepSqliteFilesPrivate(file: string) {
  if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, "a", 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600);
}

export function sqliteFilePath(databaseUrl: string): string {
  return resolve(databaseUrl.slice("file:".length).replace(/\?.*$/, ""));
}

/** Splits Prisma's `?schema=` parameter off a Postgres URL; node-postgres does not know it. */
export function postgresConnection(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? undefined;
  if (schema && !/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new Error("DATABASE_URL schema must be a plain identifier");
  url.searchParams.delete("schema");
  return { connectionString: url.toString(), schema };
}
