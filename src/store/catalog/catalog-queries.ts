import { sql } from 'kysely';
import { PlatformError } from '../../core/index.js';
import type {
  BlobDigest,
  DicomJson,
  SeriesInstanceUid,
  SopInstanceUid,
  StudyInstanceUid,
  Uid,
} from '../../core/index.js';
import { CATALOG_TABLES } from './catalog-database.js';
import type { CatalogTableName } from './catalog-database.js';
import { catalogError } from './catalog-error.js';
import { filterDate, pageOf } from './catalog-values.js';
import type { Page } from './catalog-values.js';
import type { IsoTimestamp } from './column-types.js';
import { containsIgnoringCase, nullsLastKey } from './dialects.js';
import type { CatalogHandle } from './dialects.js';
import type { SeriesState } from './series.table.js';

/** Filters of {@link listSubjects}. */
export interface SubjectFilter extends Page {
  /** Project name. */
  readonly project?: string;
  readonly pseudonym?: string;
}

/** A subject as `medscale ls subjects` shows it. */
export interface SubjectSummary {
  readonly id: number;
  readonly project: string;
  readonly pseudonym: string;
  readonly sex: string | null;
  readonly birthYear: number | null;
  readonly createdAt: IsoTimestamp;
  /** Studies catalogued for the subject. */
  readonly nStudies: number;
}

/** Filters of {@link listStudies}; all given ones must match. */
export interface StudyFilter extends Page {
  readonly project?: string;
  readonly pseudonym?: string;
  readonly site?: string;
  /** Visit label (`baseline`, `follow-up-1`). */
  readonly visit?: string;
  /** Earliest shifted study date, inclusive: `YYYYMMDD` or `YYYY-MM-DD`. */
  readonly dateFrom?: string;
  /** Latest shifted study date, inclusive: `YYYYMMDD` or `YYYY-MM-DD`. */
  readonly dateTo?: string;
  readonly studyUid?: StudyInstanceUid;
}

/** A study with its subject and visit, as `medscale ls studies` shows it. */
export interface StudySummary {
  readonly id: number;
  readonly studyInstanceUid: StudyInstanceUid;
  readonly project: string;
  readonly pseudonym: string;
  /** Visit label. */
  readonly visit: string;
  readonly visitIndex: number | null;
  readonly site: string | null;
  /** Shifted study date as DA (`YYYYMMDD`). */
  readonly studyDateShifted: string | null;
  readonly description: string | null;
  readonly nSeries: number;
  /** Instances over all its series. */
  readonly nInstances: number;
}

/** Filters of {@link listSeries}; all given ones must match. */
export interface SeriesFilter extends Page {
  readonly project?: string;
  readonly pseudonym?: string;
  readonly site?: string;
  /** Visit label. */
  readonly visit?: string;
  /** Modality (0008,0060), exact: `MR`. */
  readonly modality?: string;
  /** A substring of the Series Description, ignoring ASCII case: `t1` finds `T1_MPRAGE`. */
  readonly description?: string;
  readonly studyUid?: StudyInstanceUid;
  readonly state?: SeriesState;
}

/** A series with its study, subject and visit, as `medscale ls series` shows it. */
export interface SeriesSummary {
  readonly id: number;
  readonly seriesInstanceUid: SeriesInstanceUid;
  readonly studyInstanceUid: StudyInstanceUid;
  readonly project: string;
  readonly pseudonym: string;
  /** Visit label. */
  readonly visit: string;
  readonly site: string | null;
  readonly modality: string;
  readonly seriesDescription: string | null;
  readonly seriesNumber: number | null;
  readonly protocolSeriesKey: string | null;
  readonly nInstances: number;
  readonly state: SeriesState;
  readonly updatedAt: IsoTimestamp;
}

/** A series with everything the catalog knows about it, from {@link findSeries}. */
export interface SeriesDetail extends SeriesSummary {
  readonly studyDateShifted: string | null;
  readonly studyDescription: string | null;
  /** The series-level attributes (PS3.18 Annex F). */
  readonly dicomJson: DicomJson;
}

