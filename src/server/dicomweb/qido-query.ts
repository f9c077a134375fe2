import { sql } from 'kysely';
import type { Expression, SqlBool } from 'kysely';
import type { DicomAttribute, DicomJson } from '../../core/index.js';
import { PlatformError, TAG } from '../../core/index.js';
import type { CatalogHandle } from '../../store/index.js';
import { hasWildcard, matchesAll, parseRange, uidList } from './qido-match.js';
import type { MatchKey } from './qido-match.js';

/** The query level of a QIDO-RS search (PS3.18 §10.6.1). */
export type QidoLevel = 'study' | 'series' | 'instance';

/** A QIDO-RS search, parsed from the path and query string. */
export interface QidoQuery {
  readonly level: QidoLevel;
  /** Matching keys; the path's UIDs (`/studies/{study}/series`) arrive here as UID keys too. */
  readonly keys: readonly MatchKey[];
  readonly limit: number;
  readonly offset: number;
}

/** One result row: the datasets of its level and of the levels above it. */
export interface QidoRow {
  readonly id: number;
  readonly study: DicomJson;
  readonly series?: DicomJson;
  readonly instance?: DicomJson;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid?: string;
  readonly sopInstanceUid?: string;
  /** Study level: series and instance counts and modalities; series level: instance count. */
  readonly nSeries?: number;
  readonly nInstances?: number;
  readonly modalities?: readonly string[];
}

/** Result of {@link searchCatalog}. */
export interface QidoResult {
  readonly rows: readonly QidoRow[];
  /** Whether more rows matched than were returned (for the PS3.18 §8.3.4.4 Warning header). */
  readonly more: boolean;
  /** Rows whose DICOM JSON was parsed to match in JavaScript (0 when SQL did all the matching). */
  readonly scanned: number;
}

type Column =
  | 'study.study_instance_uid'
  | 'study.study_date_shifted'
  | 'study.description'
  | 'subject.pseudonym'
  | 'series.series_instance_uid'
  | 'series.modality'
  | 'series.series_description'
  | 'series.series_number'
  | 'instance.sop_instance_uid'
  | 'instance.sop_class_uid'
  | 'instance.instance_number';

/** Attributes held in an indexed or plain catalog column, by tag, and the lowest level that has it. */
const COLUMNS: Readonly<
  Record<string, { column: Column; level: QidoLevel; kind: 'uid' | 'date' | 'text' | 'int' }>
> = {
  [TAG.StudyInstanceUID]: { column: 'study.study_instance_uid', level: 'study', kind: 'uid' },
  [TAG.StudyDate]: { column: 'study.study_date_shifted', level: 'study', kind: 'date' },
  [TAG.StudyDescription]: { column: 'study.description', level: 'study', kind: 'text' },
  // De-identification writes the pseudonym as PatientID (DESIGN.md §3), so the column is exact.
  [TAG.PatientID]: { column: 'subject.pseudonym', level: 'study', kind: 'text' },
  [TAG.SeriesInstanceUID]: { column: 'series.series_instance_uid', level: 'series', kind: 'uid' },
  [TAG.Modality]: { column: 'series.modality', level: 'series', kind: 'text' },
  [TAG.SeriesDescription]: {
    column: 'series.series_description',
    level: 'series',
    kind: 'text',
  },
  [TAG.SeriesNumber]: { column: 'series.series_number', level: 'series', kind: 'int' },
  [TAG.SOPInstanceUID]: { column: 'instance.sop_instance_uid', level: 'instance', kind: 'uid' },
  [TAG.SOPClassUID]: { column: 'instance.sop_class_uid', level: 'instance', kind: 'uid' },
  [TAG.InstanceNumber]: { column: 'instance.instance_number', level: 'instance', kind: 'int' },
};

