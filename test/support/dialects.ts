/**
 * The catalog dialects integration tests loop over, as Kysely's own suite does: SQLite always,
 * PostgreSQL unless `MEDSCALE_TEST_PG=off`. Each test database is fresh and dropped afterwards.
 *
 * PostgreSQL: `MEDSCALE_TEST_PG_URL` names a server database to connect to for CREATE and DROP
 * DATABASE (default `postgres://postgres@127.0.0.1:5432/postgres`); tests get their own database
 * `medscale_test_<random>` on that server.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openCatalog } from '../../src/store/index.js';
import type { Catalog, CatalogDialect } from '../../src/store/index.js';

/** A database made for one test (or one file) and the way to get rid of it. */
export interface TestDatabase {
  /** Catalog URL: a SQLite file path, or a `postgres://` URL. */
  readonly url: string;
  /** Drops the database (PostgreSQL) or removes its directory (SQLite). */
  drop(): Promise<void>;
}

/** A dialect the integration suite runs against. */
export interface TestDialect {
  readonly name: CatalogDialect;
  /** Creates an empty database. */
  create(): Promise<TestDatabase>;
}

/** A dialect left out of this run, and why (for a visible skip). */
export interface SkippedDialect {
  readonly name: CatalogDialect;
  readonly reason: string;
}

/** Server database used to create and drop test databases. */
export const PG_ADMIN_URL =
  process.env['MEDSCALE_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const pgOff = process.env['MEDSCALE_TEST_PG'] === 'off';

const sqlite: TestDialect = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'medscale-catalog-'));
    return {
      url: join(dir, 'catalog.sqlite'),
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const postgres: TestDialect = {
  name: 'postgres',
  async create() {
    const name = `medscale_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database ${name}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        // FORCE ends sessions a failed test may have left open (PostgreSQL 13+).
        await adminQuery(`drop database if exists ${name} with (force)`);
      },
    };
  },
};

/** The dialects to run: SQLite, and PostgreSQL unless `MEDSCALE_TEST_PG=off`. */
export const DIALECTS: readonly TestDialect[] = pgOff ? [sqlite] : [sqlite, postgres];

/** Dialects left out of this run, so suites can show a skipped block saying why. */
export const SKIPPED_DIALECTS: readonly SkippedDialect[] = pgOff
  ? [{ name: 'postgres', reason: 'MEDSCALE_TEST_PG=off' }]
  : [];

/** A fresh, migrated catalog and its cleanup. */
export interface TestCatalog {
  readonly catalog: Catalog;
  readonly url: string;
  /** Closes the catalog and drops its database. */
  dispose(): Promise<void>;
}

/** Creates a fresh database for `dialect`, opens it and (unless told not to) migrates it. */
export async function openTestCatalog(
  dialect: TestDialect,
  options: { readonly migrate?: boolean } = {},
): Promise<TestCatalog> {
  const database = await dialect.create();
  const catalog = await openCatalog(database.url);
  if (options.migrate ?? true) {
    const { error } = await catalog.migrate();
    if (error !== undefined) {
      await catalog.close();
      await database.drop();
      throw error;
    }
  }
  return {
    catalog,
    url: database.url,
    async dispose() {
      await catalog.close();
      await database.drop();
    },
  };
}
