import { createHash, randomBytes } from 'node:crypto';
import { PlatformError } from '../../core/index.js';
import { API_TOKEN_ROLES, insertApiToken } from '../../store/index.js';
import type { ApiTokenRole, ApiTokenSummary, CatalogHandle } from '../../store/index.js';

/** Prefix of every token, so that secret scanners and people recognise one. */
export const API_TOKEN_PREFIX = 'ms_';

/** A token just created: its text is shown once and never stored. */
export interface CreatedApiToken extends ApiTokenSummary {
  /** `ms_` and 32 random bytes in base64url (43 characters). */
  readonly token: string;
}

/** Options of {@link createApiToken}. */
export interface CreateApiTokenOptions {
  readonly role: ApiTokenRole;
  /**
   * Unique name, shown in the audit trail as `token:<name>`.
   * @defaultValue `<role>-<8 hex digits>`
   */
  readonly name?: string;
}

/**
 * The catalog form of a token: `sha256:` and the hex SHA-256 of its text. A plain hash (no salt,
 * no slow KDF) suffices because the token has 256 random bits: nothing to brute-force.
 */
export function hashApiToken(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/** Whether `value` is one of the API token roles. */
export function isApiTokenRole(value: unknown): value is ApiTokenRole {
  return typeof value === 'string' && (API_TOKEN_ROLES as readonly string[]).includes(value);
}

/**
 * Creates a token (32 random bytes) and records only its hash. Throws `ERR_USAGE` for a bad name
 * and `ERR_CATALOG` when the name is taken.
 */
export async function createApiToken(
  catalog: CatalogHandle,
  options: CreateApiTokenOptions,
): Promise<CreatedApiToken> {
  if (!isApiTokenRole(options.role)) {
    throw new PlatformError(
      'ERR_USAGE',
      `role must be one of ${API_TOKEN_ROLES.join(', ')}, got "${String(options.role)}"`,
    );
  }
  const name = options.name ?? `${options.role}-${randomBytes(4).toString('hex')}`;
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) {
    throw new PlatformError(
      'ERR_USAGE',
      `token name must be 1 to 64 letters, digits or . _ @ -, got "${name}"`,
    );
  }
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const summary = await insertApiToken(catalog, {
    name,
    role: options.role,
    tokenHash: hashApiToken(token),
  });
  return { ...summary, token };
}
