import type { Insertable, Selectable } from 'kysely';
import type { Id, JsonTextWithDefault } from './column-types.js';

/** Outcome of one QA check. */
export const QA_STATUSES = ['pass', 'warn', 'fail'] as const;

/** One of {@link QA_STATUSES}. */
export type QaStatus = (typeof QA_STATUSES)[number];

/** One QA check on a series (parameter conformity, SNR, …) or a study (completeness). */
export interface QaResultTable {
  id: Id;
  /** The series checked; null for a study-level check. */
  series_id: number | null;
  /** The study checked; set for study-level checks (and may be set for series-level ones). */
  study_id: number | null;
  /** Check name (`completeness`, `snr`, `param.RepetitionTime`, …). */
  check: string;
  status: QaStatus;
  /** The measured value, in the unit the check documents. */
  value: number | null;
  /** What the protocol expects, as text (`2300`, `[2290, 2310]`, `12 series`). */
  expected: string | null;
  detail_json: JsonTextWithDefault;
  /** Version of the protocol specification checked against. */
  protocol_version: string | null;
}

/** A QA result row as read. */
export type QaResultRow = Selectable<QaResultTable>;
/** A QA result row to insert. */
export type NewQaResultRow = Insertable<QaResultTable>;
