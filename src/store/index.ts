/**
 * The store: a content-addressed blob store (files named by the SHA-256 of their content,
 * written atomically and durably, optionally compressed at rest) and the catalog (projects,
 * subjects, visits, studies, series, instances, quarantine, audit) on SQLite or PostgreSQL
 * through one set of Kysely queries.
 * @packageDocumentation
 */

// Blob store
export type {
  BlobStat,
  BlobStore,
  CorruptBlob,
  GetBlobOptions,
  PutResult,
  VerifyAllOptions,
  VerifyReport,
} from './blob/blob-store.js';
export { FsBlobStore } from './blob/fs-blob-store.js';
export type { FsBlobStoreOptions, SweepTempOptions } from './blob/fs-blob-store.js';
export {
  BLOB_COMPRESSIONS,
  BLOB_HEADER_SIZE,
  DEFAULT_COMPRESSION_LEVEL,
  blobCodecSettings,
  decodeBlob,
  encodeBlob,
} from './blob/blob-codec.js';
export type { BlobCodecSettings, BlobCompression, EncodedBlob } from './blob/blob-codec.js';
export { digestOf } from './blob/digest.js';

// Catalog: lifecycle
export { Catalog, openCatalog, parseCatalogUrl, redactCatalogUrl } from './catalog/catalog.js';
export type {
  CatalogLocation,
  CatalogMigrationResult,
  OpenCatalogOptions,
} from './catalog/catalog.js';
export { CATALOG_MIGRATIONS } from './catalog/catalog-migrations.js';
export { CATALOG_DIALECTS, writeTransaction } from './catalog/dialects.js';
export type { CatalogDialect, CatalogHandle, WriteTransactionOptions } from './catalog/dialects.js';

// Catalog: schema
export { CATALOG_TABLES } from './catalog/catalog-database.js';
export type { CatalogDatabase, CatalogTableName } from './catalog/catalog-database.js';
export type { CreatedAt, IsoTimestamp, JsonText } from './catalog/column-types.js';
export type { ProjectRow, ProjectTable } from './catalog/project.table.js';
export type { SubjectRow, SubjectTable } from './catalog/subject.table.js';
export type { VisitRow, VisitTable } from './catalog/visit.table.js';
export type { StudyRow, StudyTable } from './catalog/study.table.js';
export { SERIES_STATES } from './catalog/series.table.js';
export type { SeriesRow, SeriesState, SeriesTable } from './catalog/series.table.js';
export type { InstanceRow, InstanceTable } from './catalog/instance.table.js';
export type { QuarantineRow, QuarantineTable } from './catalog/quarantine.table.js';
export { ARTIFACT_KINDS } from './catalog/artifact.table.js';
export type {
  ArtifactKind,
  ArtifactRow,
  ArtifactTable,
  NewArtifactRow,
} from './catalog/artifact.table.js';
export { QA_STATUSES } from './catalog/qa-result.table.js';
export type {
  NewQaResultRow,
  QaResultRow,
  QaResultTable,
  QaStatus,
} from './catalog/qa-result.table.js';
export { JOB_STATES } from './catalog/job.table.js';
export type { JobRow, JobState, JobTable, NewJobRow } from './catalog/job.table.js';
export type { ClinicalRow, ClinicalTable, NewClinicalRow } from './catalog/clinical.table.js';
export type { AuditRow, AuditTable } from './catalog/audit.table.js';
export { API_TOKEN_ROLES } from './catalog/api-token.table.js';
export type { ApiTokenRole, ApiTokenRow, ApiTokenTable } from './catalog/api-token.table.js';

// Catalog: writes
export {
  ensureProject,
  ensureSeries,
  ensureStudy,
  ensureSubject,
  ensureVisit,
} from './catalog/ensure-rows.js';
export type {
  EnsureProjectOptions,
  EnsureResult,
  SeriesInput,
  StudyInput,
  SubjectInput,
  VisitInput,
} from './catalog/ensure-rows.js';
export { recordInstances } from './catalog/record-instances.js';
export type { InstanceRecord, RecordOutcome } from './catalog/record-instances.js';
export { recordAudit, recordQuarantine } from './catalog/record-events.js';
export type { AuditEntry, QuarantineEntry } from './catalog/record-events.js';

// Catalog: reads
export {
  countAll,
  findSeries,
  getSeries,
  listInstances,
  listQuarantine,
  listSeries,
  listStudies,
  listSubjects,
} from './catalog/catalog-queries.js';
export type {
  CatalogCounts,
  InstanceFilter,
  InstanceSummary,
  QuarantineFilter,
  QuarantineSummary,
  SeriesDetail,
  SeriesFilter,
  SeriesSummary,
  StudyFilter,
  StudySummary,
  SubjectFilter,
  SubjectSummary,
} from './catalog/catalog-queries.js';
export {
  getArtifact,
  listArtifacts,
  listClinical,
  listJobs,
  listQaResults,
  listVisits,
} from './catalog/rest-queries.js';
export type {
  ArtifactFilter,
  ArtifactSummary,
  ClinicalFilter,
  ClinicalSummary,
  JobFilter,
  JobSummary,
  QaResultFilter,
  QaResultSummary,
  VisitFilter,
  VisitSummary,
} from './catalog/rest-queries.js';
export type { Page } from './catalog/catalog-values.js';
export { allPages, parseDicomDate, visitIndexOf } from './catalog/catalog-values.js';

// Catalog: API tokens and the audit trail
export {
  findApiTokenByHash,
  insertApiToken,
  listApiTokens,
  listAudit,
  revokeApiToken,
} from './catalog/api-tokens.js';
export type {
  ApiTokenEntry,
  ApiTokenSummary,
  AuditFilter,
  AuditSummary,
} from './catalog/api-tokens.js';

// Catalog: QA results
export { listMetricHistory, listSessionStatuses, replaceStudyQa } from './catalog/qa-store.js';
export type { QaResultRecord, StoredMetricSample, StudyQaRecord } from './catalog/qa-store.js';
export type { StageRunRow, StageRunTable, NewStageRunRow } from './catalog/stage-run.table.js';
export {
  countArtifactsByDigest,
  findStageRun,
  recordStageRun,
  stageRunsProducing,
  upsertJob,
} from './catalog/stage-runs.js';
export type {
  CachedStageRun,
  JobRecord,
  StageArtifactRecord,
  StageRunRecord,
} from './catalog/stage-runs.js';
