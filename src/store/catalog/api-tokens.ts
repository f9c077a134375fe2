import type { IsoTimestamp } from './column-types.js';
import type { ApiTokenRole } from './api-token.table.js';
import { catalogError } from './catalog-error.js';
import { pageOf, toIsoTimestamp } from './catalog-values.js';
import type { Page } from './catalog-values.js';
import type { CatalogHandle } from './dialects.js';
import type { AuditRow } from './audit.table.js';

/** An API token as listed: everything but its hash. */
export interface ApiTokenSummary {
  readonly id: number;
  readonly name: string;
  readonly role: ApiTokenRole;
  readonly createdAt: IsoTimestamp;
  readonly revokedAt: IsoTimestamp | null;
}

/** A token to record: its name, role and the hash of its text (never the text). */
export interface ApiTokenEntry {
  readonly name: string;
  readonly role: ApiTokenRole;
  /** `sha256:<hex>` of the token text. */
  readonly tokenHash: string;
}

const SUMMARY = [
  'id',
  'name',
  'role',
  'created_at as createdAt',
  'revoked_at as revokedAt',
] as const;

/** Records a new token; throws `ERR_CATALOG` when the name is taken. */
export async function insertApiToken(
  catalog: CatalogHandle,
  entry: ApiTokenEntry,
): Promise<ApiTokenSummary> {
  try {
    return await catalog.db
      .insertInto('api_token')
      .values({
        name: entry.name,
        role: entry.role,
        token_hash: entry.tokenHash,
        created_at: toIsoTimestamp(new Date()),
      })
      .returning(SUMMARY)
      .executeTakeFirstOrThrow();
  } catch (error) {
    throw catalogError(`cannot record API token "${entry.name}"`, catalog.dialect, error);
  }
}

/** The valid (not revoked) token with this hash, or `undefined`. */
export async function findApiTokenByHash(
  catalog: CatalogHandle,
  tokenHash: string,
): Promise<ApiTokenSummary | undefined> {
  try {
    return await catalog.db
      .selectFrom('api_token')
      .select(SUMMARY)
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  } catch (error) {
    throw catalogError('cannot look up an API token', catalog.dialect, error);
  }
}

/** Every token, revoked ones included, oldest first. */
export async function listApiTokens(catalog: CatalogHandle): Promise<readonly ApiTokenSummary[]> {
  try {
    return await catalog.db.selectFrom('api_token').select(SUMMARY).orderBy('id').execute();
  } catch (error) {
    throw catalogError('cannot list API tokens', catalog.dialect, error);
  }
}

/** Revokes the token with this name; returns whether a valid token was revoked. */
export async function revokeApiToken(catalog: CatalogHandle, name: string): Promise<boolean> {
  try {
    const result = await catalog.db
      .updateTable('api_token')
      .set({ revoked_at: toIsoTimestamp(new Date()) })
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  } catch (error) {
    throw catalogError(`cannot revoke API token "${name}"`, catalog.dialect, error);
  }
}

/** Filters of {@link listAudit}. */
export interface AuditFilter extends Page {
  /** Exact actor: `token:alice`. */
  readonly actor?: string;
  /** Exact action: `wado`. */
  readonly action?: string;
}

/** An audit entry as listed, its detail parsed. */
export interface AuditSummary {
  readonly id: number;
  readonly at: IsoTimestamp;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly detail: unknown;
}

/** The audit trail, newest first. */
export async function listAudit(
  catalog: CatalogHandle,
  filter: AuditFilter = {},
): Promise<readonly AuditSummary[]> {
  const { limit, offset } = pageOf(filter);
  let query = catalog.db.selectFrom('audit').selectAll();
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  let rows: AuditRow[];
  try {
    rows = await query.orderBy('id', 'desc').limit(limit).offset(offset).execute();
  } catch (error) {
    throw catalogError('cannot list the audit trail', catalog.dialect, error);
  }
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    // jsonb comes back parsed from PostgreSQL, text from SQLite.
    detail:
      typeof row.detail_json === 'string'
        ? (JSON.parse(row.detail_json) as unknown)
        : row.detail_json,
  }));
}
