import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { BlobDigest } from '../../core/index.js';
import type { CreatedAt, Id, JsonText } from './column-types.js';

/** What a derived artifact is. */
export const ARTIFACT_KINDS = [
  'qa_report',
  'mask',
  'seg',
  'mesh',
  'fe_mesh',
  'simulation',
  'model',
  'plot',
] as const;

/** One of {@link ARTIFACT_KINDS}. */
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/**
 * A derived result stored as a blob, with its provenance: the stage that made it, the stage's
 * version and parameters, and the digests of its inputs. Running a stage again on the same
 * inputs finds the row and reuses the blob.
 */
export interface ArtifactTable {
  id: Id;
  /** Address of the artifact's bytes in the blob store (not unique: two inputs can give one output). */
  digest: BlobDigest;
  kind: ArtifactKind;
  /** File format of the blob: `nifti`, `stl`, `vtk`, `json`, `dicom-seg`, `onnx`, … */
  format: string;
  subject_id: number | null;
  series_id: number | null;
  /** Stage name, as in the pipeline registry (`segment.unet`). */
  stage: string;
  stage_version: number;
  /** The stage's parameters as JSON. */
  params_json: JsonText;
  /** The input digests as JSON. */
  inputs_json: JsonText;
  created_at: CreatedAt;
  /** Cache key of the pipeline stage run that made it (`stage_run.cache_key`); null for older rows. */
  run_key: ColumnType<string | null, string | null | undefined, string | null>;
}

/** An artifact row as read. */
export type ArtifactRow = Selectable<ArtifactTable>;
/** An artifact row to insert. */
export type NewArtifactRow = Insertable<ArtifactTable>;
