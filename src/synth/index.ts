/**
 * Synthetic data with ground truth. `synthesizeMrCohort` writes a multi-site whole-body MR
 * cohort as DICOM files from a per-participant body phantom, following an acquisition protocol
 * (`loadProtocol` of `protocol/`) that QA validates against, with optional injected defects.
 * @packageDocumentation
 */
export { SMALL_MATRIX, SMALL_SLICES, scaleProtocol } from './scale-protocol.js';
export type { CohortSize } from './scale-protocol.js';
export {
  DEFECT_RATE_FIELDS,
  MR_COHORT_LAYOUT,
  synthesizeMrCohort,
} from './synthesize-mr-cohort.js';
export type {
  DefectRates,
  SynthMrCohortOptions,
  SynthProgress,
  SynthSummary,
} from './synthesize-mr-cohort.js';
export { DEFECT_KINDS, DEFECT_MANIFEST_SCHEMA_VERSION, WRONG_PARAMETERS } from './ground-truth.js';
export type {
  DefectKind,
  DefectManifest,
  DefectTruth,
  GroundTruth,
  ParticipantTruth,
  SeriesTruth,
  SessionTruth,
  SiteTruth,
  WrongParameter,
} from './ground-truth.js';
export { TISSUES } from './tissues.js';
export type { Tissue } from './tissues.js';
export * from './lv-echo/index.js';
export * from './carotid-us/index.js';
