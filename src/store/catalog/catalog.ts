import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { SqliteDatabase } from 'kysely';
import type { MigrationResult } from 'kysely';
import pg from 'pg';
import { PlatformError, errorMessage } from '../../core/index.js';
import type { CatalogDatabase } from './catalog-database.js';
import { CatalogMigrationProvider } from './catalog-migrations.js';
import { PG_TYPES, isTransientCatalogError } from './dialects.js';
import type { CatalogDialect, CatalogHandle } from './dialects.js';

/** Where a catalog lives, as {@link parseCatalogUrl} reads it. */
export type CatalogLocation =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgres'; readonly url: string };

/**
 * Reads a catalog URL: `postgres://…` or `postgresql://…` for PostgreSQL; `sqlite:PATH`,
 * `sqlite://PATH`, `file:` URLs or a bare path for SQLite (`:memory:` for a throwaway database).
 *
 * @example
 * ```ts
 * parseCatalogUrl('sqlite:///data/catalog.db'); // { dialect: 'sqlite', path: '/data/catalog.db' }
 * parseCatalogUrl('medscale-data/catalog.db');  // { dialect: 'sqlite', path: 'medscale-data/catalog.db' }
 * ```
 */
export function parseCatalogUrl(url: string): CatalogLocation {
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', url };
  if (/^sqlite:/i.test(url)) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new PlatformError('ERR_CONFIG', `no path in catalog URL "${url}"`);
    return { dialect: 'sqlite', path };
  }
  if (/^file:/i.test(url)) return { dialect: 'sqlite', path: fileURLToPath(url) };
  // Two or more letters then a colon: a scheme we do not speak (one letter is a Windows drive).
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(url)?.[1];
  if (scheme !== undefined) {
    throw new PlatformError(
      'ERR_CONFIG',
      `unsupported catalog URL scheme "${scheme}:"; use a SQLite path or postgres://`,
    );
  }
  if (url === '') throw new PlatformError('ERR_CONFIG', 'empty catalog URL');
  return { dialect: 'sqlite', path: url };
}

/** A catalog URL with any password replaced, for messages and logs. */
export function redactCatalogUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** Options of {@link openCatalog}. */
export interface OpenCatalogOptions {
  /**
   * How long a SQLite writer waits for another connection's write lock, in milliseconds.
   * @defaultValue 5000
   */
  readonly busyTimeoutMs?: number;
  /**
   * Connections in the PostgreSQL pool.
   * @defaultValue 10
   */
  readonly poolSize?: number;
}

/** What {@link Catalog.migrate} reports; it never throws (Kysely `Migrator` style). */
export interface CatalogMigrationResult {
  /** Set when a migration (or the migrator itself) failed, with code `ERR_CATALOG_MIGRATION`. */
  readonly error?: PlatformError;
  /** One entry per migration that was to run; empty when the schema was already current. */
  readonly results: readonly MigrationResult[];
}

/**
 * An open catalog: a Kysely instance on SQLite or PostgreSQL plus its lifecycle. Open one with
 * {@link openCatalog}; query it with the functions of this module, which take any
 * {@link CatalogHandle}.
 */
export class Catalog implements CatalogHandle {
  /** The query builder; one set of queries serves both dialects. */
  readonly db: Kysely<CatalogDatabase>;
  readonly dialect: CatalogDialect;
  /** The catalog's URL with any password redacted. */
  readonly location: string;
  #closed = false;

  /** Wraps an open Kysely instance; {@link openCatalog} is the usual way in. */
  constructor(db: Kysely<CatalogDatabase>, dialect: CatalogDialect, location: string) {
    this.db = db;
    this.dialect = dialect;
    this.location = location;
  }

