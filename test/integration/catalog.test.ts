import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseSeriesInstanceUid,
  parseSopInstanceUid,
  parseStudyInstanceUid,
  parseUid,
} from '../../src/core/index.js';
import type { DicomJson, SeriesInstanceUid, StudyInstanceUid } from '../../src/core/index.js';
import {
  CATALOG_MIGRATIONS,
  CATALOG_TABLES,
  countAll,
  digestOf,
  ensureProject,
  ensureSeries,
  ensureStudy,
  ensureSubject,
  ensureVisit,
  findSeries,
  getSeries,
  listInstances,
  listQuarantine,
  listSeries,
  listStudies,
  listSubjects,
  recordAudit,
  recordInstances,
  recordQuarantine,
} from '../../src/store/index.js';
import type { Catalog, InstanceRecord } from '../../src/store/index.js';
import { DIALECTS, SKIPPED_DIALECTS, openTestCatalog } from '../support/dialects.js';
import type { TestCatalog } from '../support/dialects.js';

const SOP_CLASS_MR = parseUid('1.2.840.10008.5.1.4.1.1.4');
const EXPLICIT_LE = parseUid('1.2.840.10008.1.2.1');

/** Everything a test record may vary; the rest gets plausible defaults. */
interface RecordSpec {
  readonly project?: string;
  readonly pseudonym?: string;
  readonly visit?: string;
  readonly site?: string | null;
  readonly study?: string;
  readonly date?: string | null;
  readonly series?: string;
  readonly modality?: string;
  readonly description?: string | null;
  readonly seriesNumber?: number | null;
  readonly sop: string;
  readonly instanceNumber?: number | null;
  /** Defaults to a digest derived from the SOP Instance UID, i.e. a distinct file. */
  readonly original?: string;
}

function dicom(tag: string, vr: string, value: string | number): DicomJson {
  return { [tag]: { vr, Value: [value] } };
}

function makeRecord(spec: RecordSpec): InstanceRecord {
  const studyUid = parseStudyInstanceUid(spec.study ?? '1.2.826.0.1.1');
  const seriesUid = parseSeriesInstanceUid(spec.series ?? `${studyUid}.1`);
  return {
    project: spec.project ?? 'nako',
    pseudonym: spec.pseudonym ?? 'P0001',
    sex: 'F',
    birthYear: 1960,
    visitLabel: spec.visit ?? 'baseline',
    site: spec.site === undefined ? 'berlin' : spec.site,
    study: {
      uid: studyUid,
      dateShifted: spec.date === undefined ? '20260105' : spec.date,
      description: 'MR whole body',
      dicomJson: dicom('0020000D', 'UI', studyUid),
    },
    series: {
      uid: seriesUid,
      modality: spec.modality ?? 'MR',
      description: spec.description === undefined ? 'T1_MPRAGE' : spec.description,
      number: spec.seriesNumber === undefined ? 1 : spec.seriesNumber,
      dicomJson: dicom('0008103E', 'LO', spec.description ?? 'T1_MPRAGE'),
    },
    instance: {
      sopInstanceUid: parseSopInstanceUid(spec.sop),
      sopClassUid: SOP_CLASS_MR,
      transferSyntaxUid: EXPLICIT_LE,
      instanceNumber: spec.instanceNumber === undefined ? 1 : spec.instanceNumber,
      blobDigest: digestOf(new TextEncoder().encode(`blob ${spec.sop}`)),
      originalDigest: spec.original ?? `hmac-sha256:${spec.sop}`,
      sizeBytes: 131_072,
      dicomJson: dicom('00080018', 'UI', spec.sop),
    },
    receivedAt: '2026-11-23T10:00:00.000Z',
  };
}

/** Records for one series: SOP Instance UIDs `<series>.<n>` for n = 1..count. */
function seriesRecords(count: number, spec: Omit<RecordSpec, 'sop'> = {}): InstanceRecord[] {
  const series = spec.series ?? `${spec.study ?? '1.2.826.0.1.1'}.1`;
  return Array.from({ length: count }, (_, i) =>
    makeRecord({ ...spec, series, sop: `${series}.${i + 1}`, instanceNumber: i + 1 }),
  );
}

