/** The Postgres schema is the SQLite source with a different provider and client location. */
export function postgresSchemaFrom(sqliteSchema: string): string {
  const header = "// GENERATED from prisma/schema.prisma by `npm run db:generate`. Do not edit by hand.\n";
  const body = sqliteSchema
    .replace(/^\/\/ The one source[^\n]*\n\/\/[^\n]*\n/, "")
    .replace(
      'engineType      = "client"\n}',
      'engineType      = "client"\n  output          = "../../node_modules/.prisma/client-postgres"\n}',
    )
    .replace('provider = "sqlite"', 'provider = "postgresql"');
  return header + body;
}
