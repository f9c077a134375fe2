import type { Insertable, Selectable } from 'kysely';
import type { CreatedAt, Id } from './column-types.js';

/**
 * A person in a project, known only by pseudonym: an HMAC of the original PatientID under a
 * project secret that never enters the catalog. Unique per (project, pseudonym).
 */
export interface SubjectTable {
  id: Id;
  project_id: number;
  pseudonym: string;
  /** Patient's Sex (0010,0040) as received: `M`, `F`, `O`, or null when absent. */
  sex: string | null;
  /** Year of birth, the only part of the birth date kept. */
  birth_year: number | null;
  created_at: CreatedAt;
}

/** A subject row as read. */
export type SubjectRow = Selectable<SubjectTable>;
/** A subject row to insert. */
export type NewSubjectRow = Insertable<SubjectTable>;