async function count(catalog: Catalog, table: (typeof CATALOG_TABLES)[number]): Promise<number> {
  return (await countAll(catalog))[table];
}

for (const skipped of SKIPPED_DIALECTS) {
  describe.skip(`catalog on ${skipped.name} (skipped: ${skipped.reason})`, () => {
    it('runs the catalog suite', () => undefined);
  });
}

for (const dialect of DIALECTS) {
  describe(`catalog on ${dialect.name}`, () => {
    let test: TestCatalog;
    let catalog: Catalog;

    beforeEach(async () => {
      test = await openTestCatalog(dialect, { migrate: false });
      catalog = test.catalog;
    });

    afterEach(async () => {
      await test.dispose();
    });

    describe('migrations', () => {
      it('creates every table on an empty database, and a second run does nothing', async () => {
        const first = await catalog.migrate();
        expect(first.error).toBeUndefined();
        expect(first.results.map((r) => [r.migrationName, r.status])).toEqual(
          Object.keys(CATALOG_MIGRATIONS).map((name) => [name, 'Success']),
        );
        const counts = await countAll(catalog);
        expect(Object.keys(counts).sort()).toEqual([...CATALOG_TABLES].sort());
        expect(Object.values(counts).every((n) => n === 0)).toBe(true);

        const second = await catalog.migrate();
        expect(second.error).toBeUndefined();
        expect(second.results).toEqual([]);
      });

      it('reports a failed migration as a result with ERR_CATALOG_MIGRATION, without throwing', async () => {
        // A table the first migration wants to create already exists.
        await sql`create table project (id integer)`.execute(catalog.db);
        const result = await catalog.migrate();
        expect(result.error?.code).toBe('ERR_CATALOG_MIGRATION');
        expect(result.results[0]?.status).toBe('Error');
      });
    });

    describe('with the schema in place', () => {
      beforeEach(async () => {
        const { error } = await catalog.migrate();
        expect(error).toBeUndefined();
      });

      if (dialect.name === 'sqlite') {
        it('opens SQLite for durability: WAL journal, synchronous FULL, foreign keys on', async () => {
          const pragma = async (name: string): Promise<unknown> => {
            const { rows } = await sql<
              Record<string, unknown>
            >`${sql.raw(`pragma ${name}`)}`.execute(catalog.db);
            return Object.values(rows[0] ?? {})[0];
          };
          expect(await pragma('journal_mode')).toBe('wal');
          expect(await pragma('synchronous')).toBe(2); // 2 = FULL
          expect(await pragma('foreign_keys')).toBe(1);
          expect(await pragma('busy_timeout')).toBe(5000);
        });
      }

      describe('recordInstances', () => {
        it('stores new instances and creates project, subject, visit, study and series once', async () => {
          const outcomes = await recordInstances(catalog, seriesRecords(5));
          expect(outcomes).toEqual(['stored', 'stored', 'stored', 'stored', 'stored']);
          const counts = await countAll(catalog);
          expect(counts).toMatchObject({
            project: 1,
            subject: 1,
            visit: 1,
            study: 1,
            series: 1,
            instance: 5,
          });
          const [series] = await listSeries(catalog);
          expect(series).toMatchObject({ nInstances: 5, state: 'receiving', visit: 'baseline' });
        });

        it('returns an empty list for an empty batch', async () => {
          expect(await recordInstances(catalog, [])).toEqual([]);
        });

        it('reports the same SOP Instance UID twice as duplicate, within a batch and across batches', async () => {
          const a = makeRecord({ sop: '1.2.3.1' });
          const b = makeRecord({ sop: '1.2.3.2' });
          expect(await recordInstances(catalog, [a, b, a])).toEqual([
            'stored',
            'stored',
            'duplicate',
          ]);
          // Same SOP UID, different file (another original digest): still the same instance.
          const resent = makeRecord({ sop: '1.2.3.1', original: 'hmac-sha256:other' });
          const c = makeRecord({ sop: '1.2.3.3' });
          expect(await recordInstances(catalog, [resent, c])).toEqual(['duplicate', 'stored']);
          expect(await count(catalog, 'instance')).toBe(3);
          const [series] = await listSeries(catalog);
          expect(series?.nInstances).toBe(3);
        });

        it('reports the same original file twice in a project as duplicate, whatever its UIDs', async () => {
          const a = makeRecord({ sop: '1.2.4.1', original: 'hmac-sha256:same' });
          const b = makeRecord({ sop: '1.2.4.2', original: 'hmac-sha256:same' });
          expect(await recordInstances(catalog, [a, b])).toEqual(['stored', 'duplicate']);
          const c = makeRecord({ sop: '1.2.4.3', original: 'hmac-sha256:same' });
          expect(await recordInstances(catalog, [c])).toEqual(['duplicate']);
          expect(await count(catalog, 'instance')).toBe(1);
        });

        it('accepts the same original digest in another project', async () => {
          const a = makeRecord({ sop: '1.2.5.1', original: 'hmac-sha256:x' });
          const b = makeRecord({
            project: 'ukb',
            study: '1.2.826.0.9',
            sop: '1.2.5.2',
            original: 'hmac-sha256:x',
          });
          expect(await recordInstances(catalog, [a, b])).toEqual(['stored', 'stored']);
        });

        it('creates one study and one series when two batches record them concurrently', async () => {
          const batches = [0, 1, 2, 3].map((k) =>
            Array.from({ length: 25 }, (_, i) =>
              makeRecord({ study: '1.2.9.1', series: '1.2.9.1.1', sop: `1.2.9.1.1.${k}.${i + 1}` }),
            ),
          );
          const outcomes = await Promise.all(batches.map((b) => recordInstances(catalog, b)));
          expect(outcomes.flat().every((o) => o === 'stored')).toBe(true);
          expect(await countAll(catalog)).toMatchObject({
            project: 1,
            subject: 1,
            visit: 1,
            study: 1,
            series: 1,
            instance: 100,
          });
          const [series] = await listSeries(catalog);
          expect(series?.nInstances).toBe(100);
        });

        it('stores one of two concurrent batches carrying the same instances, the other sees duplicates', async () => {
          const batch = seriesRecords(20, { study: '1.2.10.1' });
          const [x, y] = await Promise.all([
            recordInstances(catalog, batch),
            recordInstances(catalog, [...batch].reverse()),
          ]);
          const stored = [...x, ...y].filter((o) => o === 'stored').length;
          expect(stored).toBe(20);
          const [series] = await listSeries(catalog);
          expect(series?.nInstances).toBe(20);
        });

        it('puts a stable series back to receiving when another instance arrives', async () => {
          await recordInstances(catalog, seriesRecords(2));
          await catalog.db.updateTable('series').set({ state: 'stable' }).execute();
          const before = (await listSeries(catalog))[0]!;
          await recordInstances(catalog, [
            makeRecord({ sop: '1.2.826.0.1.1.1.99', instanceNumber: 99 }),
          ]);
          const after = (await listSeries(catalog))[0]!;
          expect(after.state).toBe('receiving');
          expect(after.nInstances).toBe(3);
          expect(after.updatedAt >= before.updatedAt).toBe(true);
        });

        it('records nothing when one row of the batch is rejected by the database', async () => {
          const good = makeRecord({ sop: '1.2.11.1' });
          const bad = {
            ...makeRecord({ sop: '1.2.11.2' }),
            instance: { ...makeRecord({ sop: '1.2.11.2' }).instance, sizeBytes: null },
          } as unknown as InstanceRecord;
          await expect(recordInstances(catalog, [good, bad])).rejects.toMatchObject({
            code: 'ERR_CATALOG',
          });
          expect(await countAll(catalog)).toMatchObject({ project: 0, study: 0, instance: 0 });
        });

        it('rejects a malformed blob digest before touching the database', async () => {
          const record = makeRecord({ sop: '1.2.12.1' });
          const bad = {
            ...record,
            instance: { ...record.instance, blobDigest: 'md5:abc' },
          } as unknown as InstanceRecord;
          await expect(recordInstances(catalog, [bad])).rejects.toMatchObject({
            code: 'ERR_STORE_INVALID_DIGEST',
          });
        });

        it('stores a study date as DA whatever form it came in, and an unreadable one as null', async () => {
          await recordInstances(catalog, [
            makeRecord({ study: '1.2.13.1', sop: '1.2.13.1.1', date: '2026-01-07' }),
            makeRecord({ study: '1.2.13.2', sop: '1.2.13.2.1', date: '2026.01.08' }),
            makeRecord({ study: '1.2.13.3', sop: '1.2.13.3.1', date: 'yesterday' }),
          ]);
          const dates = (await listStudies(catalog)).map((s) => [
            s.studyInstanceUid,
            s.studyDateShifted,
          ]);
          expect(dates).toEqual([
            ['1.2.13.1', '20260107'],
            ['1.2.13.2', '20260108'],
            ['1.2.13.3', null],
          ]);
        });
      });

      describe('ensure*', () => {
        it('returns one id for one key under concurrent callers, and reports one creation', async () => {
          const project = await ensureProject(catalog.db, 'nako');
          const subject = await ensureSubject(catalog.db, {
            projectId: project.id,
            pseudonym: 'P1',
          });
          const visit = await ensureVisit(catalog.db, {
            subjectId: subject.id,
            label: 'follow-up-2',
          });
          const uid = parseStudyInstanceUid('1.2.14.1');
          const studies = await Promise.all(
            Array.from({ length: 8 }, () =>
              ensureStudy(catalog.db, {
                subjectId: subject.id,
                visitId: visit.id,
                studyInstanceUid: uid,
              }),
            ),
          );
          expect(new Set(studies.map((s) => s.id)).size).toBe(1);
          expect(studies.filter((s) => s.created)).toHaveLength(1);
          const seriesUid = parseSeriesInstanceUid('1.2.14.1.1');
          const series = await Promise.all(
            Array.from({ length: 8 }, () =>
              ensureSeries(catalog.db, {
                studyId: studies[0]!.id,
                seriesInstanceUid: seriesUid,
                modality: 'MR',
              }),
            ),
          );
          expect(new Set(series.map((s) => s.id)).size).toBe(1);
          expect(series.filter((s) => s.created)).toHaveLength(1);
          expect(await ensureProject(catalog.db, 'nako')).toEqual({
            id: project.id,
            created: false,
          });
          const visitRow = await catalog.db
            .selectFrom('visit')
            .selectAll()
            .where('id', '=', visit.id)
            .executeTakeFirstOrThrow();
          expect(visitRow.visit_index).toBe(2);
        });

        it('works inside a caller’s transaction', async () => {
          const id = await catalog.db.transaction().execute(async (trx) => {
            const project = await ensureProject(trx, 'in-trx', { config: { compression: 'gzip' } });
            return project.id;
          });
          const row = await catalog.db
            .selectFrom('project')
            .selectAll()
            .where('id', '=', id)
            .executeTakeFirstOrThrow();
          expect(JSON.parse(row.config_json)).toEqual({ compression: 'gzip' });
          expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        });
      });

      describe('list queries', () => {
        const S1 = '1.2.20.1'; // nako, P1, berlin, baseline, 2026-01-05
        const S2 = '1.2.20.2'; // nako, P1, berlin, follow-up-1, 2028-02-10
        const S3 = '1.2.20.3'; // nako, P2, hamburg, baseline, 2026-03-01
        const S4 = '1.2.20.4'; // ukb, P9, leipzig, baseline, no date

        beforeEach(async () => {
          await recordInstances(catalog, [
            ...seriesRecords(3, {
              study: S1,
              series: `${S1}.1`,
              pseudonym: 'P1',
              date: '20260105',
            }),
            ...seriesRecords(2, {
              study: S1,
              series: `${S1}.2`,
              pseudonym: 'P1',
              description: 'T2_FLAIR 100%_sag',
              seriesNumber: 2,
            }),
            ...seriesRecords(1, {
              study: S2,
              series: `${S2}.1`,
              pseudonym: 'P1',
              visit: 'follow-up-1',
              date: '2028-02-10',
            }),
            ...seriesRecords(2, {
              study: S3,
              series: `${S3}.1`,
              pseudonym: 'P2',
              site: 'hamburg',
              date: '20260301',
              modality: 'CT',
              description: 'Thorax',
            }),
            ...seriesRecords(1, {
              project: 'ukb',
              study: S4,
              series: `${S4}.1`,
              pseudonym: 'P9',
              site: 'leipzig',
              date: null,
              description: null,
              seriesNumber: null,
            }),
          ]);
        });

        it('lists subjects with their study counts, filtered by project and pseudonym', async () => {
          const all = await listSubjects(catalog);
          expect(all.map((s) => [s.project, s.pseudonym, s.nStudies])).toEqual([
            ['nako', 'P1', 2],
            ['nako', 'P2', 1],
            ['ukb', 'P9', 1],
          ]);
          expect((await listSubjects(catalog, { project: 'ukb' })).map((s) => s.pseudonym)).toEqual(
            ['P9'],
          );
          expect(await listSubjects(catalog, { pseudonym: 'P2' })).toHaveLength(1);
          expect(all[0]).toMatchObject({ sex: 'F', birthYear: 1960 });
          expect(await listSubjects(catalog, { project: 'none' })).toEqual([]);
        });

        it('pages with limit and offset in a stable order', async () => {
          const page1 = await listSubjects(catalog, { limit: 2 });
          const page2 = await listSubjects(catalog, { limit: 2, offset: 2 });
          expect([...page1, ...page2].map((s) => s.pseudonym)).toEqual(['P1', 'P2', 'P9']);
          await expect(listSubjects(catalog, { limit: -1 })).rejects.toMatchObject({
            code: 'ERR_USAGE',
          });
        });

        it('lists studies filtered by project, site, visit, pseudonym, UID and date range', async () => {
          const uids = async (filter: Parameters<typeof listStudies>[1]): Promise<string[]> =>
            (await listStudies(catalog, filter)).map((s) => s.studyInstanceUid);
          expect(await uids({})).toEqual([S1, S2, S3, S4]);
          expect(await uids({ project: 'nako' })).toEqual([S1, S2, S3]);
          expect(await uids({ site: 'hamburg' })).toEqual([S3]);
          expect(await uids({ visit: 'follow-up-1' })).toEqual([S2]);
          expect(await uids({ pseudonym: 'P1' })).toEqual([S1, S2]);
          expect(await uids({ studyUid: parseStudyInstanceUid(S3) })).toEqual([S3]);
          expect(await uids({ dateFrom: '20260201' })).toEqual([S2, S3]);
          expect(await uids({ dateTo: '2026-03-01' })).toEqual([S1, S3]);
          expect(await uids({ dateFrom: '2026-01-05', dateTo: '20260105' })).toEqual([S1]);
          await expect(uids({ dateFrom: 'soon' })).rejects.toMatchObject({ code: 'ERR_USAGE' });
          const [s1] = await listStudies(catalog, { studyUid: parseStudyInstanceUid(S1) });
          expect(s1).toEqual({
            id: expect.any(Number) as number,
            studyInstanceUid: S1,
            project: 'nako',
            pseudonym: 'P1',
            visit: 'baseline',
            visitIndex: 0,
            site: 'berlin',
            studyDateShifted: '20260105',
            description: 'MR whole body',
            nSeries: 2,
            nInstances: 5,
          });
        });

        it('lists series filtered by project, site, visit, modality, description, study and state', async () => {
          const uids = async (filter: Parameters<typeof listSeries>[1]): Promise<string[]> =>
            (await listSeries(catalog, filter)).map((s) => s.seriesInstanceUid);
          expect(await uids({})).toEqual([`${S1}.1`, `${S1}.2`, `${S2}.1`, `${S3}.1`, `${S4}.1`]);
          expect(await uids({ project: 'ukb' })).toEqual([`${S4}.1`]);
          expect(await uids({ site: 'berlin' })).toEqual([`${S1}.1`, `${S1}.2`, `${S2}.1`]);
          expect(await uids({ visit: 'follow-up-1' })).toEqual([`${S2}.1`]);
          expect(await uids({ modality: 'CT' })).toEqual([`${S3}.1`]);
          expect(await uids({ description: 'mprage' })).toEqual([`${S1}.1`, `${S2}.1`]);
          expect(await uids({ description: 'FLAIR 100%' })).toEqual([`${S1}.2`]);
          // `%` and `_` are literal characters, not wildcards.
          expect(await uids({ description: '%' })).toEqual([`${S1}.2`]);
          expect(await uids({ description: 't1_' })).toEqual([`${S1}.1`, `${S2}.1`]);
          expect(await uids({ description: 't1x' })).toEqual([]);
          expect(await uids({ studyUid: parseStudyInstanceUid(S1) })).toEqual([
            `${S1}.1`,
            `${S1}.2`,
          ]);
          expect(await uids({ state: 'stable' })).toEqual([]);
          expect(await uids({ pseudonym: 'P2', modality: 'CT' })).toEqual([`${S3}.1`]);
          const [first] = await listSeries(catalog, { limit: 1 });
          expect(first).toMatchObject({
            seriesInstanceUid: `${S1}.1`,
            studyInstanceUid: S1,
            project: 'nako',
            pseudonym: 'P1',
            visit: 'baseline',
            site: 'berlin',
            modality: 'MR',
            seriesDescription: 'T1_MPRAGE',
            seriesNumber: 1,
            protocolSeriesKey: null,
            nInstances: 3,
            state: 'receiving',
          });
          expect(first?.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        });

        it('finds one series with its study context and DICOM JSON', async () => {
          const uid = parseSeriesInstanceUid(`${S1}.2`);
          const series = await findSeries(catalog, uid);
          expect(series).toMatchObject({
            seriesInstanceUid: uid,
            studyDateShifted: '20260105',
            studyDescription: 'MR whole body',
            dicomJson: { '0008103E': { vr: 'LO', Value: ['T2_FLAIR 100%_sag'] } },
          });
          const missing = parseSeriesInstanceUid('9.9.9');
          expect(await findSeries(catalog, missing)).toBeUndefined();
          await expect(getSeries(catalog, missing)).rejects.toMatchObject({
            code: 'ERR_CATALOG_NOT_FOUND',
          });
        });

        it('lists the instances of a series by instance number, unnumbered last', async () => {
          const seriesUid: SeriesInstanceUid = parseSeriesInstanceUid(`${S1}.1`);
          await recordInstances(catalog, [
            makeRecord({
              study: S1,
              series: seriesUid,
              sop: `${seriesUid}.0`,
              instanceNumber: null,
            }),
          ]);
          const rows = await listInstances(catalog, { seriesUid });
          expect(rows.map((r) => [r.sopInstanceUid, r.instanceNumber])).toEqual([
            [`${seriesUid}.1`, 1],
            [`${seriesUid}.2`, 2],
            [`${seriesUid}.3`, 3],
            [`${seriesUid}.0`, null],
          ]);
          expect(rows[0]).toMatchObject({
            seriesInstanceUid: seriesUid,
            sopClassUid: SOP_CLASS_MR,
            transferSyntaxUid: EXPLICIT_LE,
            sizeBytes: 131_072,
            receivedAt: '2026-11-23T10:00:00.000Z',
          });
          expect(rows[0]?.blobDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
          const page = await listInstances(catalog, { seriesUid, limit: 2, offset: 1 });
          expect(page.map((r) => r.instanceNumber)).toEqual([2, 3]);
          expect(
            await listInstances(catalog, { seriesUid: parseSeriesInstanceUid('9.9') }),
          ).toEqual([]);
        });

        it('counts every table', async () => {
          expect(await countAll(catalog)).toEqual({
            project: 2,
            subject: 3,
            visit: 4,
            study: 4,
            series: 5,
            instance: 9,
            quarantine: 0,
            artifact: 0,
            qa_result: 0,
            job: 0,
            clinical: 0,
            audit: 0,
            api_token: 0,
            stage_run: 0,
          });
        });
      });

      describe('quarantine and audit', () => {
        it('records quarantined inputs and lists them by reason code and project', async () => {
          const digest = digestOf(new Uint8Array([1, 2, 3]));
          const ids = await recordQuarantine(catalog, [
            {
              project: 'nako',
              source: '/in/a.dcm',
              reasonCode: 'ERR_DICOM_PARSE',
              reason: 'bad tag',
              blobDigest: digest,
              sizeBytes: 3,
              receivedAt: '2026-11-23T11:00:00Z',
            },
            {
              source: 'STORESCU@10.0.0.7',
              reasonCode: 'ERR_DICOM_MISSING_UID',
              reason: 'no SOP UID',
            },
            {
              project: 'nako',
              source: '/in/b.dcm',
              reasonCode: 'ERR_DICOM_PARSE',
              reason: 'truncated',
            },
          ]);
          expect(ids).toHaveLength(3);
          expect(new Set(ids).size).toBe(3);
          const all = await listQuarantine(catalog);
          expect(all.map((q) => q.id)).toEqual(ids);
          expect(all[0]).toEqual({
            id: ids[0],
            project: 'nako',
            source: '/in/a.dcm',
            reasonCode: 'ERR_DICOM_PARSE',
            reason: 'bad tag',
            blobDigest: digest,
            sizeBytes: 3,
            receivedAt: '2026-11-23T11:00:00.000Z',
          });
          expect(all[1]).toMatchObject({ project: null, blobDigest: null, sizeBytes: null });
          const parse = await listQuarantine(catalog, { reasonCode: 'ERR_DICOM_PARSE' });
          expect(parse.map((q) => q.source)).toEqual(['/in/a.dcm', '/in/b.dcm']);
          expect(
            await listQuarantine(catalog, { project: 'nako', limit: 1, offset: 1 }),
          ).toHaveLength(1);
          expect(await recordQuarantine(catalog, [])).toEqual([]);
        });

        it('appends audit entries with their detail as JSON', async () => {
          const id = await recordAudit(catalog, {
            actor: 'cli:alice',
            action: 'export',
            target: '1.2.3',
            detail: { format: 'nifti', files: 1 },
          });
          await recordAudit(catalog, {
            actor: 'ingest',
            action: 'ingest',
            target: '/in',
            at: new Date(0),
          });
          const rows = await catalog.db.selectFrom('audit').selectAll().orderBy('id').execute();
          expect(rows).toHaveLength(2);
          expect(rows[0]).toMatchObject({
            id,
            actor: 'cli:alice',
            action: 'export',
            target: '1.2.3',
          });
          expect(JSON.parse(rows[0]!.detail_json)).toEqual({ format: 'nifti', files: 1 });
          expect(rows[1]).toMatchObject({ at: '1970-01-01T00:00:00.000Z', detail_json: '{}' });
          const recent = await catalog.db
            .selectFrom('audit')
            .select('id')
            .where('at', '>=', '2000-01-01T00:00:00.000Z')
            .execute();
          expect(recent.map((r) => r.id)).toEqual([id]);
        });
      });

      it('cascades a subject’s deletion to its visits, studies, series and instances', async () => {
        await recordInstances(catalog, seriesRecords(3));
        await catalog.db.deleteFrom('subject').execute();
        expect(await countAll(catalog)).toMatchObject({
          project: 1,
          subject: 0,
          visit: 0,
          study: 0,
          series: 0,
          instance: 0,
        });
      });

      it('keeps a study’s identity when records disagree about it (first writer wins)', async () => {
        const studyUid: StudyInstanceUid = parseStudyInstanceUid('1.2.30.1');
        await recordInstances(catalog, [
          makeRecord({ study: studyUid, sop: '1.2.30.1.1.1', site: 'berlin' }),
        ]);
        await recordInstances(catalog, [
          makeRecord({ study: studyUid, sop: '1.2.30.1.1.2', site: 'essen' }),
        ]);
        const studies = await listStudies(catalog);
        expect(studies.map((s) => [s.site, s.nInstances])).toEqual([['berlin', 2]]);
      });
    });
  });
}