const MODALITIES_IN_STUDY = '00080061';
const LEVEL_RANK: Readonly<Record<QidoLevel, number>> = { study: 0, series: 1, instance: 2 };
/** Rows fetched per round trip when matching in JavaScript. */
const SCAN_CHUNK = 500;

interface Plan {
  readonly where: Expression<SqlBool>[];
  /** Keys SQL cannot decide exactly: re-checked on the parsed DICOM JSON. */
  readonly jsKeys: MatchKey[];
}

function likePattern(value: string): string {
  return value
    .replace(/[\\%_]/g, '\\$&')
    .replaceAll('*', '%')
    .replaceAll('?', '_');
}

/**
 * Splits the keys into SQL conditions and JavaScript re-checks. Exact UID lists, date ranges,
 * exact text and integers on catalog columns are decided by SQL alone. Wildcards on a column
 * become a LIKE prefilter (case-insensitive on SQLite, so re-checked in JavaScript for the
 * case-sensitive semantics of PS3.4 C.2.2.2.4). Any other attribute is matched on the DICOM
 * JSON in JavaScript.
 */
function plan(level: QidoLevel, keys: readonly MatchKey[]): Plan {
  const where: Expression<SqlBool>[] = [];
  const jsKeys: MatchKey[] = [];
  for (const key of keys) {
    if (key.value === '') continue;
    if (key.tag === MODALITIES_IN_STUDY && level === 'study') {
      const wanted = uidList(key.value);
      where.push(
        sql<SqlBool>`exists (select 1 from series s where s.study_id = study.id and s.modality in (${sql.join(wanted)}))`,
      );
      continue;
    }
    const col = COLUMNS[key.tag];
    if (col === undefined || LEVEL_RANK[col.level] > LEVEL_RANK[level]) {
      jsKeys.push(key);
      continue;
    }
    const ref = sql.ref(col.column);
    if (col.kind === 'uid') {
      where.push(sql<SqlBool>`${ref} in (${sql.join(uidList(key.value))})`);
    } else if (col.kind === 'date') {
      const range = parseRange(key.value);
      if (range === undefined && !/^\d{8}$/.test(key.value)) {
        throw new PlatformError(
          'ERR_USAGE',
          `StudyDate must be YYYYMMDD or a range, got "${key.value}"`,
        );
      }
      if (range === undefined) where.push(sql<SqlBool>`${ref} = ${key.value}`);
      else {
        if (range.from !== undefined) where.push(sql<SqlBool>`${ref} >= ${range.from}`);
        if (range.to !== undefined) where.push(sql<SqlBool>`${ref} <= ${range.to}`);
      }
    } else if (col.kind === 'int') {
      const n = Number(key.value);
      if (!Number.isSafeInteger(n)) jsKeys.push(key);
      else where.push(sql<SqlBool>`${ref} = ${n}`);
    } else if (hasWildcard(key.value)) {
      where.push(sql<SqlBool>`${ref} like ${likePattern(key.value)} escape '\\'`);
      jsKeys.push(key);
    } else {
      where.push(sql<SqlBool>`${ref} = ${key.value}`);
    }
  }
  return { where, jsKeys };
}

function parseJson(value: unknown): DicomJson {
  // Text in SQLite; jsonb may come back parsed from PostgreSQL.
  return (typeof value === 'string' ? JSON.parse(value) : value) as DicomJson;
}

function baseQuery(catalog: CatalogHandle, level: QidoLevel) {
  const study = catalog.db
    .selectFrom('study')
    .innerJoin('subject', 'subject.id', 'study.subject_id')
    .select(['study.study_instance_uid as studyUid', 'study.dicom_json as studyJson']);
  if (level === 'study') return study.select('study.id as id');
  const series = study
    .innerJoin('series', 'series.study_id', 'study.id')
    .select([
      'series.series_instance_uid as seriesUid',
      'series.dicom_json as seriesJson',
      'series.n_instances as nInstances',
    ]);
  if (level === 'series') return series.select('series.id as id');
  return series
    .innerJoin('instance', 'instance.series_id', 'series.id')
    .select([
      'instance.id as id',
      'instance.sop_instance_uid as sopUid',
      'instance.dicom_json as instanceJson',
    ]);
}

