import type { Insertable, Selectable } from 'kysely';
import type { Id } from './column-types.js';

/** One visit of a subject (`baseline`, `follow-up-1`, …); unique per (subject, label). */
export interface VisitTable {
  id: Id;
  subject_id: number;
  label: string;
  /** Order of the visit: 0 for `baseline`, n for `follow-up-n`, null for other labels. */
  visit_index: number | null;
}

/** A visit row as read. */
export type VisitRow = Selectable<VisitTable>;
/** A visit row to insert. */
export type NewVisitRow = Insertable<VisitTable>;
