import { sql } from 'kysely';
import { PlatformError } from '../../core/index.js';
import type { BlobDigest, SeriesInstanceUid, StudyInstanceUid } from '../../core/index.js';
import type { ArtifactKind } from './artifact.table.js';
import { catalogError } from './catalog-error.js';
import { pageOf } from './catalog-values.js';
import type { Page } from './catalog-values.js';
import type { IsoTimestamp } from './column-types.js';
import { nullsLastKey } from './dialects.js';
import type { CatalogHandle } from './dialects.js';
import type { JobState } from './job.table.js';
import type { QaStatus } from './qa-result.table.js';

/** Filters of {@link listVisits}. */
export interface VisitFilter extends Page {
  /** Project name. */
  readonly project?: string;
  /** The subject's pseudonym. */
  readonly pseudonym?: string;
}

/** A visit with its subject. */
export interface VisitSummary {
  readonly id: number;
  readonly project: string;
  readonly pseudonym: string;
  /** Visit label (`baseline`, `follow-up-1`). */
  readonly label: string;
  readonly visitIndex: number | null;
  /** Studies catalogued for the visit. */
  readonly nStudies: number;
}

/** Filters of {@link listQaResults}; all given ones must match. */
export interface QaResultFilter extends Page {
  /** The study checked, or the study of the series checked. */
  readonly studyUid?: StudyInstanceUid;
  readonly seriesUid?: SeriesInstanceUid;
  readonly status?: QaStatus;
  /** Start of the check name, case-sensitive: `param.` finds every parameter check. */
  readonly checkPrefix?: string;
}

/** One QA result with the UIDs of what it checked. */
export interface QaResultSummary {
  readonly id: number;
  /** The study checked, or the study of the series checked; null if neither is known. */
  readonly studyInstanceUid: StudyInstanceUid | null;
  /** The series checked; null for a study-level check. */
  readonly seriesInstanceUid: SeriesInstanceUid | null;
  readonly check: string;
  readonly status: QaStatus;
  readonly value: number | null;
  readonly expected: string | null;
  /** The check's detail, parsed. */
  readonly detail: unknown;
  readonly protocolVersion: string | null;
}

/** Filters of {@link listArtifacts}; all given ones must match. */
export interface ArtifactFilter extends Page {
  readonly kind?: ArtifactKind;
  /** Project name of the artifact's subject. */
  readonly project?: string;
  /** Pseudonym of the artifact's subject (its own, or that of its series). */
  readonly pseudonym?: string;
  readonly seriesUid?: SeriesInstanceUid;
}

/** A derived artifact with its provenance. */
export interface ArtifactSummary {
  readonly id: number;
  /** Address of its bytes in the blob store. */
  readonly digest: BlobDigest;
  readonly kind: ArtifactKind;
  /** File format: `nifti`, `stl`, `json`, … */
  readonly format: string;
  /** The subject's project, when the artifact belongs to a subject or a series. */
  readonly project: string | null;
  readonly pseudonym: string | null;
  readonly seriesInstanceUid: SeriesInstanceUid | null;
  readonly stage: string;
  readonly stageVersion: number;
  /** The stage's parameters, parsed. */
  readonly params: unknown;
  /** The input digests, parsed. */
  readonly inputs: unknown;
  readonly createdAt: IsoTimestamp;
}

/** Filters of {@link listJobs}. */
export interface JobFilter extends Page {
  readonly state?: JobState;
  /** Stage name, exact: `qa.series`. */
  readonly stage?: string;
}

/** A pipeline job. */
export interface JobSummary {
  readonly id: number;
  readonly stage: string;
  readonly inputKey: string;
  readonly state: JobState;
  readonly attempts: number;
  /** The last failure (a `SerializedError`), parsed; null when none. */
  readonly error: unknown;
  readonly startedAt: IsoTimestamp | null;
  readonly finishedAt: IsoTimestamp | null;
  readonly worker: string | null;
}

/** Filters of {@link listClinical}; all given ones must match. */
export interface ClinicalFilter extends Page {
  readonly project?: string;
  readonly pseudonym?: string;
  /** Variable name, exact: `sbp`. */
  readonly variable?: string;
  /** Visit label, exact. */
  readonly visit?: string;
}

/** One clinical value with the subject it belongs to. */
export interface ClinicalSummary {
  readonly id: number;
  /** The subject's catalog row id. */
  readonly subjectId: number;
  readonly project: string;
  readonly pseudonym: string;
  readonly variable: string;
  /** The value as imported (text). */
  readonly value: string;
  readonly unit: string | null;
  readonly visit: string | null;
  /** Where the value came from (file name, instrument). */
  readonly source: string | null;
}