/** Filters of {@link listInstances}. */
export interface InstanceFilter extends Page {
  readonly seriesUid: SeriesInstanceUid;
}

/** An instance as `medscale ls instances` shows it. */
export interface InstanceSummary {
  readonly id: number;
  readonly sopInstanceUid: SopInstanceUid;
  readonly seriesInstanceUid: SeriesInstanceUid;
  readonly sopClassUid: Uid;
  readonly transferSyntaxUid: Uid;
  readonly instanceNumber: number | null;
  readonly blobDigest: BlobDigest;
  /** Size of the stored file, in bytes. */
  readonly sizeBytes: number;
  readonly receivedAt: IsoTimestamp;
}

/** Filters of {@link listQuarantine}. */
export interface QuarantineFilter extends Page {
  /** Error code, exact: `ERR_DICOM_PARSE`. */
  readonly reasonCode?: string;
  readonly project?: string;
}

/** A quarantined input. */
export interface QuarantineSummary {
  readonly id: number;
  readonly project: string | null;
  readonly source: string;
  readonly reasonCode: string;
  readonly reason: string;
  readonly blobDigest: BlobDigest | null;
  readonly sizeBytes: number | null;
  readonly receivedAt: IsoTimestamp;
}

/** Row counts per catalog table. */
export type CatalogCounts = Readonly<Record<CatalogTableName, number>>;

/**
 * Subjects, by project and pseudonym.
 *
 * @example
 * ```ts
 * await listSubjects(catalog, { project: 'nako', limit: 20 });
 * ```
 */
export async function listSubjects(
  catalog: CatalogHandle,
  filter: SubjectFilter = {},
): Promise<readonly SubjectSummary[]> {
  const { limit, offset } = pageOf(filter);
  let query = catalog.db
    .selectFrom('subject')
    .innerJoin('project', 'project.id', 'subject.project_id')
    .select((eb) => [
      'subject.id as id',
      'project.name as project',
      'subject.pseudonym as pseudonym',
      'subject.sex as sex',
      'subject.birth_year as birthYear',
      'subject.created_at as createdAt',
      eb
        .selectFrom('study')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('study.subject_id', '=', 'subject.id')
        .as('nStudies'),
    ]);
  if (filter.project !== undefined) query = query.where('project.name', '=', filter.project);
  if (filter.pseudonym !== undefined)
    query = query.where('subject.pseudonym', '=', filter.pseudonym);
  const rows = await run(catalog, 'list subjects', () =>
    query
      .orderBy('project.name')
      .orderBy('subject.pseudonym')
      .orderBy('subject.id')
      .limit(limit)
      .offset(offset)
      .execute(),
  );
  return rows.map((row) => ({ ...row, nStudies: row.nStudies ?? 0 }));
}

