import { InvalidArgumentError } from 'commander';
import type { ConfigOverrides } from '../workspace/index.js';

/** Options every command accepts (set before or after the command name). */
export interface GlobalOptions {
  /** Data directory (else `MEDSCALE_DATA`, else `./medscale-data`). */
  readonly data?: string;
  /** Catalog: SQLite path or `postgres://` URL (else `MEDSCALE_CATALOG`). */
  readonly catalog?: string;
}

/** The configuration overrides the global options give. */
export function globalOverrides(options: GlobalOptions): ConfigOverrides {
  return {
    ...(options.data === undefined ? {} : { dataDir: options.data }),
    ...(options.catalog === undefined ? {} : { catalogUrl: options.catalog }),
  };
}

/** Commander parser for a positive integer option. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}
