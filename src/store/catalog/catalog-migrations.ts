import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { CatalogDialect } from './dialects.js';
import * as createCatalog from './migrations/2026_11_23_0001_create_catalog.js';
import * as apiTokens from './migrations/2026_11_23_0002_api_tokens.js';
import * as stageRuns from './migrations/2026_11_23_0003_stage_runs.js';

/** One schema step, told the dialect it runs on (Kysely's `Migration` is not). */
export interface CatalogMigration {
  up(db: Kysely<unknown>, dialect: CatalogDialect): Promise<void>;
  down(db: Kysely<unknown>, dialect: CatalogDialect): Promise<void>;
}

/**
 * Every catalog migration by name, in order. Names follow `YYYY_MM_DD_NNNN_what`; Kysely applies
 * them in name order. Add new ones at the end; never rename or edit an applied one.
 */
export const CATALOG_MIGRATIONS: Readonly<Record<string, CatalogMigration>> = {
  '2026_11_23_0001_create_catalog': createCatalog,
  '2026_11_23_0002_api_tokens': apiTokens,
  '2026_11_23_0003_stage_runs': stageRuns,
};

/**
 * Hands the migrations to Kysely's `Migrator` from code rather than by scanning a folder, so the
 * compiled `dist/` (which has `.js` files, not `.ts`) and bundles work unchanged.
 */
export class CatalogMigrationProvider implements MigrationProvider {
  readonly #dialect: CatalogDialect;

  /** A provider whose migrations build the schema for `dialect`. */
  constructor(dialect: CatalogDialect) {
    this.#dialect = dialect;
  }

  /** The migrations, bound to this provider's dialect. */
  async getMigrations(): Promise<Record<string, Migration>> {
    const dialect = this.#dialect;
    return Object.fromEntries(
      Object.entries(CATALOG_MIGRATIONS).map(([name, migration]) => [
        name,
        {
          up: (db) => migration.up(db, dialect),
          down: (db) => migration.down(db, dialect),
        } satisfies Migration,
      ]),
    );
  }
}