interface RawRow {
  readonly id: number;
  readonly studyUid: string;
  readonly studyJson: unknown;
  readonly seriesUid?: string;
  readonly seriesJson?: unknown;
  readonly nInstances?: number;
  readonly sopUid?: string;
  readonly instanceJson?: unknown;
}

function idColumn(level: QidoLevel): 'study.id' | 'series.id' | 'instance.id' {
  return level === 'study' ? 'study.id' : level === 'series' ? 'series.id' : 'instance.id';
}

function toRow(raw: RawRow): QidoRow {
  return {
    id: raw.id,
    studyInstanceUid: raw.studyUid,
    study: parseJson(raw.studyJson),
    ...(raw.seriesUid === undefined ? {} : { seriesInstanceUid: raw.seriesUid }),
    ...(raw.seriesJson === undefined ? {} : { series: parseJson(raw.seriesJson) }),
    ...(raw.nInstances === undefined ? {} : { nInstances: raw.nInstances }),
    ...(raw.sopUid === undefined ? {} : { sopInstanceUid: raw.sopUid }),
    ...(raw.instanceJson === undefined ? {} : { instance: parseJson(raw.instanceJson) }),
  };
}

/** The datasets of a row merged, higher levels first, so lower-level values win. */
export function mergedJson(row: QidoRow): DicomJson {
  return { ...row.study, ...(row.series ?? {}), ...(row.instance ?? {}) };
}

/**
 * Runs a QIDO-RS search against the catalog (PS3.18 §10.6; matching PS3.4 C.2.2.2).
 *
 * @remarks
 * Cost: keys on catalog columns (UIDs, StudyDate, PatientID, descriptions, Modality, numbers)
 * run in SQL with `limit`/`offset` pushed down: one indexed query. Any other key (AccessionNumber,
 * PatientName, wildcards) forces a scan: rows the SQL part selects are fetched in chunks of 500
 * by id (keyset paging) and their DICOM JSON parsed and matched in JavaScript until
 * `offset + limit` rows matched, so its cost grows with the rows the SQL part leaves, not with
 * the page. Narrow such searches by a column key (a date range, a modality) to keep them fast.
 */
export async function searchCatalog(catalog: CatalogHandle, query: QidoQuery): Promise<QidoResult> {
  const { level, limit, offset } = query;
  const { where, jsKeys } = plan(level, query.keys);
  const idCol = idColumn(level);
  const filtered = () => {
    let q = baseQuery(catalog, level);
    for (const condition of where) q = q.where(condition);
    return q;
  };
  let rows: QidoRow[];
  let more: boolean;
  let scanned = 0;
  if (jsKeys.length === 0) {
    const raw = (await filtered()
      .orderBy(sql.ref(idCol))
      .limit(limit + 1)
      .offset(offset)
      .execute()) as RawRow[];
    more = raw.length > limit;
    rows = raw.slice(0, limit).map(toRow);
  } else {
    rows = [];
    more = false;
    let skipped = 0;
    let lastId = 0;
    scan: for (;;) {
      const raw = (await filtered()
        .where(sql.ref(idCol), '>', lastId)
        .orderBy(sql.ref(idCol))
        .limit(SCAN_CHUNK)
        .execute()) as RawRow[];
      for (const r of raw) {
        scanned++;
        const row = toRow(r);
        if (!matchesAll(mergedJson(row), jsKeys)) continue;
        if (skipped < offset) {
          skipped++;
          continue;
        }
        if (rows.length === limit) {
          more = true;
          break scan;
        }
        rows.push(row);
      }
      if (raw.length < SCAN_CHUNK) break;
      lastId = raw[raw.length - 1]?.id ?? lastId;
    }
  }
  return { rows: await withCounts(catalog, level, rows), more, scanned };
}