/** Studies with their subject and visit, by project, pseudonym, visit, date and UID. */
export async function listStudies(
  catalog: CatalogHandle,
  filter: StudyFilter = {},
): Promise<readonly StudySummary[]> {
  const { limit, offset } = pageOf(filter);
  const dateFrom =
    filter.dateFrom === undefined ? undefined : filterDate(filter.dateFrom, 'dateFrom');
  const dateTo = filter.dateTo === undefined ? undefined : filterDate(filter.dateTo, 'dateTo');
  let query = catalog.db
    .selectFrom('study')
    .innerJoin('subject', 'subject.id', 'study.subject_id')
    .innerJoin('project', 'project.id', 'subject.project_id')
    .innerJoin('visit', 'visit.id', 'study.visit_id')
    .select((eb) => [
      'study.id as id',
      'study.study_instance_uid as studyInstanceUid',
      'project.name as project',
      'subject.pseudonym as pseudonym',
      'visit.label as visit',
      'visit.visit_index as visitIndex',
      'study.site as site',
      'study.study_date_shifted as studyDateShifted',
      'study.description as description',
      eb
        .selectFrom('series')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('series.study_id', '=', 'study.id')
        .as('nSeries'),
      eb
        .selectFrom('series')
        .select((sub) => sub.fn.sum<number>('series.n_instances').as('n'))
        .whereRef('series.study_id', '=', 'study.id')
        .as('nInstances'),
    ]);
  if (filter.project !== undefined) query = query.where('project.name', '=', filter.project);
  if (filter.pseudonym !== undefined)
    query = query.where('subject.pseudonym', '=', filter.pseudonym);
  if (filter.site !== undefined) query = query.where('study.site', '=', filter.site);
  if (filter.visit !== undefined) query = query.where('visit.label', '=', filter.visit);
  if (dateFrom !== undefined) query = query.where('study.study_date_shifted', '>=', dateFrom);
  if (dateTo !== undefined) query = query.where('study.study_date_shifted', '<=', dateTo);
  if (filter.studyUid !== undefined) {
    query = query.where('study.study_instance_uid', '=', filter.studyUid);
  }
  const rows = await run(catalog, 'list studies', () =>
    query
      .orderBy('project.name')
      .orderBy('subject.pseudonym')
      .orderBy(nullsLastKey(sql.ref('visit.visit_index')))
      .orderBy('visit.visit_index')
      .orderBy(nullsLastKey(sql.ref('study.study_date_shifted')))
      .orderBy('study.study_date_shifted')
      .orderBy('study.study_instance_uid')
      .limit(limit)
      .offset(offset)
      .execute(),
  );
  return rows.map((row) => ({
    ...row,
    nSeries: row.nSeries ?? 0,
    nInstances: row.nInstances ?? 0,
  }));
}

function seriesQuery(catalog: CatalogHandle) {
  return catalog.db
    .selectFrom('series')
    .innerJoin('study', 'study.id', 'series.study_id')
    .innerJoin('subject', 'subject.id', 'study.subject_id')
    .innerJoin('project', 'project.id', 'subject.project_id')
    .innerJoin('visit', 'visit.id', 'study.visit_id')
    .select([
      'series.id as id',
      'series.series_instance_uid as seriesInstanceUid',
      'study.study_instance_uid as studyInstanceUid',
      'project.name as project',
      'subject.pseudonym as pseudonym',
      'visit.label as visit',
      'study.site as site',
      'series.modality as modality',
      'series.series_description as seriesDescription',
      'series.series_number as seriesNumber',
      'series.protocol_series_key as protocolSeriesKey',
      'series.n_instances as nInstances',
      'series.state as state',
      'series.updated_at as updatedAt',
    ]);
}

/** Series with their study, subject and visit, by subject, visit, study and series number. */
export async function listSeries(
  catalog: CatalogHandle,
  filter: SeriesFilter = {},
): Promise<readonly SeriesSummary[]> {
  const { limit, offset } = pageOf(filter);
  let query = seriesQuery(catalog);
  if (filter.project !== undefined) query = query.where('project.name', '=', filter.project);
  if (filter.pseudonym !== undefined)
    query = query.where('subject.pseudonym', '=', filter.pseudonym);
  if (filter.site !== undefined) query = query.where('study.site', '=', filter.site);
  if (filter.visit !== undefined) query = query.where('visit.label', '=', filter.visit);
  if (filter.modality !== undefined) query = query.where('series.modality', '=', filter.modality);
  if (filter.description !== undefined) {
    query = query.where(
      containsIgnoringCase(sql.ref('series.series_description'), filter.description),
    );
  }
  if (filter.studyUid !== undefined) {
    query = query.where('study.study_instance_uid', '=', filter.studyUid);
  }
  if (filter.state !== undefined) query = query.where('series.state', '=', filter.state);
  return run(catalog, 'list series', () =>
    query
      .orderBy('project.name')
      .orderBy('subject.pseudonym')
      .orderBy(nullsLastKey(sql.ref('visit.visit_index')))
      .orderBy('visit.visit_index')
      .orderBy('study.study_instance_uid')
      .orderBy(nullsLastKey(sql.ref('series.series_number')))
      .orderBy('series.series_number')
      .orderBy('series.series_instance_uid')
      .limit(limit)
      .offset(offset)
      .execute(),
  );
}

