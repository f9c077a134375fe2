import type { Kysely } from 'kysely';
import { PlatformError, parseBlobDigest } from '../../core/index.js';
import type {
  BlobDigest,
  DicomJson,
  SeriesInstanceUid,
  SopInstanceUid,
  StudyInstanceUid,
  Uid,
} from '../../core/index.js';
import type { CatalogDatabase } from './catalog-database.js';
import { jsonText, toIsoTimestamp } from './catalog-values.js';
import { catalogError } from './catalog-error.js';
import { writeTransaction } from './dialects.js';
import type { CatalogHandle } from './dialects.js';
import {
  ensureProject,
  ensureSeries,
  ensureStudy,
  ensureSubject,
  ensureVisit,
} from './ensure-rows.js';
import type { NewInstanceRow } from './instance.table.js';

/** Everything the catalog records about one received instance, from project down. */
export interface InstanceRecord {
  /** Project name; created on first use. */
  readonly project: string;
  /** The subject's pseudonym within the project. */
  readonly pseudonym: string;
  /** Patient's Sex (0010,0040): `M`, `F` or `O`; kept from the first instance of the subject. */
  readonly sex: string | null;
  readonly birthYear: number | null;
  /** `baseline`, `follow-up-1`, … */
  readonly visitLabel: string;
  /** The acquiring centre. */
  readonly site: string | null;
  readonly study: {
    readonly uid: StudyInstanceUid;
    /** Study Date after the date shift: DA `YYYYMMDD` or `YYYY-MM-DD`; null if unreadable. */
    readonly dateShifted: string | null;
    readonly description: string | null;
    /** Study-level attributes (PS3.18 Annex F); stored from the study's first instance. */
    readonly dicomJson: DicomJson;
  };
  readonly series: {
    readonly uid: SeriesInstanceUid;
    readonly modality: string;
    readonly description: string | null;
    /** Series Number (0020,0011). */
    readonly number: number | null;
    /** Series-level attributes (PS3.18 Annex F); stored from the series' first instance. */
    readonly dicomJson: DicomJson;
  };
  readonly instance: {
    readonly sopInstanceUid: SopInstanceUid;
    readonly sopClassUid: Uid;
    readonly transferSyntaxUid: Uid;
    readonly instanceNumber: number | null;
    /** Address of the stored (de-identified) file; the blob must already be durable. */
    readonly blobDigest: BlobDigest;
    /** Keyed digest of the original file (`hmac-sha256:…`); unique per project. */
    readonly originalDigest: string;
    /** Size of the stored file, in bytes. */
    readonly sizeBytes: number;
    /** Instance-level attributes (PS3.18 Annex F). */
    readonly dicomJson: DicomJson;
  };
  /** When the instance arrived: an ISO 8601 string or a Date. */
  readonly receivedAt: string | Date;
}

/**
 * What happened to one record: `stored`, or `duplicate` when its SOP Instance UID or (within the
 * project) its original file's digest was already catalogued, or appeared earlier in the batch.
 */
export type RecordOutcome = 'stored' | 'duplicate';

/** Rows per multi-row insert: 11 parameters each keeps a chunk far below SQLite's 32,766. */
const INSERT_CHUNK = 500;

interface Keys {
  project: string;
  subject: string;
  visit: string;
}

function keysOf(record: InstanceRecord): Keys {
  // NUL cannot occur in names or UIDs, so joined keys cannot collide.
  const subject = `${record.project}\0${record.pseudonym}`;
  return { project: record.project, subject, visit: `${subject}\0${record.visitLabel}` };
}

/** The sort order of parents: project, subject, visit, study, series. */
const PARENT_ORDER: readonly ((record: InstanceRecord) => string)[] = [
  (r) => r.project,
  (r) => r.pseudonym,
  (r) => r.visitLabel,
  (r) => r.study.uid,
  (r) => r.series.uid,
];

