import type { Insertable, Selectable } from 'kysely';
import type { CreatedAt, Id, JsonTextWithDefault } from './column-types.js';

/** Who read, wrote, exported or de-identified what, and when. */
export interface AuditTable {
  id: Id;
  at: CreatedAt;
  /** The user, token or process that acted (`cli:alice`, `token:researcher-7`, `ingest`). */
  actor: string;
  /** What was done (`ingest`, `export`, `read`, `deidentify`). */
  action: string;
  /** What it was done to (a UID, a path, a project). */
  target: string;
  detail_json: JsonTextWithDefault;
}

/** An audit row as read. */
export type AuditRow = Selectable<AuditTable>;
/** An audit row to insert. */
export type NewAuditRow = Insertable<AuditTable>;
