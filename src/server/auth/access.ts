import type { FastifyRequest } from 'fastify';
import { PlatformError } from '../../core/index.js';
import { findApiTokenByHash } from '../../store/index.js';
import type { ApiTokenRole, CatalogHandle } from '../../store/index.js';
import { hashApiToken } from './api-token.js';

/**
 * What a route does, which decides the roles that may call it: `read` (QIDO-RS, WADO-RS, REST
 * reads), `write` (STOW-RS), `admin` (the audit trail, the quarantine).
 */
export type RouteAccess = 'read' | 'write' | 'admin';

/**
 * Which roles may do what (DESIGN.md §4 Auth). Ingest tokens sit on scanners and gateways: they
 * only send. Researchers only read, and see pseudonymized data only, because only such data are
 * stored. Admins do everything.
 */
export const ROLE_ACCESS: Readonly<Record<ApiTokenRole, ReadonlySet<RouteAccess>>> = {
  admin: new Set(['read', 'write', 'admin']),
  ingest: new Set(['write']),
  researcher: new Set(['read']),
};

/** The caller of a request, once its token checked out. */
export interface Principal {
  readonly tokenName: string;
  readonly role: ApiTokenRole;
  /** `token:<name>`, the audit trail's actor. */
  readonly actor: string;
}

/**
 * Resolves the `Authorization: Bearer <token>` of a request to its principal; throws
 * `ERR_AUTH_REQUIRED` when absent, malformed, unknown or revoked (one message for all, so a
 * caller learns nothing about which tokens exist).
 */
export async function authenticate(
  catalog: CatalogHandle,
  request: FastifyRequest,
): Promise<Principal> {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  const token = match?.[1];
  if (token === undefined) {
    throw new PlatformError(
      'ERR_AUTH_REQUIRED',
      'an API token is required: Authorization: Bearer <token> (medscale token create)',
    );
  }
  const row = await findApiTokenByHash(catalog, hashApiToken(token));
  if (row === undefined) {
    throw new PlatformError('ERR_AUTH_REQUIRED', 'the API token is unknown or revoked');
  }
  return { tokenName: row.name, role: row.role, actor: `token:${row.name}` };
}

/** Throws `ERR_AUTH_FORBIDDEN` unless the principal's role may do `access`. */
export function authorize(principal: Principal, access: RouteAccess): void {
  if (!ROLE_ACCESS[principal.role].has(access)) {
    throw new PlatformError(
      'ERR_AUTH_FORBIDDEN',
      `a ${principal.role} token may not ${access === 'write' ? 'write' : access === 'read' ? 'read' : 'administer'}`,
    );
  }
}
