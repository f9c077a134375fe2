import type { Kysely } from 'kysely';
import { PlatformError } from '../../core/index.js';
import type {
  DicomJson,
  JsonObject,
  SeriesInstanceUid,
  StudyInstanceUid,
} from '../../core/index.js';
import type { CatalogDatabase } from './catalog-database.js';
import { catalogDate, jsonText, toIsoTimestamp, visitIndexOf } from './catalog-values.js';

/** What an `ensure*` function reports: the row's id and whether this call inserted it. */
export interface EnsureResult {
  readonly id: number;
  readonly created: boolean;
}

/**
 * Insert-or-get, safe against concurrent writers: look up; if absent, insert with
 * `ON CONFLICT DO NOTHING`; if that inserted nothing, someone else won the race, so look up again.
 *
 * @remarks
 * Under PostgreSQL's read committed, the insert waits for a concurrent uncommitted insert of the
 * same key and then does nothing; the second lookup runs with a new snapshot and sees the
 * winner's row. The first lookup only saves the insert (and its WAL) in the common case.
 */
async function insertOrGet(
  find: () => Promise<{ id: number } | undefined>,
  insert: () => Promise<{ id: number } | undefined>,
  what: string,
): Promise<EnsureResult> {
  const found = await find();
  if (found !== undefined) return { id: found.id, created: false };
  const inserted = await insert();
  if (inserted !== undefined) return { id: inserted.id, created: true };
  const raced = await find();
  if (raced !== undefined) return { id: raced.id, created: false };
  throw new PlatformError('ERR_CATALOG', `${what}: insert conflicted but no row was found`, {
    retryable: true,
  });
}

/** Options of {@link ensureProject}. */
export interface EnsureProjectOptions {
  /** Settings stored with a new project (an existing one keeps its own). */
  readonly config?: JsonObject;
}

/** The id of project `name`, inserting it first if needed. */
export function ensureProject(
  db: Kysely<CatalogDatabase>,
  name: string,
  options: EnsureProjectOptions = {},
): Promise<EnsureResult> {
  return insertOrGet(
    () => db.selectFrom('project').select('id').where('name', '=', name).executeTakeFirst(),
    () =>
      db
        .insertInto('project')
        .values({
          name,
          created_at: toIsoTimestamp(new Date()),
          config_json: jsonText(options.config ?? {}),
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst(),
    `project ${name}`,
  );
}

/** What identifies and describes a subject. */
export interface SubjectInput {
  readonly projectId: number;
  readonly pseudonym: string;
  /** Patient's Sex (0010,0040): `M`, `F` or `O`. */
  readonly sex?: string | null;
  readonly birthYear?: number | null;
}

/** The id of subject (project, pseudonym), inserting it first if needed. */
export function ensureSubject(
  db: Kysely<CatalogDatabase>,
  subject: SubjectInput,
): Promise<EnsureResult> {
  return insertOrGet(
    () =>
      db
        .selectFrom('subject')
        .select('id')
        .where('project_id', '=', subject.projectId)
        .where('pseudonym', '=', subject.pseudonym)
        .executeTakeFirst(),
    () =>
      db
        .insertInto('subject')
        .values({
          project_id: subject.projectId,
          pseudonym: subject.pseudonym,
          sex: subject.sex ?? null,
          birth_year: subject.birthYear ?? null,
          created_at: toIsoTimestamp(new Date()),
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst(),
    `subject ${subject.pseudonym}`,
  );
}

/** What identifies a visit. */
export interface VisitInput {
  readonly subjectId: number;
  /** `baseline`, `follow-up-1`, … */
  readonly label: string;
  /**
   * Order of the visit.
   * @defaultValue derived from the label: 0 for `baseline`, n for `follow-up-n`, else null
   */
  readonly visitIndex?: number | null;
}

/** The id of visit (subject, label), inserting it first if needed. */
export function ensureVisit(db: Kysely<CatalogDatabase>, visit: VisitInput): Promise<EnsureResult> {
  return insertOrGet(
    () =>
      db
        .selectFrom('visit')
        .select('id')
        .where('subject_id', '=', visit.subjectId)
        .where('label', '=', visit.label)
        .executeTakeFirst(),
    () =>
      db
        .insertInto('visit')
        .values({
          subject_id: visit.subjectId,
          label: visit.label,
          visit_index:
            visit.visitIndex === undefined ? visitIndexOf(visit.label) : visit.visitIndex,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst(),
    `visit ${visit.label}`,
  );
}

/** What identifies and describes a study. */
export interface StudyInput {
  readonly subjectId: number;
  readonly visitId: number;
  readonly studyInstanceUid: StudyInstanceUid;
  readonly site?: string | null;
  /** Shifted Study Date: DA `YYYYMMDD` or ISO `YYYY-MM-DD`; stored as DA, null if unreadable. */
  readonly dateShifted?: string | null;
  readonly description?: string | null;
  /** Study-level attributes (PS3.18 Annex F). */
  readonly dicomJson?: DicomJson;
}

/**
 * The id of the study with this Study Instance UID, inserting it first if needed. An existing
 * study keeps its subject, visit and attributes: the first writer wins.
 */
export function ensureStudy(db: Kysely<CatalogDatabase>, study: StudyInput): Promise<EnsureResult> {
  return insertOrGet(
    () =>
      db
        .selectFrom('study')
        .select('id')
        .where('study_instance_uid', '=', study.studyInstanceUid)
        .executeTakeFirst(),
    () =>
      db
        .insertInto('study')
        .values({
          subject_id: study.subjectId,
          visit_id: study.visitId,
          study_instance_uid: study.studyInstanceUid,
          site: study.site ?? null,
          study_date_shifted: catalogDate(study.dateShifted),
          description: study.description ?? null,
          dicom_json: jsonText(study.dicomJson ?? {}),
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst(),
    `study ${study.studyInstanceUid}`,
  );
}

/** What identifies and describes a series. */
export interface SeriesInput {
  readonly studyId: number;
  readonly seriesInstanceUid: SeriesInstanceUid;
  /** Modality (0008,0060). */
  readonly modality: string;
  readonly description?: string | null;
  readonly number?: number | null;
  readonly protocolSeriesKey?: string | null;
  /** Series-level attributes (PS3.18 Annex F). */
  readonly dicomJson?: DicomJson;
}

/**
 * The id of the series with this Series Instance UID, inserting it (state `receiving`, no
 * instances) first if needed. An existing series keeps its attributes: the first writer wins.
 */
export function ensureSeries(
  db: Kysely<CatalogDatabase>,
  series: SeriesInput,
): Promise<EnsureResult> {
  return insertOrGet(
    () =>
      db
        .selectFrom('series')
        .select('id')
        .where('series_instance_uid', '=', series.seriesInstanceUid)
        .executeTakeFirst(),
    () =>
      db
        .insertInto('series')
        .values({
          study_id: series.studyId,
          series_instance_uid: series.seriesInstanceUid,
          modality: series.modality,
          series_description: series.description ?? null,
          protocol_series_key: series.protocolSeriesKey ?? null,
          series_number: series.number ?? null,
          n_instances: 0,
          state: 'receiving',
          dicom_json: jsonText(series.dicomJson ?? {}),
          updated_at: toIsoTimestamp(new Date()),
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst(),
    `series ${series.seriesInstanceUid}`,
  );
}