/** Visits with their subject, by project, pseudonym and visit order. */
export async function listVisits(
  catalog: CatalogHandle,
  filter: VisitFilter = {},
): Promise<readonly VisitSummary[]> {
  const { limit, offset } = pageOf(filter);
  let query = catalog.db
    .selectFrom('visit')
    .innerJoin('subject', 'subject.id', 'visit.subject_id')
    .innerJoin('project', 'project.id', 'subject.project_id')
    .select((eb) => [
      'visit.id as id',
      'project.name as project',
      'subject.pseudonym as pseudonym',
      'visit.label as label',
      'visit.visit_index as visitIndex',
      eb
        .selectFrom('study')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('study.visit_id', '=', 'visit.id')
        .as('nStudies'),
    ]);
  if (filter.project !== undefined) query = query.where('project.name', '=', filter.project);
  if (filter.pseudonym !== undefined) {
    query = query.where('subject.pseudonym', '=', filter.pseudonym);
  }
  const rows = await run(catalog, 'list visits', () =>
    query
      .orderBy('project.name')
      .orderBy('subject.pseudonym')
      .orderBy(nullsLastKey(sql.ref('visit.visit_index')))
      .orderBy('visit.visit_index')
      .orderBy('visit.label')
      .orderBy('visit.id')
      .limit(limit)
      .offset(offset)
      .execute(),
  );
  return rows.map((row) => ({ ...row, nStudies: row.nStudies ?? 0 }));
}

/**
 * QA results, in the order they were recorded, with the UIDs of the study and series checked (a
 * series-level result without its own study gets its series' study).
 */
export async function listQaResults(
  catalog: CatalogHandle,
  filter: QaResultFilter = {},
): Promise<readonly QaResultSummary[]> {
  const { limit, offset } = pageOf(filter);
  let query = catalog.db
    .selectFrom('qa_result')
    .leftJoin('series', 'series.id', 'qa_result.series_id')
    .leftJoin('study', (join) =>
      join.on((eb) => eb('study.id', '=', eb.fn.coalesce('qa_result.study_id', 'series.study_id'))),
    )
    .select([
      'qa_result.id as id',
      'study.study_instance_uid as studyInstanceUid',
      'series.series_instance_uid as seriesInstanceUid',
      'qa_result.check as check',
      'qa_result.status as status',
      'qa_result.value as value',
      'qa_result.expected as expected',
      'qa_result.detail_json as detailJson',
      'qa_result.protocol_version as protocolVersion',
    ]);
  if (filter.studyUid !== undefined) {
    query = query.where('study.study_instance_uid', '=', filter.studyUid);
  }
  if (filter.seriesUid !== undefined) {
    query = query.where('series.series_instance_uid', '=', filter.seriesUid);
  }
  if (filter.status !== undefined) query = query.where('qa_result.status', '=', filter.status);
  if (filter.checkPrefix !== undefined) {
    // substr rather than LIKE: LIKE ignores ASCII case in SQLite and not in PostgreSQL.
    const prefix = filter.checkPrefix;
    query = query.where(
      sql<string>`substr(${sql.ref('qa_result.check')}, 1, ${prefix.length})`,
      '=',
      prefix,
    );
  }
  const rows = await run(catalog, 'list QA results', () =>
    query.orderBy('qa_result.id').limit(limit).offset(offset).execute(),
  );
  return rows.map(({ detailJson, ...row }) => ({ ...row, detail: parseJson(detailJson) }));
}

function artifactQuery(catalog: CatalogHandle) {
  return catalog.db
    .selectFrom('artifact')
    .leftJoin('series', 'series.id', 'artifact.series_id')
    .leftJoin('study', 'study.id', 'series.study_id')
    .leftJoin('subject', (join) =>
      join.on((eb) =>
        eb('subject.id', '=', eb.fn.coalesce('artifact.subject_id', 'study.subject_id')),
      ),
    )
    .leftJoin('project', 'project.id', 'subject.project_id')
    .select([
      'artifact.id as id',
      'artifact.digest as digest',
      'artifact.kind as kind',
      'artifact.format as format',
      'project.name as project',
      'subject.pseudonym as pseudonym',
      'series.series_instance_uid as seriesInstanceUid',
      'artifact.stage as stage',
      'artifact.stage_version as stageVersion',
      'artifact.params_json as paramsJson',
      'artifact.inputs_json as inputsJson',
      'artifact.created_at as createdAt',
    ]);
}

