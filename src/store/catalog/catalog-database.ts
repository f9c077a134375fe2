import type { ApiTokenTable } from './api-token.table.js';
import type { ArtifactTable } from './artifact.table.js';
import type { AuditTable } from './audit.table.js';
import type { ClinicalTable } from './clinical.table.js';
import type { InstanceTable } from './instance.table.js';
import type { JobTable } from './job.table.js';
import type { ProjectTable } from './project.table.js';
import type { QaResultTable } from './qa-result.table.js';
import type { QuarantineTable } from './quarantine.table.js';
import type { SeriesTable } from './series.table.js';
import type { StageRunTable } from './stage-run.table.js';
import type { StudyTable } from './study.table.js';
import type { SubjectTable } from './subject.table.js';
import type { VisitTable } from './visit.table.js';

/**
 * The catalog schema as Kysely sees it (DESIGN.md §3): project → subject → visit → study →
 * series → instance, plus quarantine, derived artifacts, QA results, jobs, clinical data and the
 * audit trail.
 */
export interface CatalogDatabase {
  project: ProjectTable;
  subject: SubjectTable;
  visit: VisitTable;
  study: StudyTable;
  series: SeriesTable;
  instance: InstanceTable;
  quarantine: QuarantineTable;
  artifact: ArtifactTable;
  qa_result: QaResultTable;
  job: JobTable;
  clinical: ClinicalTable;
  audit: AuditTable;
  /** API tokens of the HTTP server (migration 0002). */
  api_token: ApiTokenTable;
  /** The pipeline's provenance cache (migration 0003). */
  stage_run: StageRunTable;
}

/**
 * Every catalog table, parents before children: the migration test checks that each exists, and
 * `countAll` counts each.
 */
export const CATALOG_TABLES = [
  'project',
  'subject',
  'visit',
  'study',
  'series',
  'instance',
  'quarantine',
  'artifact',
  'qa_result',
  'job',
  'clinical',
  'audit',
  'api_token',
  'stage_run',
] as const satisfies readonly (keyof CatalogDatabase)[];

/** One of {@link CATALOG_TABLES}. */
export type CatalogTableName = (typeof CATALOG_TABLES)[number];
