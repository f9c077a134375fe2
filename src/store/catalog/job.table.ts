import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { Id, IsoTimestamp } from './column-types.js';

/** Where a pipeline job is. */
export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/** One of {@link JOB_STATES}. */
export type JobState = (typeof JOB_STATES)[number];

/** One run of a pipeline stage on one input. */
export interface JobTable {
  id: Id;
  /** Stage name (`qa.series`, `segment.unet`). */
  stage: string;
  /** What the stage runs on, as a stable key (a series UID, or the digest of the input JSON). */
  input_key: string;
  state: JobState;
  attempts: ColumnType<number, number | undefined, number>;
  /** The last failure as a `SerializedError` (core/errors.ts), as JSON text. */
  error_json: string | null;
  started_at: IsoTimestamp | null;
  finished_at: IsoTimestamp | null;
  /** Which worker ran it (`host:pid`). */
  worker: string | null;
  /** The pipeline run the job belongs to (migration 0003). */
  run_uid: ColumnType<string | null, string | null | undefined, string | null>;
  /** The provenance cache key of the job's stage run, once known (migration 0003). */
  cache_key: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A job row as read. */
export type JobRow = Selectable<JobTable>;
/** A job row to insert. */
export type NewJobRow = Insertable<JobTable>;
