import { PlatformError, errorMessage, isPlatformError } from '../../core/index.js';
import { isTransientCatalogError } from './dialects.js';
import type { CatalogDialect } from './dialects.js';

/**
 * Turns a driver error into `ERR_CATALOG`, keeping it as the cause and marking it `retryable`
 * when it is transient (busy, deadlock, lost connection). Platform errors pass through.
 */
export function catalogError(what: string, dialect: CatalogDialect, error: unknown): PlatformError {
  if (isPlatformError(error)) return error;
  return new PlatformError('ERR_CATALOG', `${what}: ${errorMessage(error)}`, {
    cause: error,
    retryable: isTransientCatalogError(dialect, error),
  });
}
