import Database from "better-sqlite3";
import pg from "pg";
import { postgresConnection, sqliteFilePath } from "../../app/db/adapter.server";

export interface Catalog {
  columns: string[];
  indexes: string[];
}

/** Tables, columns (type, nullability, default) and indexes of a database, as sorted lines. */
export async function readCatalog(databaseUrl: string): Promise<Catalog> {
  return databaseUrl.startsWith("file:")
    ? readSqliteCatalog(sqliteFilePath(databaseUrl))
    : readPostgresCatalog(databaseUrl);
}

function readSqliteCatalog(file: string): Catalog {
  const database = new Database(file, { readonly: true });
  const tables = database
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%'",
    )
    .all() as Array<{ name: string }>;
  const columns: string[] = [];
  const indexes: string[] = [];
  for (const { name } of tables) {
    for (const column of database.prepare(`PRAGMA table_info("${name}")`).all() as Array<Record<string, unknown>>) {
      columns.push(
        `${name}.${column.name} ${column.type} ${column.notnull ? "not null" : "null"} default=${column.dflt_value} pk=${column.pk}`,
      );
    }
    for (const index of database.prepare(`PRAGMA index_list("${name}")`).all() as Array<Record<string, unknown>>) {
      const indexColumns = (
        database.prepare(`PRAGMA index_info("${index.name}")`).all() as Array<{ name: string }>
      ).map((c) => c.name);
      indexes.push(`${name} ${index.unique ? "unique" : "index"} (${indexColumns.join(", ")})`);
    }
  }
  database.close();
  return { columns: columns.sort(), indexes: indexes.sort() };
}

async function readPostgresCatalog(databaseUrl: string): Promise<Catalog> {
  const { connectionString, schema = "public" } = postgresConnection(databaseUrl);
  const client = new pg.Client({ connectionString });
  await client.connect();
  const columnRows = await client.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
     WHERE table_schema = $1 AND table_name NOT LIKE '_prisma%'`,
    [schema],
  );
  const indexRows = await client.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename NOT LIKE '_prisma%'`,
    [schema],
  );
  await client.end();
  return {
    columns: columnRows.rows
      .map(
        (row) =>
          `${row.table_name}.${row.column_name} ${row.data_type} ${row.is_nullable === "NO" ? "not null" : "null"} default=${row.column_default}`,
      )
      .sort(),
    indexes: indexRows.rows
      .map((row) => row.indexdef.replaceAll(`"${schema}".`, "").replaceAll(`${schema}.`, ""))
      .sort(),
  };
}

/** Just table and column names: what must agree between the two providers. */
export function columnNames(catalog: Catalog): string[] {
  return catalog.columns.map((line) => line.split(" ")[0]).sort();
}
