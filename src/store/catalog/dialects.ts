import { sql } from 'kysely';
import type { CreateTableBuilder, Expression, Kysely, RawBuilder } from 'kysely';
import pg from 'pg';
import type { CatalogDatabase } from './catalog-database.js';

/** The database engines the catalog runs on. */
export const CATALOG_DIALECTS = ['sqlite', 'postgres'] as const;

/** One of {@link CATALOG_DIALECTS}. */
export type CatalogDialect = (typeof CATALOG_DIALECTS)[number];

/**
 * What query functions need of a catalog: the Kysely instance and which dialect it speaks.
 * {@link Catalog} is one.
 *
 * @remarks
 * Read functions also accept `{ db: trx, dialect }` to read inside a caller's transaction. Write
 * functions (`recordInstances`, `recordQuarantine`) open their own transaction and need the
 * catalog itself; the `ensure*` functions take a Kysely instance or transaction directly.
 */
export interface CatalogHandle {
  readonly db: Kysely<CatalogDatabase>;
  readonly dialect: CatalogDialect;
}

/** A column type as Kysely's `addColumn` takes it (Kysely does not export the name). */
export type DataTypeExpression = Parameters<CreateTableBuilder<string>['addColumn']>[1];

/** Column types per dialect, used by migrations. */
export interface DialectTypes {
  /** Surrogate primary key type. */
  readonly id: DataTypeExpression;
  /** A reference to a surrogate key. */
  readonly ref: DataTypeExpression;
  /** Text, compared byte-wise (C collation) so ordering is the same on both dialects. */
  readonly text: DataTypeExpression;
  readonly integer: DataTypeExpression;
  /** A 64-bit float. */
  readonly real: DataTypeExpression;
  /** JSON text in SQLite; `jsonb` in PostgreSQL. */
  readonly json: DataTypeExpression;
  /** ISO 8601 text in SQLite; `timestamptz` in PostgreSQL. */
  readonly timestamp: DataTypeExpression;
  /** The current time in the column's form, as a column default. */
  readonly now: RawBuilder<unknown>;
}

/** The column types of a dialect. */
export function dialectTypes(dialect: CatalogDialect): DialectTypes {
  switch (dialect) {
    case 'sqlite':
      return {
        id: 'integer',
        ref: 'integer',
        text: 'text',
        integer: 'integer',
        real: 'real',
        json: 'text',
        timestamp: 'text',
        // The same ISO form JavaScript's toISOString() writes, so defaults and inserts sort alike.
        now: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
      };
    case 'postgres':
      return {
        id: 'bigint',
        ref: 'bigint',
        // SQLite compares text byte-wise; a locale collation (en_US) would order UIDs and
        // pseudonyms differently, and the same query must page the same way on both dialects.
        text: sql`text collate "C"`,
        integer: 'integer',
        real: 'double precision',
        json: 'jsonb',
        timestamp: 'timestamptz',
        now: sql`now()`,
      };
  }
}

type PgTypeId = Parameters<typeof pg.types.getTypeParser>[0];

/**
 * PostgreSQL type parsers that make rows look as they do in SQLite: `bigint` as a number (ids
 * and counts stay far below 2^53), `timestamptz` as an ISO 8601 string, JSON as its text.
 */
const PG_TYPE_PARSERS = new Map<PgTypeId, (value: string) => unknown>([
  [pg.types.builtins.INT8, Number],
  [pg.types.builtins.TIMESTAMPTZ, isoFromPg(pg.types.builtins.TIMESTAMPTZ)],
  [pg.types.builtins.JSON, String],
  [pg.types.builtins.JSONB, String],
]);

function isoFromPg(oid: PgTypeId): (value: string) => string {
  const toDate = pg.types.getTypeParser(oid, 'text') as (value: string) => Date;
  return (value) => toDate(value).toISOString();
}

/** The `types` option of the catalog's pg pool; other pg users in the process keep theirs. */
export const PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: PgTypeId, format?: 'text' | 'binary') =>
    PG_TYPE_PARSERS.get(oid) ??
    (pg.types.getTypeParser(oid, format) as (
      value: string,
    ) => unknown)) as pg.CustomTypesConfig['getTypeParser'],
};

/** SQLSTATEs after which the same transaction may succeed when run again. */
const PG_RETRYABLE: ReadonlySet<string> = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/** SQLSTATE classes and errno codes of a lost or refused connection. */
const PG_CONNECTION_CLASSES = ['08', '57P'];
const NET_ERRORS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);

function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether running the same transaction again may succeed (deadlock, busy database). */
export function isRetryableConflict(dialect: CatalogDialect, error: unknown): boolean {
  const code = errorCodeOf(error);
  if (code === undefined) return false;
  return dialect === 'postgres' ? PG_RETRYABLE.has(code) : code.startsWith('SQLITE_BUSY');
}

/** Whether an error is transient: a conflict, a busy database or a lost connection. */
export function isTransientCatalogError(dialect: CatalogDialect, error: unknown): boolean {
  if (isRetryableConflict(dialect, error)) return true;
  const code = errorCodeOf(error);
  if (code === undefined) return false;
  if (NET_ERRORS.has(code)) return true;
  return dialect === 'postgres' && PG_CONNECTION_CLASSES.some((prefix) => code.startsWith(prefix));
}

/** Options of {@link writeTransaction}. */
export interface WriteTransactionOptions {
  /**
   * Attempts on PostgreSQL deadlocks and serialization failures before giving up.
   * @defaultValue 5
   */
  readonly attempts?: number;
}

/**
 * Runs `work` in one write transaction and commits it; rolls back and rethrows on error.
 *
 * @remarks
 * SQLite: `BEGIN IMMEDIATE` takes the write lock up front. A plain `BEGIN` that reads first and
 * writes later fails at once with `SQLITE_BUSY` (no busy wait) when another connection wrote in
 * between; taking the lock first makes the busy timeout apply instead.
 *
 * PostgreSQL: read committed, run again (with jitter) when the server picks it as a deadlock
 * victim or reports a serialization failure, since `work` holds no state outside the database.
 */
export async function writeTransaction<T>(
  catalog: CatalogHandle,
  work: (trx: Kysely<CatalogDatabase>) => Promise<T>,
  options: WriteTransactionOptions = {},
): Promise<T> {
  if (catalog.dialect === 'sqlite') {
    return catalog.db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await work(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        await sql`rollback`.execute(connection).catch(ignoreRollbackError);
        throw error;
      }
    });
  }
  const attempts = Math.max(1, options.attempts ?? 5);
  for (let attempt = 1; ; attempt++) {
    try {
      return await catalog.db.transaction().execute(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(catalog.dialect, error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

function ignoreRollbackError(): void {
  // SQLite may already have rolled back (for example after SQLITE_FULL); the first error is the one
  // worth reporting.
}

/**
 * A case-insensitive substring test that behaves the same on both dialects: ASCII case folding on
 * both sides (SQLite's `lower()` folds only ASCII; PostgreSQL's does the same under C collation),
 * with `%`, `_` and `\` in `text` matched literally.
 */
export function containsIgnoringCase(
  column: Expression<string | null>,
  text: string,
): RawBuilder<boolean> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`lower(${column}) like lower(${pattern}) escape '\\'`;
}

/**
 * A sort key that puts nulls last on both dialects (SQLite sorts nulls first, PostgreSQL last):
 * order by this key, then by the column. `x is null` is false (0) for values, true (1) for nulls.
 */
export function nullsLastKey(column: Expression<unknown>): RawBuilder<boolean> {
  return sql<boolean>`${column} is null`;
}