async function withCounts(
  catalog: CatalogHandle,
  level: QidoLevel,
  rows: QidoRow[],
): Promise<QidoRow[]> {
  if (level !== 'study' || rows.length === 0) return rows;
  const ids = rows.map((r) => r.id);
  const series = await catalog.db
    .selectFrom('series')
    .select(['study_id', 'modality', 'n_instances'])
    .where('study_id', 'in', ids)
    .execute();
  const byStudy = new Map<number, { n: number; instances: number; modalities: Set<string> }>();
  for (const s of series) {
    const entry = byStudy.get(s.study_id) ?? { n: 0, instances: 0, modalities: new Set<string>() };
    entry.n++;
    entry.instances += s.n_instances;
    entry.modalities.add(s.modality);
    byStudy.set(s.study_id, entry);
  }
  return rows.map((row) => {
    const entry = byStudy.get(row.id);
    return {
      ...row,
      nSeries: entry?.n ?? 0,
      nInstances: entry?.instances ?? 0,
      modalities: [...(entry?.modalities ?? [])].sort(),
    };
  });
}

/** Tags every instance-level QIDO-RS result carries (PS3.18 Table 10.6.3-5, in part). */
export const INSTANCE_DEFAULT_TAGS: readonly string[] = [
  TAG.SOPClassUID,
  TAG.SOPInstanceUID,
  '00080056', // InstanceAvailability
  TAG.InstanceNumber,
  TAG.Rows,
  TAG.Columns,
  TAG.BitsAllocated,
  TAG.NumberOfFrames,
  TAG.StudyInstanceUID,
  TAG.SeriesInstanceUID,
  TAG.Modality,
];

function pick(json: DicomJson, tags: Iterable<string>): Record<string, DicomAttribute> {
  const out: Record<string, DicomAttribute> = {};
  for (const tag of tags) {
    const attribute = json[tag];
    if (attribute !== undefined) out[tag] = attribute;
  }
  return out;
}

/** What to return besides a level's defaults: `includefield` tags, or every attribute. */
export type IncludeFields = 'all' | ReadonlySet<string>;

/**
 * The DICOM JSON of one result (PS3.18 §10.6.3.3.1): the stored dataset of its level, attributes
 * of the levels above named by `includefield` or matched on, the counts of PS3.18 Table
 * 10.6.3-3/-4 and RetrieveURL (0008,1190).
 */
export function resultJson(
  level: QidoLevel,
  row: QidoRow,
  include: IncludeFields,
  retrieveUrl: string,
): DicomJson {
  const merged = mergedJson(row);
  const wanted = include === 'all' ? Object.keys(merged) : include;
  const out: Record<string, DicomAttribute> = {};
  if (level === 'study') {
    Object.assign(out, row.study, {
      [MODALITIES_IN_STUDY]: { vr: 'CS', Value: row.modalities ?? [] },
      '00201206': { vr: 'IS', Value: [row.nSeries ?? 0] },
      '00201208': { vr: 'IS', Value: [row.nInstances ?? 0] },
    });
  } else if (level === 'series') {
    Object.assign(out, pick(row.study, wanted), row.series, {
      [TAG.StudyInstanceUID]: { vr: 'UI', Value: [row.studyInstanceUid] },
      '00201209': { vr: 'IS', Value: [row.nInstances ?? 0] },
    });
  } else {
    Object.assign(out, pick(merged, INSTANCE_DEFAULT_TAGS), pick(merged, wanted), {
      [TAG.StudyInstanceUID]: { vr: 'UI', Value: [row.studyInstanceUid] },
      [TAG.SeriesInstanceUID]: { vr: 'UI', Value: [row.seriesInstanceUid] },
    });
  }
  out['00081190'] = { vr: 'UR', Value: [retrieveUrl] };
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
