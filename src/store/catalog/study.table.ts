import type { Insertable, Selectable } from 'kysely';
import type { StudyInstanceUid } from '../../core/index.js';
import type { Id, JsonText } from './column-types.js';

/** One DICOM study, within a visit of a subject. */
export interface StudyTable {
  id: Id;
  subject_id: number;
  visit_id: number;
  /** Study Instance UID (0020,000D), remapped by de-identification; unique. */
  study_instance_uid: StudyInstanceUid;
  /** The acquiring centre (from the sending AE title or Institution Name). */
  site: string | null;
  /** Study Date (0008,0020) after the per-subject date shift, as DICOM DA `YYYYMMDD`. */
  study_date_shifted: string | null;
  /** Study Description (0008,1030). */
  description: string | null;
  /** The study-level attributes as DICOM JSON (PS3.18 Annex F). */
  dicom_json: JsonText;
}

/** A study row as read. */
export type StudyRow = Selectable<StudyTable>;
/** A study row to insert. */
export type NewStudyRow = Insertable<StudyTable>;
