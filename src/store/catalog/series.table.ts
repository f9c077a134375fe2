import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { SeriesInstanceUid } from '../../core/index.js';
import type { Id, IsoTimestamp, JsonText } from './column-types.js';

/**
 * Where a series is in its life: instances still arriving, complete (no new instance for the
 * stability period), or checked by QA.
 */
export const SERIES_STATES = ['receiving', 'stable', 'qa_done'] as const;

/** One of {@link SERIES_STATES}. */
export type SeriesState = (typeof SERIES_STATES)[number];

/** One DICOM series. Column names are snake_case; DICOM keywords stay in `dicom_json`. */
export interface SeriesTable {
  id: Id;
  study_id: number;
  /** Series Instance UID (0020,000E), remapped by de-identification; unique. */
  series_instance_uid: SeriesInstanceUid;
  /** Modality (0008,0060): `MR`, `CT`, `US`, … */
  modality: string;
  /** Series Description (0008,103E). */
  series_description: string | null;
  /** The protocol series this one was matched to by QA (`t1_mprage`), when matched. */
  protocol_series_key: string | null;
  /** Series Number (0020,0011). */
  series_number: number | null;
  /** Instances catalogued so far. */
  n_instances: ColumnType<number, number | undefined, number>;
  state: ColumnType<SeriesState, SeriesState | undefined, SeriesState>;
  /** The series-level attributes as DICOM JSON (PS3.18 Annex F). */
  dicom_json: JsonText;
  /** Last time an instance was added or the state changed. */
  updated_at: ColumnType<IsoTimestamp, IsoTimestamp | undefined, IsoTimestamp>;
}

/** A series row as read. */
export type SeriesRow = Selectable<SeriesTable>;
/** A series row to insert. */
export type NewSeriesRow = Insertable<SeriesTable>;