  /**
   * Brings the schema to the latest migration. Safe to run at every start and from several
   * processes at once (Kysely takes a migration lock); a current schema is a no-op.
   */
  async migrate(): Promise<CatalogMigrationResult> {
    const migrator = new Migrator({
      db: this.db,
      provider: new CatalogMigrationProvider(this.dialect),
    });
    try {
      const { error, results } = await migrator.migrateToLatest();
      if (error === undefined) return { results: results ?? [] };
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      return {
        error: new PlatformError(
          'ERR_CATALOG_MIGRATION',
          `catalog migration ${failed ?? ''} failed on ${this.location}: ${errorMessage(error)}`,
          { cause: error },
        ),
        results: results ?? [],
      };
    } catch (error) {
      return {
        error: new PlatformError('ERR_CATALOG_MIGRATION', errorMessage(error), { cause: error }),
        results: [],
      };
    }
  }

  /** Closes the database or pool; later calls do nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.db.destroy();
  }
}

/**
 * Opens the catalog at `url` (see {@link parseCatalogUrl}). Does not migrate: call
 * {@link Catalog.migrate}.
 *
 * @remarks
 * SQLite is opened with `journal_mode=WAL` (readers never block the writer),
 * `synchronous=FULL` (a committed transaction survives power loss: NORMAL would only survive a
 * process crash in WAL mode), `foreign_keys=ON` and a busy timeout. PostgreSQL gets a pool whose
 * rows parse into the same shapes as SQLite's (see `PG_TYPES`); one round trip checks that the
 * server answers, so a wrong URL fails here with `ERR_CATALOG` rather than on first use.
 */
export async function openCatalog(url: string, options: OpenCatalogOptions = {}): Promise<Catalog> {
  const location = parseCatalogUrl(url);
  if (location.dialect === 'sqlite') return openSqlite(location.path, options);
  return openPostgres(location.url, options);
}

function openSqlite(path: string, options: OpenCatalogOptions): Catalog {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let database: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    database = new Database(path, { timeout: busyTimeoutMs });
  } catch (error) {
    throw new PlatformError(
      'ERR_CATALOG',
      `cannot open SQLite catalog ${path}: ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  }
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    database.pragma(`busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`);
  } catch (error) {
    database.close();
    throw new PlatformError(
      'ERR_CATALOG',
      `cannot configure SQLite catalog ${path}: ${errorMessage(error)}`,
      {
        cause: error,
        retryable: isTransientCatalogError('sqlite', error),
      },
    );
  }
  const db = new Kysely<CatalogDatabase>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
  });
  return new Catalog(db, 'sqlite', `sqlite:${path}`);
}

/** Most distinct SQL texts whose prepared statements are kept. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The database as Kysely's SQLite driver sees it, with prepared statements reused by SQL text:
 * Kysely prepares every query afresh, which costs more than running the small ones. A statement
 * still being iterated (a streamed query) is busy, so a query with the same text gets a new one.
 */
function withStatementCache(database: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    prepare(text: string): Database.Statement {
      const hit = cache.get(text);
      if (hit !== undefined && !hit.busy) {
        // Map order is insertion order: re-inserting keeps the most recently used last.
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const statement = database.prepare(text);
      if (hit === undefined) {
        cache.set(text, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
      }
      return statement;
    },
    close(): void {
      cache.clear();
      database.close();
    },
  };
}

async function openPostgres(url: string, options: OpenCatalogOptions): Promise<Catalog> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types: PG_TYPES });
  // An idle client whose server connection drops emits 'error' on the pool, and an unhandled
  // 'error' event ends the process. The pool discards that client; the next query reconnects.
  pool.on('error', ignoreIdleClientError);
  const db = new Kysely<CatalogDatabase>({ dialect: new PostgresDialect({ pool }) });
  const location = redactCatalogUrl(url);
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new PlatformError(
      'ERR_CATALOG',
      `cannot connect to catalog ${location}: ${errorMessage(error)}`,
      {
        cause: error,
        retryable: isTransientCatalogError('postgres', error),
      },
    );
  }
  return new Catalog(db, 'postgres', location);
}

function ignoreIdleClientError(): void {
  // See openPostgres: nothing is in flight on an idle client, so there is nobody to tell.
}
