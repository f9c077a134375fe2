import type { BlobDigest } from '../../core/index.js';
import { writeTransaction } from './dialects.js';
import type { CatalogHandle } from './dialects.js';
import type { QaStatus } from './qa-result.table.js';

/** One QA result to store: a check on a series (by UID) or on the study. */
export interface QaResultRecord {
  /** Series Instance UID as stored; absent for a study-level check. */
  readonly seriesInstanceUid?: string;
  readonly check: string;
  readonly status: QaStatus;
  readonly value: number | null;
  readonly expected: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** What {@link replaceStudyQa} stores for one study. */
export interface StudyQaRecord {
  readonly studyInstanceUid: string;
  readonly protocolVersion: string;
  readonly results: readonly QaResultRecord[];
  /** Protocol series key per Series Instance UID, for `series.protocol_series_key`. */
  readonly seriesKeys: ReadonlyMap<string, string | null>;
  /** The session report (JSON) already put in the blob store, recorded as a `qa_report` artifact. */
  readonly report?: {
    readonly digest: BlobDigest;
    readonly stage: string;
    readonly stageVersion: number;
    readonly params: unknown;
    readonly inputs: readonly string[];
  };
}

/** Rows inserted per statement: well under SQLite's 32,766 bound variables at 8 columns. */
const CHUNK = 500;

/**
 * Replaces a study's QA results in one transaction: the previous results of the study go, the new
 * ones come, its series get their protocol key and the `qa_done` state, and the report artifact
 * is recorded. A reader sees either the old results or the new ones, never a mix.
 *
 * @returns the number of result rows stored.
 */
export async function replaceStudyQa(
  catalog: CatalogHandle,
  record: StudyQaRecord,
): Promise<number> {
  return writeTransaction(catalog, async (trx) => {
    const study = await trx
      .selectFrom('study')
      .select(['id', 'subject_id'])
      .where('study_instance_uid', '=', record.studyInstanceUid as never)
      .executeTakeFirstOrThrow();
    const series = await trx
      .selectFrom('series')
      .select(['id', 'series_instance_uid'])
      .where('study_id', '=', study.id)
      .execute();
    const seriesId = new Map(series.map((s) => [s.series_instance_uid as string, s.id]));
    await trx.deleteFrom('qa_result').where('study_id', '=', study.id).execute();
    const rows = record.results.map((r) => ({
      series_id:
        r.seriesInstanceUid === undefined ? null : (seriesId.get(r.seriesInstanceUid) ?? null),
      study_id: study.id,
      check: r.check,
      status: r.status,
      value: r.value !== null && Number.isFinite(r.value) ? r.value : null,
      expected: r.expected,
      detail_json: JSON.stringify(r.detail),
      protocol_version: record.protocolVersion,
    }));
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto('qa_result')
        .values(rows.slice(i, i + CHUNK))
        .execute();
    }
    const now = new Date().toISOString();
    for (const s of series) {
      const key = record.seriesKeys.get(s.series_instance_uid) ?? null;
      await trx
        .updateTable('series')
        .set({ protocol_series_key: key, state: 'qa_done', updated_at: now as never })
        .where('id', '=', s.id)
        .execute();
    }
    if (record.report !== undefined) {
      await trx
        .insertInto('artifact')
        .values({
          digest: record.report.digest,
          kind: 'qa_report',
          format: 'json',
          subject_id: study.subject_id,
          series_id: null,
          stage: record.report.stage,
          stage_version: record.report.stageVersion,
          params_json: JSON.stringify(record.report.params),
          inputs_json: JSON.stringify(record.report.inputs),
        })
        .execute();
    }
    return rows.length;
  });
}

/** One stored metric value, for normative ranges. */
export interface StoredMetricSample {
  readonly studyInstanceUid: string;
  readonly site: string | null;
  readonly seriesKey: string;
  /** Metric name (the check name without `normative.`). */
  readonly metric: string;
  readonly value: number;
  readonly studyDateShifted: string | null;
}

/**
 * Every metric value QA has stored (the `normative.*` results), with its site and protocol series:
 * the history that normative ranges are learned from.
 */
export async function listMetricHistory(
  catalog: CatalogHandle,
  filter: { readonly site?: string } = {},
): Promise<readonly StoredMetricSample[]> {
  let query = catalog.db
    .selectFrom('qa_result')
    .innerJoin('series', 'series.id', 'qa_result.series_id')
    .innerJoin('study', 'study.id', 'qa_result.study_id')
    .select([
      'study.study_instance_uid as studyInstanceUid',
      'study.site as site',
      'study.study_date_shifted as studyDateShifted',
      'series.protocol_series_key as seriesKey',
      'qa_result.check as check',
      'qa_result.value as value',
    ])
    .where('qa_result.check', 'like', 'normative.%')
    .where('qa_result.value', 'is not', null)
    .where('series.protocol_series_key', 'is not', null);
  if (filter.site !== undefined) query = query.where('study.site', '=', filter.site);
  const rows = await query.execute();
  return rows.map((r) => ({
    studyInstanceUid: r.studyInstanceUid,
    site: r.site,
    seriesKey: r.seriesKey ?? '',
    metric: r.check.slice('normative.'.length),
    value: Number(r.value),
    studyDateShifted: r.studyDateShifted,
  }));
}

/** Session-level status per study, from the stored `session` result rows. */
export async function listSessionStatuses(
  catalog: CatalogHandle,
): Promise<readonly { studyInstanceUid: string; status: QaStatus; site: string | null }[]> {
  const rows = await catalog.db
    .selectFrom('qa_result')
    .innerJoin('study', 'study.id', 'qa_result.study_id')
    .select(['study.study_instance_uid as uid', 'qa_result.status as status', 'study.site as site'])
    .where('qa_result.check', '=', 'session')
    .execute();
  return rows.map((r) => ({ studyInstanceUid: r.uid, status: r.status, site: r.site }));
}
