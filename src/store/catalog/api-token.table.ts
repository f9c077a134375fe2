import type { Insertable, Selectable } from 'kysely';
import type { CreatedAt, Id, IsoTimestamp } from './column-types.js';

/** Roles an API token can have (DESIGN.md §4: admin, ingest, researcher). */
export const API_TOKEN_ROLES = ['admin', 'ingest', 'researcher'] as const;
/** One of {@link API_TOKEN_ROLES}. */
export type ApiTokenRole = (typeof API_TOKEN_ROLES)[number];

/** One API token of the HTTP server; the token itself is never stored, only its SHA-256. */
export interface ApiTokenTable {
  id: Id;
  /** Unique name, shown in the audit trail as `token:<name>`. */
  name: string;
  role: ApiTokenRole;
  /** `sha256:` and the 64 lower-case hex digits of the SHA-256 of the token's UTF-8 text. */
  token_hash: string;
  created_at: CreatedAt;
  /** When it was revoked; null while valid. */
  revoked_at: IsoTimestamp | null;
}

/** An API token row as read. */
export type ApiTokenRow = Selectable<ApiTokenTable>;
/** An API token row to insert. */
export type NewApiTokenRow = Insertable<ApiTokenTable>;
