import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../store/index.js';
import { FsBlobStore, openCatalog } from '../store/index.js';
import { PlatformError } from '../core/index.js';
import type { ConfigOverrides, MedscaleConfig, ProjectConfig } from './config.js';
import { CONFIG_FILE, loadConfig } from './config.js';
import { projectSecret } from './project-secret.js';

/**
 * An open data directory: the catalog, the blob store, the quarantine and the project secrets.
 * The only object the CLI and the server hand to ingest, export and the pipeline.
 */
export class Workspace {
  readonly config: MedscaleConfig;
  readonly catalog: Catalog;
  /** De-identified instances and derived artifacts, by SHA-256. */
  readonly blobs: FsBlobStore;
  /**
   * Original bytes of rejected inputs, kept so that nothing received is lost; never served to
   * researchers (they may hold identifying data that could not be de-identified).
   */
  readonly quarantine: FsBlobStore;
  readonly #secretsDir: string;

  private constructor(config: MedscaleConfig, catalog: Catalog, secretsDir: string) {
    this.config = config;
    this.catalog = catalog;
    this.blobs = new FsBlobStore(join(config.dataDir, 'blobs'));
    this.quarantine = new FsBlobStore(join(config.dataDir, 'quarantine'));
    this.#secretsDir = secretsDir;
  }

  /**
   * Opens (and creates, when missing) the data directory and migrates the catalog to the
   * current schema. Fails with `ERR_CATALOG_MIGRATION` if the schema cannot be brought up to date.
   */
  static async open(
    overrides: ConfigOverrides = {},
    env: NodeJS.ProcessEnv = process.env,
  ): Promise<Workspace> {
    const config = await loadConfig(overrides, env);
    await mkdir(config.dataDir, { recursive: true });
    const catalog = await openCatalog(config.catalogUrl);
    const migration = await catalog.migrate();
    if (migration.error !== undefined) {
      await catalog.close();
      throw new PlatformError(
        'ERR_CATALOG_MIGRATION',
        `cannot migrate the catalog: ${String(migration.error)}`,
        {
          cause: migration.error,
        },
      );
    }
    const secretsDir = env['MEDSCALE_SECRETS'] ?? join(config.dataDir, 'secrets');
    return new Workspace(config, catalog, secretsDir);
  }

  /** The settings of a project (defaults when the config file does not name it). */
  project(name: string): ProjectConfig {
    return this.config.projects[name] ?? {};
  }

  /** A blob store writing with the project's compression setting (reads any setting). */
  blobsFor(project: string): FsBlobStore {
    const compression = this.project(project).compression ?? 'none';
    return compression === 'none'
      ? this.blobs
      : new FsBlobStore(join(this.config.dataDir, 'blobs'), { compression });
  }

  /** The project's pseudonymization secret, created on first use. */
  secret(project: string): Promise<string> {
    return projectSecret(this.#secretsDir, project);
  }

  /** Closes the catalog connection. */
  async close(): Promise<void> {
    await this.catalog.close();
  }
}

/** Writes a starter `medscale.config.json` unless one exists; returns whether it wrote one. */
export async function writeDefaultConfig(dataDir: string): Promise<boolean> {
  await mkdir(dataDir, { recursive: true });
  const starter = { defaultProject: 'default', projects: { default: { compression: 'none' } } };
  try {
    await writeFile(join(dataDir, CONFIG_FILE), `${JSON.stringify(starter, null, 2)}\n`, {
      flag: 'wx',
    });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