function compareRecords(a: InstanceRecord, b: InstanceRecord): number {
  for (const key of PARENT_ORDER) {
    const x = key(a);
    const y = key(b);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function idOf(ids: ReadonlyMap<string, number>, key: string): number {
  const id = ids.get(key);
  if (id === undefined) throw new PlatformError('ERR_INTERNAL', `no catalog id for ${key}`);
  return id;
}

/**
 * Records a batch of received instances in one transaction: creates the project, subject, visit,
 * study and series rows each needs (insert-or-get), inserts the instances, and adds the number
 * stored to each series' `n_instances`. Returns one outcome per record, in input order.
 *
 * @remarks
 * A duplicate (same SOP Instance UID, or same original digest within the project) is an outcome,
 * not an error: sending a file twice is normal. The transaction is all or nothing; on error it
 * throws `ERR_CATALOG` (`retryable` for busy, deadlocked or lost connections) and records nothing.
 *
 * A series that receives new instances goes back to state `receiving` and its `updated_at` moves
 * on, so the stability detector sees it again and QA runs on the complete series.
 *
 * Parents are ensured in sorted key order and instances inserted in SOP Instance UID order, so
 * that concurrent batches on PostgreSQL take row locks in the same order (the remaining deadlocks
 * are retried by {@link writeTransaction}).
 *
 * @example
 * ```ts
 * const outcomes = await recordInstances(catalog, [record, record]);
 * // returns ['stored', 'duplicate']
 * ```
 */
export async function recordInstances(
  catalog: CatalogHandle,
  records: readonly InstanceRecord[],
): Promise<readonly RecordOutcome[]> {
  if (records.length === 0) return [];
  // Validate and serialise outside the transaction, which then holds its locks only for I/O.
  const prepared = records.map((record) => ({
    record,
    receivedAt: toIsoTimestamp(record.receivedAt),
    blobDigest: parseBlobDigest(record.instance.blobDigest),
    dicomJson: jsonText(record.instance.dicomJson),
  }));
  try {
    return await writeTransaction(catalog, (trx) => recordIn(trx, prepared));
  } catch (error) {
    throw catalogError(`cannot record ${records.length} instances`, catalog.dialect, error);
  }
}

interface Prepared {
  readonly record: InstanceRecord;
  readonly receivedAt: string;
  readonly blobDigest: BlobDigest;
  readonly dicomJson: string;
}

async function recordIn(
  trx: Kysely<CatalogDatabase>,
  prepared: readonly Prepared[],
): Promise<RecordOutcome[]> {
  const projects = new Map<string, number>();
  const subjects = new Map<string, number>();
  const visits = new Map<string, number>();
  const studies = new Map<string, number>();
  const series = new Map<string, number>();

  // 1. Parents, once per distinct key per batch, in sorted order.
  for (const { record } of [...prepared].sort((a, b) => compareRecords(a.record, b.record))) {
    const keys = keysOf(record);
    let projectId = projects.get(keys.project);
    if (projectId === undefined) {
      projectId = (await ensureProject(trx, record.project)).id;
      projects.set(keys.project, projectId);
    }
    let subjectId = subjects.get(keys.subject);
    if (subjectId === undefined) {
      subjectId = (
        await ensureSubject(trx, {
          projectId,
          pseudonym: record.pseudonym,
          sex: record.sex,
          birthYear: record.birthYear,
        })
      ).id;
      subjects.set(keys.subject, subjectId);
    }
    let visitId = visits.get(keys.visit);
    if (visitId === undefined) {
      visitId = (await ensureVisit(trx, { subjectId, label: record.visitLabel })).id;
      visits.set(keys.visit, visitId);
    }
    let studyId = studies.get(record.study.uid);
    if (studyId === undefined) {
      studyId = (
        await ensureStudy(trx, {
          subjectId,
          visitId,
          studyInstanceUid: record.study.uid,
          site: record.site,
          dateShifted: record.study.dateShifted,
          description: record.study.description,
          dicomJson: record.study.dicomJson,
        })
      ).id;
      studies.set(record.study.uid, studyId);
    }
    if (!series.has(record.series.uid)) {
      const { id } = await ensureSeries(trx, {
        studyId,
        seriesInstanceUid: record.series.uid,
        modality: record.series.modality,
        description: record.series.description,
        number: record.series.number,
        dicomJson: record.series.dicomJson,
      });
      series.set(record.series.uid, id);
    }
  }

  // 2. Instances. Repeats within the batch are settled here, so that each SOP Instance UID and
  // each (project, original digest) appears at most once in the insert and the rows it returns
  // map back to records one to one.
  const outcomes = new Array<RecordOutcome>(prepared.length).fill('duplicate');
  const seenSop = new Set<string>();
  const seenOriginal = new Set<string>();
  const candidates: { index: number; row: NewInstanceRow }[] = [];
  prepared.forEach(({ record, receivedAt, blobDigest, dicomJson }, index) => {
    const projectId = idOf(projects, record.project);
    const originalKey = `${projectId}\0${record.instance.originalDigest}`;
    if (seenSop.has(record.instance.sopInstanceUid) || seenOriginal.has(originalKey)) return;
    seenSop.add(record.instance.sopInstanceUid);
    seenOriginal.add(originalKey);
    candidates.push({
      index,
      row: {
        series_id: idOf(series, record.series.uid),
        project_id: projectId,
        sop_instance_uid: record.instance.sopInstanceUid,
        sop_class_uid: record.instance.sopClassUid,
        transfer_syntax_uid: record.instance.transferSyntaxUid,
        instance_number: record.instance.instanceNumber,
        blob_digest: blobDigest,
        original_digest: record.instance.originalDigest,
        size_bytes: record.instance.sizeBytes,
        dicom_json: dicomJson,
        received_at: receivedAt,
      },
    });
  });
  candidates.sort((a, b) =>
    a.row.sop_instance_uid < b.row.sop_instance_uid
      ? -1
      : a.row.sop_instance_uid > b.row.sop_instance_uid
        ? 1
        : 0,
  );
  const stored = new Set<string>();
  for (let start = 0; start < candidates.length; start += INSERT_CHUNK) {
    const chunk = candidates.slice(start, start + INSERT_CHUNK);
    const inserted = await trx
      .insertInto('instance')
      .values(chunk.map((c) => c.row))
      .onConflict((oc) => oc.doNothing())
      .returning('sop_instance_uid')
      .execute();
    for (const row of inserted) stored.add(row.sop_instance_uid);
  }

  // 3. Counts, per series, in id order.
  const added = new Map<number, number>();
  for (const { index, row } of candidates) {
    if (!stored.has(row.sop_instance_uid)) continue;
    outcomes[index] = 'stored';
    added.set(row.series_id, (added.get(row.series_id) ?? 0) + 1);
  }
  const now = toIsoTimestamp(new Date());
  for (const [seriesId, count] of [...added].sort((a, b) => a[0] - b[0])) {
    await trx
      .updateTable('series')
      .set((eb) => ({
        n_instances: eb('n_instances', '+', count),
        state: 'receiving' as const,
        updated_at: now,
      }))
      .where('id', '=', seriesId)
      .execute();
  }
  return outcomes;
}