type ArtifactQueryRow = Awaited<
  ReturnType<ReturnType<typeof artifactQuery>['executeTakeFirstOrThrow']>
>;

function artifactSummary({ paramsJson, inputsJson, ...row }: ArtifactQueryRow): ArtifactSummary {
  return { ...row, params: parseJson(paramsJson), inputs: parseJson(inputsJson) };
}

/** Derived artifacts, oldest first, by kind, subject and series. */
export async function listArtifacts(
  catalog: CatalogHandle,
  filter: ArtifactFilter = {},
): Promise<readonly ArtifactSummary[]> {
  const { limit, offset } = pageOf(filter);
  let query = artifactQuery(catalog);
  if (filter.kind !== undefined) query = query.where('artifact.kind', '=', filter.kind);
  if (filter.project !== undefined) query = query.where('project.name', '=', filter.project);
  if (filter.pseudonym !== undefined) {
    query = query.where('subject.pseudonym', '=', filter.pseudonym);
  }
  if (filter.seriesUid !== undefined) {
    query = query.where('series.series_instance_uid', '=', filter.seriesUid);
  }
  const rows = await run(catalog, 'list artifacts', () =>
    query.orderBy('artifact.id').limit(limit).offset(offset).execute(),
  );
  return rows.map(artifactSummary);
}

/** One artifact by its id; throws `ERR_CATALOG_NOT_FOUND` when there is none. */
export async function getArtifact(catalog: CatalogHandle, id: number): Promise<ArtifactSummary> {
  const row = await run(catalog, `read artifact ${id}`, () =>
    artifactQuery(catalog).where('artifact.id', '=', id).executeTakeFirst(),
  );
  if (row === undefined) {
    throw new PlatformError('ERR_CATALOG_NOT_FOUND', `artifact ${id} is not in the catalog`);
  }
  return artifactSummary(row);
}

/** Pipeline jobs, oldest first, by state and stage. */
export async function listJobs(
  catalog: CatalogHandle,
  filter: JobFilter = {},
): Promise<readonly JobSummary[]> {
  const { limit, offset } = pageOf(filter);
  let query = catalog.db
    .selectFrom('job')
    .select([
      'job.id as id',
      'job.stage as stage',
      'job.input_key as inputKey',
      'job.state as state',
      'job.attempts as attempts',
      'job.error_json as errorJson',
      'job.started_at as startedAt',
      'job.finished_at as finishedAt',
      'job.worker as worker',
    ]);
  if (filter.state !== undefined) query = query.where('job.state', '=', filter.state);
  if (filter.stage !== undefined) query = query.where('job.stage', '=', filter.stage);
  const rows = await run(catalog, 'list jobs', () =>
    query.orderBy('job.id').limit(limit).offset(offset).execute(),
  );
  return rows.map(({ errorJson, ...row }) => ({
    ...row,
    error: errorJson === null ? null : parseJson(errorJson),
  }));
}

/** Clinical values with their subject, by project, pseudonym, variable and visit. */
export async function listClinical(
  catalog: CatalogHandle,
  filter: ClinicalFilter = {},
): Promise<readonly ClinicalSummary[]> {
  const { limit, offset } = pageOf(filter);
  let query = catalog.db
    .selectFrom('clinical')
    .innerJoin('subject', 'subject.id', 'clinical.subject_id')
    .innerJoin('project', 'project.id', 'subject.project_id')
    .select([
      'clinical.id as id',
      'clinical.subject_id as subjectId',
      'project.name as project',
      'subject.pseudonym as pseudonym',
      'clinical.variable as variable',
      'clinical.value as value',
      'clinical.unit as unit',
      'clinical.visit as visit',
      'clinical.source as source',
    ]);
  if (filter.project !== undefined) query = query.where('project.name', '=', filter.project);
  if (filter.pseudonym !== undefined) {
    query = query.where('subject.pseudonym', '=', filter.pseudonym);
  }
  if (filter.variable !== undefined) {
    query = query.where('clinical.variable', '=', filter.variable);
  }
  if (filter.visit !== undefined) query = query.where('clinical.visit', '=', filter.visit);
  const rows = await run(catalog, 'list clinical values', () =>
    query
      .orderBy('project.name')
      .orderBy('subject.pseudonym')
      .orderBy('clinical.id')
      .limit(limit)
      .offset(offset)
      .execute(),
  );
  return rows;
}

/** A JSON column's value: text in SQLite (and from this project's PostgreSQL type parsers). */
function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

async function run<T>(catalog: CatalogHandle, what: string, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    throw catalogError(`cannot ${what}`, catalog.dialect, error);
  }
}
