/**
 * Ingest: the single path by which DICOM enters the biobank (folders, DIMSE, STOW-RS): parse,
 * validate, de-identify (PS3.15), store durably, catalogue, quarantine what cannot be read.
 * @packageDocumentation
 */
export { Ingestor } from './ingestor.js';
export type { IngestOutcome, IngestorOptions } from './ingestor.js';
export { ingestPaths } from './ingest-paths.js';
export type { IngestPathsOptions, IngestProgress, IngestSummary } from './ingest-paths.js';
export { prepareInstance, originalDigestOf } from './prepare-instance.js';
export type { PreparedInstance, PreparedOrRejected, RejectedInstance } from './prepare-instance.js';
export { walkFiles } from './walk-files.js';
export { WorkerPool } from './worker-pool.js';
export type { WorkerSpec, WorkerPoolOptions } from './worker-pool.js';
