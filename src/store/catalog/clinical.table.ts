import type { Insertable, Selectable } from 'kysely';
import type { Id } from './column-types.js';

/**
 * One non-imaging value of a subject (blood pressure, an ECG figure, a lab value), imported from
 * CSV and queryable together with imaging results.
 */
export interface ClinicalTable {
  id: Id;
  subject_id: number;
  /** Variable name as in the source (`sbp`, `ldl`). */
  variable: string;
  /** The value as text, exactly as imported (numbers and categories alike); cast to compare. */
  value: string;
  /** Unit of the value (`mmHg`, `mmol/L`), when it has one. */
  unit: string | null;
  /** The visit label the value belongs to, when known. */
  visit: string | null;
  /** Where the value came from (file name, instrument). */
  source: string | null;
}

/** A clinical row as read. */
export type ClinicalRow = Selectable<ClinicalTable>;
/** A clinical row to insert. */
export type NewClinicalRow = Insertable<ClinicalTable>;
