import type { Insertable, Selectable } from 'kysely';
import type { CreatedAt, Id, JsonTextWithDefault } from './column-types.js';

/** A research project (cohort): the unit of pseudonymization secrets and duplicate detection. */
export interface ProjectTable {
  id: Id;
  /** Unique, human-chosen name (`nako`, `carotid-2026`). */
  name: string;
  created_at: CreatedAt;
  /** Project settings as JSON (protocol, compression, …); `{}` by default. */
  config_json: JsonTextWithDefault;
}

/** A project row as read. */
export type ProjectRow = Selectable<ProjectTable>;
/** A project row to insert. */
export type NewProjectRow = Insertable<ProjectTable>;
