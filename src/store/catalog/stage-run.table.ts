import type { Insertable, Selectable } from 'kysely';
import type { CreatedAt, Id, JsonText } from './column-types.js';

/**
 * One computed pipeline stage result, the unit of the provenance cache: the stage, its version,
 * parameters and inputs (whose SHA-256 is `cache_key`), and the JSON output it produced. Running
 * the same stage on the same inputs again finds this row and reuses the output.
 */
export interface StageRunTable {
  id: Id;
  /** `sha256:` of the canonical JSON of stage, version, parameters and inputs. */
  cache_key: string;
  /** Stage name (`simulate.lv`). */
  stage: string;
  stage_version: number;
  params_json: JsonText;
  /** The stage's input JSON (blobs by digest). */
  inputs_json: JsonText;
  /** The stage's output JSON (blobs by digest). */
  output_json: JsonText;
  subject_id: number | null;
  /** Wall time of the computation, seconds. */
  seconds: number;
  /** Which worker computed it (`host:pid`, with the runner's name). */
  worker: string;
  created_at: CreatedAt;
}

/** A stage run as read. */
export type StageRunRow = Selectable<StageRunTable>;
/** A stage run to insert. */
export type NewStageRunRow = Insertable<StageRunTable>;
