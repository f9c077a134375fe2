import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PlatformError, errorMessage } from '../core/index.js';

/** Lossless compression applied to blobs at rest. */
export type BlobCompression = 'none' | 'gzip' | 'brotli' | 'deflate';

/** Per-project settings, from `medscale.config.json` in the data directory. */
export interface ProjectConfig {
  /**
   * Compression of this project's blobs at rest; the digest is always that of the raw bytes.
   * @defaultValue 'none'
   */
  readonly compression?: BlobCompression;
  /**
   * Private attributes to keep, as `creator/element` pairs (Retain Safe Private option).
   * @defaultValue []
   */
  readonly safePrivate?: readonly string[];
  /**
   * Largest per-subject date shift, in days.
   * @defaultValue 365
   */
  readonly maxDateShiftDays?: number;
}

/** The resolved configuration: flags, then environment, then the config file, then defaults. */
export interface MedscaleConfig {
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  /** SQLite file path or `postgres://` URL of the catalog. */
  readonly catalogUrl: string;
  /** `redis://` URL of the work queue, when one is configured. */
  readonly redisUrl: string | undefined;
  /** Project used when a command names none. */
  readonly defaultProject: string;
  readonly projects: Readonly<Record<string, ProjectConfig>>;
}

/** What a command line may set; anything left out falls through to the environment and the file. */
export interface ConfigOverrides {
  readonly dataDir?: string;
  readonly catalogUrl?: string;
  readonly redisUrl?: string;
}

/** Name of the configuration file inside the data directory. */
export const CONFIG_FILE = 'medscale.config.json';

/** Project used when neither a flag nor the config file names one. */
export const DEFAULT_PROJECT = 'default';

const COMPRESSIONS: readonly string[] = ['none', 'gzip', 'brotli', 'deflate'];

/**
 * Resolves the configuration (DESIGN.md §4): flags, then `MEDSCALE_DATA`, `MEDSCALE_CATALOG` and
 * `MEDSCALE_REDIS`, then `medscale.config.json` in the data directory, then the embedded defaults
 * (`./medscale-data`, SQLite `catalog.sqlite` inside it). A malformed file is `ERR_CONFIG`.
 */
export async function loadConfig(
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<MedscaleConfig> {
  const dataDir = resolve(overrides.dataDir ?? env['MEDSCALE_DATA'] ?? 'medscale-data');
  const file = await readConfigFile(join(dataDir, CONFIG_FILE));
  const catalogUrl =
    overrides.catalogUrl ??
    env['MEDSCALE_CATALOG'] ??
    file.catalog ??
    join(dataDir, 'catalog.sqlite');
  return {
    dataDir,
    catalogUrl,
    redisUrl: overrides.redisUrl ?? env['MEDSCALE_REDIS'] ?? file.redis,
    defaultProject: file.defaultProject ?? DEFAULT_PROJECT,
    projects: file.projects ?? {},
  };
}

interface ConfigFile {
  readonly catalog?: string;
  readonly redis?: string;
  readonly defaultProject?: string;
  readonly projects?: Record<string, ProjectConfig>;
}

async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new PlatformError('ERR_CONFIG', `cannot read ${path}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PlatformError('ERR_CONFIG', `${path} is not valid JSON: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  return validateConfigFile(parsed, path);
}

function validateConfigFile(value: unknown, path: string): ConfigFile {
  const fail = (where: string, expected: string): never => {
    throw new PlatformError('ERR_CONFIG', `${path}: ${where}: expected ${expected}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('(root)', 'an object');
  const root = value as Record<string, unknown>;
  for (const key of ['catalog', 'redis', 'defaultProject'] as const) {
    if (root[key] !== undefined && typeof root[key] !== 'string') fail(key, 'a string');
  }
  const projects = root['projects'];
  if (projects !== undefined) {
    if (typeof projects !== 'object' || projects === null || Array.isArray(projects))
      fail('projects', 'an object');
    for (const [name, project] of Object.entries(projects as Record<string, unknown>)) {
      if (typeof project !== 'object' || project === null) fail(`projects.${name}`, 'an object');
      const p = project as Record<string, unknown>;
      if (p['compression'] !== undefined && !COMPRESSIONS.includes(p['compression'] as string)) {
        fail(`projects.${name}.compression`, `one of ${COMPRESSIONS.join(', ')}`);
      }
      if (
        p['safePrivate'] !== undefined &&
        !(Array.isArray(p['safePrivate']) && p['safePrivate'].every((s) => typeof s === 'string'))
      ) {
        fail(`projects.${name}.safePrivate`, 'an array of strings');
      }
      if (
        p['maxDateShiftDays'] !== undefined &&
        !(Number.isInteger(p['maxDateShiftDays']) && (p['maxDateShiftDays'] as number) > 0)
      ) {
        fail(`projects.${name}.maxDateShiftDays`, 'a positive integer');
      }
    }
  }
  return root;
}