/** The series with this UID and its context, or `undefined` when it is not catalogued. */
export async function findSeries(
  catalog: CatalogHandle,
  uid: SeriesInstanceUid,
): Promise<SeriesDetail | undefined> {
  const row = await run(catalog, `find series ${uid}`, () =>
    seriesQuery(catalog)
      .select([
        'study.study_date_shifted as studyDateShifted',
        'study.description as studyDescription',
        'series.dicom_json as dicomJson',
      ])
      .where('series.series_instance_uid', '=', uid)
      .executeTakeFirst(),
  );
  if (row === undefined) return undefined;
  return { ...row, dicomJson: JSON.parse(row.dicomJson) as DicomJson };
}

/** Like {@link findSeries}, but throws `ERR_CATALOG_NOT_FOUND` when the series is not catalogued. */
export async function getSeries(
  catalog: CatalogHandle,
  uid: SeriesInstanceUid,
): Promise<SeriesDetail> {
  const series = await findSeries(catalog, uid);
  if (series === undefined) {
    throw new PlatformError('ERR_CATALOG_NOT_FOUND', `series ${uid} is not in the catalog`);
  }
  return series;
}

/** Instances of one series, by Instance Number (missing numbers last), then SOP Instance UID. */
export async function listInstances(
  catalog: CatalogHandle,
  filter: InstanceFilter,
): Promise<readonly InstanceSummary[]> {
  const { limit, offset } = pageOf(filter);
  return run(catalog, `list instances of ${filter.seriesUid}`, () =>
    catalog.db
      .selectFrom('instance')
      .innerJoin('series', 'series.id', 'instance.series_id')
      .select([
        'instance.id as id',
        'instance.sop_instance_uid as sopInstanceUid',
        'series.series_instance_uid as seriesInstanceUid',
        'instance.sop_class_uid as sopClassUid',
        'instance.transfer_syntax_uid as transferSyntaxUid',
        'instance.instance_number as instanceNumber',
        'instance.blob_digest as blobDigest',
        'instance.size_bytes as sizeBytes',
        'instance.received_at as receivedAt',
      ])
      .where('series.series_instance_uid', '=', filter.seriesUid)
      .orderBy(nullsLastKey(sql.ref('instance.instance_number')))
      .orderBy('instance.instance_number')
      .orderBy('instance.sop_instance_uid')
      .limit(limit)
      .offset(offset)
      .execute(),
  );
}

/** Quarantined inputs, oldest first. */
export async function listQuarantine(
  catalog: CatalogHandle,
  filter: QuarantineFilter = {},
): Promise<readonly QuarantineSummary[]> {
  const { limit, offset } = pageOf(filter);
  let query = catalog.db
    .selectFrom('quarantine')
    .leftJoin('project', 'project.id', 'quarantine.project_id')
    .select([
      'quarantine.id as id',
      'project.name as project',
      'quarantine.source as source',
      'quarantine.reason_code as reasonCode',
      'quarantine.reason as reason',
      'quarantine.blob_digest as blobDigest',
      'quarantine.size_bytes as sizeBytes',
      'quarantine.received_at as receivedAt',
    ]);
  if (filter.reasonCode !== undefined) {
    query = query.where('quarantine.reason_code', '=', filter.reasonCode);
  }
  if (filter.project !== undefined) query = query.where('project.name', '=', filter.project);
  return run(catalog, 'list quarantine', () =>
    query.orderBy('quarantine.id').limit(limit).offset(offset).execute(),
  );
}

/** Row counts of every catalog table, in one query. */
export async function countAll(catalog: CatalogHandle): Promise<CatalogCounts> {
  const row = await run(catalog, 'count rows', () =>
    catalog.db
      .selectNoFrom((eb) =>
        CATALOG_TABLES.map((table) =>
          eb.selectFrom(table).select(eb.fn.countAll<number>().as('n')).as(table),
        ),
      )
      .executeTakeFirstOrThrow(),
  );
  const counts = {} as Record<CatalogTableName, number>;
  for (const table of CATALOG_TABLES) counts[table] = row[table] ?? 0;
  return counts;
}

async function run<T>(catalog: CatalogHandle, what: string, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    throw catalogError(`cannot ${what}`, catalog.dialect, error);
  }
}
