import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { dialectTypes } from '../dialects.js';
import type { CatalogDialect } from '../dialects.js';

/**
 * API tokens of `medscale serve` (DESIGN.md §4 HTTP, Auth): one row per token, holding only the
 * SHA-256 of the token, never the token itself, so a copy of the catalog grants no access.
 *
 * @remarks
 * `token_hash` is unique and indexed because every HTTP request looks its token up by hash.
 * Revoked tokens keep their row (`revoked_at` set) so the audit trail's `token:<name>` actors
 * still name a known token.
 */
export async function up(db: Kysely<unknown>, dialect: CatalogDialect): Promise<void> {
  const t = dialectTypes(dialect);
  await db.schema
    .createTable('api_token')
    .addColumn('id', t.id, (col) =>
      dialect === 'postgres' ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey(),
    )
    .addColumn('name', t.text, (col) => col.notNull().unique())
    .addColumn('role', t.text, (col) =>
      col.notNull().check(sql.raw(`role in ('admin', 'ingest', 'researcher')`)),
    )
    .addColumn('token_hash', t.text, (col) => col.notNull().unique())
    .addColumn('created_at', t.timestamp, (col) => col.notNull().defaultTo(t.now))
    .addColumn('revoked_at', t.timestamp)
    .execute();
}

/** Drops the table of {@link up}. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('api_token').execute();
}
