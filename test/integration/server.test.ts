import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomJson } from '../../src/core/index.js';
import { parseBlobDigest, parseSeriesInstanceUid } from '../../src/core/index.js';
import { readPart10, writePart10 } from '../../src/dicom/index.js';
import { Ingestor, ingestPaths } from '../../src/ingest/index.js';
import {
  buildApp,
  createApiToken,
  encodeMultipartRelated,
  parseMultipartRelated,
  routeTable,
} from '../../src/server/index.js';
import { listAudit, listInstances, listSeries, listStudies } from '../../src/store/index.js';
import type { StudySummary } from '../../src/store/index.js';
import { Workspace } from '../../src/workspace/index.js';
import { makeMrFiles } from '../support/make-series.js';
import { DIALECTS } from '../support/dialects.js';
import type { TestDatabase } from '../support/dialects.js';
import { HAVE_PYDICOM, PYDICOM_DIR } from '../support/pydicom-files.js';

const DICOM = 'multipart/related; type="application/dicom"';

function stowBody(files: readonly Uint8Array[]): { payload: Buffer; contentType: string } {
  const boundary = 'medscale-test-boundary';
  return {
    payload: encodeMultipartRelated(
      boundary,
      files.map((body) => ({ contentType: 'application/dicom', body })),
    ),
    contentType: `${DICOM}; boundary=${boundary}`,
  };
}

/** Gives every file of a folder a Series Description (makeMrFiles writes none). */
function describeSeries(dir: string, description: string): void {
  for (const name of readdirSync(dir)) {
    const { meta, dataset } = readPart10(readFileSync(join(dir, name)));
    dataset['0008103E'] = { vr: 'LO', Value: [description] };
    writeFileSync(join(dir, name), writePart10(meta, dataset));
  }
}

function sequence(json: DicomJson, tag: string): DicomJson[] {
  return (json[tag]?.Value ?? []) as DicomJson[];
}

function first(json: DicomJson, tag: string): unknown {
  return json[tag]?.Value?.[0];
}

/** What {@link seedDerivedRows} wrote. */
interface Derived {
  readonly seriesUids: readonly [string, string];
  /** Study of the second series: a study-level QA result names it. */
  readonly studyUid: string;
  readonly maskId: number;
  readonly reportId: number;
  readonly report: Buffer;
}

/**
 * Rows the pipeline stages write and the REST API lists: QA results (series- and study-level), a
 * mask and a QA report with their blobs, jobs, and clinical values of every subject.
 */
async function seedDerivedRows(workspace: Workspace): Promise<Derived> {
  const { db } = workspace.catalog;
  const series = await db
    .selectFrom('series')
    .innerJoin('study', 'study.id', 'series.study_id')
    .select([
      'series.id as id',
      'series.series_instance_uid as uid',
      'study.id as studyId',
      'study.subject_id as subjectId',
    ])
    .orderBy('series.id')
    .execute();
  const [s0, s1] = [series[0]!, series.find((s) => s.studyId !== series[0]!.studyId)!];
  const [study1] = await db
    .selectFrom('study')
    .select('study_instance_uid')
    .where('id', '=', s1.studyId)
    .execute();
  await db
    .insertInto('qa_result')
    .values([
      {
        series_id: s0.id,
        study_id: null,
        check: 'param.repetitionTimeMs',
        status: 'pass',
        value: 2300,
        expected: '2300',
        detail_json: JSON.stringify({ tolerance: '±1 %' }),
        protocol_version: '1.0.0',
      },
      {
        series_id: s0.id,
        study_id: s0.studyId,
        check: 'iq.snr',
        status: 'warn',
        value: 12.5,
        expected: '≥ 20',
        detail_json: JSON.stringify({ reference: 'absolute' }),
        protocol_version: '1.0.0',
      },
      {
        series_id: null,
        study_id: s1.studyId,
        check: 'completeness.series',
        status: 'fail',
        value: null,
        expected: '12 series',
        detail_json: '{}',
        protocol_version: '1.0.0',
      },
    ])
    .execute();
  const mask = await workspace.blobs.put(Buffer.from('not really a NIfTI mask'));
  const report = Buffer.from(JSON.stringify({ outcome: 'warn', checks: 2 }));
  const reportBlob = await workspace.blobs.put(report);
  const artifact = (values: {
    digest: string;
    kind: 'mask' | 'qa_report';
    format: string;
    subject_id: number | null;
    series_id: number | null;
  }) =>
    db
      .insertInto('artifact')
      .values({
        ...values,
        digest: parseBlobDigest(values.digest),
        stage: values.kind === 'mask' ? 'segment.unet' : 'qa.report',
        stage_version: 1,
        params_json: JSON.stringify({ threshold: 0.5 }),
        inputs_json: JSON.stringify([values.digest]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  const maskRow = await artifact({
    digest: mask.digest,
    kind: 'mask',
    format: 'nifti',
    subject_id: null,
    series_id: s0.id,
  });
  const reportRow = await artifact({
    digest: reportBlob.digest,
    kind: 'qa_report',
    format: 'json',
    subject_id: s1.subjectId,
    series_id: null,
  });
  await db
    .insertInto('job')
    .values([
      {
        stage: 'qa.series',
        input_key: s0.uid,
        state: 'succeeded',
        attempts: 1,
        worker: 'host:1',
      },
      {
        stage: 'segment.unet',
        input_key: s1.uid,
        state: 'failed',
        attempts: 3,
        error_json: JSON.stringify({ code: 'ERR_INTERNAL', message: 'out of memory' }),
      },
      // Every row names every column: in a multi-row insert SQLite gets NULL for a missing one.
      { stage: 'qa.series', input_key: s1.uid, state: 'queued', attempts: 0 },
    ])
    .execute();
  for (const subject of await db.selectFrom('subject').select('id').orderBy('id').execute()) {
    await db
      .insertInto('clinical')
      .values([
        {
          subject_id: subject.id,
          variable: 'sbp',
          value: String(120 + subject.id),
          unit: 'mmHg',
          visit: 'baseline',
          source: 'Mustermann-labs.csv',
        },
        {
          subject_id: subject.id,
          variable: 'smoker',
          value: 'no',
          unit: null,
          visit: null,
          source: null,
        },
      ])
      .execute();
  }
  return {
    seriesUids: [s0.uid, s1.uid],
    studyUid: study1!.study_instance_uid,
    maskId: maskRow.id,
    reportId: reportRow.id,
    report,
  };
}

describe.skipIf(!HAVE_PYDICOM)('medscale serve (HTTP)', () => {
  for (const dialect of DIALECTS) {
    describe(dialect.name, () => {
      let root: string;
      let database: TestDatabase;
      let workspace: Workspace;
      let ingestor: Ingestor;
      let app: FastifyInstance;
      const tokens: Record<'admin' | 'ingest' | 'researcher', string> = {
        admin: '',
        ingest: '',
        researcher: '',
      };
      let studies: readonly StudySummary[];
      let derived: Derived;
      const auth = (role: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[role]}` });

      beforeAll(async () => {
        root = mkdtempSync(join(tmpdir(), 'medscale-server-'));
        database = await dialect.create();
        workspace = await Workspace.open(
          { dataDir: join(root, 'data'), catalogUrl: database.url },
          {},
        );
        for (const role of ['admin', 'ingest', 'researcher'] as const) {
          tokens[role] = (
            await createApiToken(workspace.catalog, { role, name: `${role}-1` })
          ).token;
        }
        // Three subjects with one MR study each, on known (pre-shift) dates.
        makeMrFiles(join(root, 'in/a'), 4, {
          perSeries: 2,
          patientId: 'A-1',
          studyDate: '20200110',
        });
        makeMrFiles(join(root, 'in/b'), 3, {
          perSeries: 3,
          patientId: 'B-2',
          studyDate: '20210620',
        });
        makeMrFiles(join(root, 'in/c'), 2, {
          perSeries: 1,
          patientId: 'C-3',
          studyDate: '20221231',
        });
        describeSeries(join(root, 'in/a'), 'T1 MPRAGE SAG');
        describeSeries(join(root, 'in/b'), 'T2 FLAIR AX');
        await ingestPaths(workspace, [join(root, 'in')], { project: 'default', workers: 2 });
        studies = await listStudies(workspace.catalog);
        derived = await seedDerivedRows(workspace);
        ingestor = await Ingestor.start(workspace, { project: 'default', workers: 2 });
        app = await buildApp({ workspace, ingestor, maxQidoResults: 50 });
      });

      afterAll(async () => {
        await app.close();
        await ingestor.close();
        await workspace.close();
        await database.drop();
        rmSync(root, { recursive: true, force: true });
      });

      describe('auth', () => {
        it('has a route table covering STOW, QIDO, WADO and REST', () => {
          const urls = routeTable(app).map((r) => `${r.method} ${r.url}`);
          expect(urls).toContain('POST /dicom-web/studies');
          expect(urls).toContain('GET /dicom-web/studies');
          expect(urls).toContain(
            'GET /dicom-web/studies/:study/series/:series/instances/:instance',
          );
          expect(urls).toContain('GET /api/audit');
          for (const path of ['visits', 'qa-results', 'artifacts', 'jobs', 'clinical']) {
            expect(urls).toContain(`GET /api/${path}`);
          }
          expect(urls).toContain('GET /api/artifacts/:id/download');
          expect(urls.length).toBeGreaterThanOrEqual(20);
        });

        it('refuses every route without a token, or with an unknown one (401)', async () => {
          for (const route of routeTable(app)) {
            const url = route.url.replace(/:frames/g, '1').replace(/:[a-z]+/g, '1.2.3');
            for (const headers of [
              {},
              { authorization: 'Bearer ms_not-a-token' },
              { authorization: 'Basic x' },
            ]) {
              const res = await app.inject({ method: route.method as 'GET', url, headers });
              expect(res.statusCode, `${route.method} ${url}`).toBe(401);
              expect(res.json()).toMatchObject({ code: 'ERR_AUTH_REQUIRED' });
            }
          }
        });

        it('refuses every route to a role that may not use it (403)', async () => {
          for (const route of routeTable(app)) {
            const url = route.url.replace(/:frames/g, '1').replace(/:[a-z]+/g, '1.2.3');
            const role = route.access === 'read' ? 'ingest' : 'researcher';
            const res = await app.inject({
              method: route.method as 'GET',
              url,
              headers: auth(role),
            });
            expect(res.statusCode, `${route.method} ${url} as ${role}`).toBe(403);
            expect(res.json()).toMatchObject({ code: 'ERR_AUTH_FORBIDDEN' });
          }
        });

        it('answers 401 on unknown paths too, and 404 once authenticated', async () => {
          expect((await app.inject({ url: '/nowhere' })).statusCode).toBe(401);
          expect((await app.inject({ url: '/nowhere', headers: auth('admin') })).statusCode).toBe(
            404,
          );
        });
      });

      describe('STOW-RS', () => {
        it('stores good parts and reports the garbage one as failed (202)', async () => {
          const files = ['CT_small.dcm', 'MR_small.dcm', 'JPEG2000.dcm'].map((f) =>
            readFileSync(join(PYDICOM_DIR, f)),
          );
          const { payload, contentType } = stowBody([...files, Buffer.from('not dicom at all')]);
          const res = await app.inject({
            method: 'POST',
            url: '/dicom-web/studies',
            payload,
            headers: { ...auth('ingest'), 'content-type': contentType },
          });
          expect(res.statusCode).toBe(202);
          expect(res.headers['content-type']).toMatch(/^application\/dicom\+json/);
          const body = res.json<DicomJson>();
          const referenced = sequence(body, '00081199');
          expect(referenced).toHaveLength(3);
          for (const item of referenced) {
            expect(first(item, '00081155')).toMatch(/^[0-9.]+$/);
            expect(first(item, '00081150')).toMatch(/^1\.2\.840\.10008\.5\.1\.4\.1\.1\./);
            expect(first(item, '00081190')).toMatch(
              /\/dicom-web\/studies\/[0-9.]+\/series\/[0-9.]+\/instances\/[0-9.]+$/,
            );
          }
          const failed = sequence(body, '00081198');
          expect(failed).toHaveLength(1);
          expect(first(failed[0]!, '00081197')).toBe(0xc000);
        });

        it('answers 409 when every part failed and 200 when all were stored or already were', async () => {
          const garbage = stowBody([Buffer.from('x'), Buffer.from('y')]);
          const bad = await app.inject({
            method: 'POST',
            url: '/dicom-web/studies',
            payload: garbage.payload,
            headers: { ...auth('admin'), 'content-type': garbage.contentType },
          });
          expect(bad.statusCode).toBe(409);
          const again = stowBody([readFileSync(join(PYDICOM_DIR, 'CT_small.dcm'))]);
          const ok = await app.inject({
            method: 'POST',
            url: '/dicom-web/studies',
            payload: again.payload,
            headers: { ...auth('ingest'), 'content-type': again.contentType },
          });
          expect(ok.statusCode).toBe(200);
          expect(sequence(ok.json(), '00081199')).toHaveLength(1);
          expect(first(ok.json(), '00081190')).toMatch(/\/dicom-web\/studies\/[0-9.]+$/);
        });

        it('fails instances of another study when the path names one', async () => {
          const body = stowBody([readFileSync(join(PYDICOM_DIR, 'MR_small.dcm'))]);
          const res = await app.inject({
            method: 'POST',
            url: '/dicom-web/studies/1.2.3.4',
            payload: body.payload,
            headers: { ...auth('ingest'), 'content-type': body.contentType },
          });
          expect(res.statusCode).toBe(409);
          expect(first(sequence(res.json(), '00081198')[0]!, '00081197')).toBe(0xa900);
        });

        it('rejects a body without its boundary (400) and other media types (415)', async () => {
          const res = await app.inject({
            method: 'POST',
            url: '/dicom-web/studies',
            payload: 'no parts here',
            headers: { ...auth('ingest'), 'content-type': `${DICOM}; boundary=zzz` },
          });
          expect(res.statusCode).toBe(400);
          expect(res.json()).toMatchObject({ code: 'ERR_USAGE' });
          const json = await app.inject({
            method: 'POST',
            url: '/dicom-web/studies',
            payload: '{}',
            headers: { ...auth('ingest'), 'content-type': 'application/json' },
          });
          expect(json.statusCode).toBe(400);
        });
      });

      describe('QIDO-RS', () => {
        const qido = async (url: string): Promise<DicomJson[]> => {
          const res = await app.inject({ url, headers: auth('researcher') });
          expect(res.statusCode, url).toBe(200);
          expect(res.headers['content-type']).toMatch(/^application\/dicom\+json/);
          return res.json();
        };

        it('lists studies with their counts, modalities and retrieve URL', async () => {
          const found = await qido('/dicom-web/studies?limit=100');
          expect(found.length).toBeGreaterThanOrEqual(studies.length);
          const a = found.find((s) => first(s, '0020000D') === studies[0]!.studyInstanceUid)!;
          expect(first(a, '00201206')).toBe(studies[0]!.nSeries);
          expect(first(a, '00201208')).toBe(studies[0]!.nInstances);
          expect(a['00080061']?.Value).toContain('MR');
          expect(first(a, '00081190')).toMatch(/\/dicom-web\/studies\//);
        });

        it('matches StudyDate ranges, single dates and open ranges', async () => {
          const now = await listStudies(workspace.catalog);
          const dates = now
            .flatMap((s) => (s.studyDateShifted === null ? [] : [s.studyDateShifted]))
            .sort();
          const [lo, mid, hi] = [dates[0]!, dates[1]!, dates[dates.length - 1]!];
          expect(await qido(`/dicom-web/studies?StudyDate=${lo}-${mid}`)).toHaveLength(
            dates.filter((d) => d >= lo && d <= mid).length,
          );
          expect((await qido(`/dicom-web/studies?StudyDate=${hi}`)).length).toBeGreaterThanOrEqual(
            1,
          );
          expect(await qido(`/dicom-web/studies?00080020=-${lo}`)).toHaveLength(
            dates.filter((d) => d <= lo).length,
          );
          expect(await qido('/dicom-web/studies?StudyDate=19000101-19001231')).toEqual([]);
        });

        it('matches PatientID exactly and with wildcards, and UID lists', async () => {
          const [s0, s1] = studies;
          const exact = await qido(`/dicom-web/studies?PatientID=${s0!.pseudonym}`);
          expect(exact.map((s) => first(s, '0020000D'))).toContain(s0!.studyInstanceUid);
          const wild = await qido(`/dicom-web/studies?PatientID=${s0!.pseudonym.slice(0, 3)}*`);
          expect(wild.length).toBeGreaterThanOrEqual(1);
          const list = await qido(
            `/dicom-web/studies?StudyInstanceUID=${s0!.studyInstanceUid},${s1!.studyInstanceUid}`,
          );
          expect(list).toHaveLength(2);
        });

        it('matches Modality and SeriesDescription wildcards at series level', async () => {
          const series = await listSeries(workspace.catalog);
          const withDescription = series.find((s) => (s.seriesDescription ?? '').startsWith('T1'))!;
          const description = withDescription.seriesDescription!;
          const pattern = `${description.slice(0, 1)}*${description.slice(-1)}`;
          const found = await qido(
            `/dicom-web/series?SeriesDescription=${encodeURIComponent(pattern)}`,
          );
          expect(found.map((s) => first(s, '0020000E'))).toContain(
            withDescription.seriesInstanceUid,
          );
          const q = `${description.slice(0, 1)}${'?'.repeat(description.length - 1)}`;
          expect(
            (await qido(`/dicom-web/series?SeriesDescription=${encodeURIComponent(q)}`)).length,
          ).toBeGreaterThan(0);
          const ct = await qido('/dicom-web/series?Modality=CT');
          expect(ct.every((s) => first(s, '00080060') === 'CT')).toBe(true);
          const scoped = await qido(`/dicom-web/studies/${studies[0]!.studyInstanceUid}/series`);
          expect(scoped).toHaveLength(studies[0]!.nSeries);
          expect(first(scoped[0]!, '00201209')).toBeGreaterThan(0);
        });

        it('pages with limit and offset', async () => {
          const all = await qido('/dicom-web/instances?Modality=MR');
          const page1 = await qido('/dicom-web/instances?Modality=MR&limit=2&offset=0');
          const page2 = await qido('/dicom-web/instances?Modality=MR&limit=2&offset=2');
          expect(page1).toHaveLength(2);
          expect([...page1, ...page2].map((i) => first(i, '00080018'))).toEqual(
            all.slice(0, 4).map((i) => first(i, '00080018')),
          );
          // A JavaScript-matched key pages the same way.
          const js = await qido('/dicom-web/instances?Rows=64&limit=2&offset=2');
          expect(js.map((i) => first(i, '00080018'))).toEqual(
            all
              .filter((i) => first(i, '00280010') === 64)
              .slice(2, 4)
              .map((i) => first(i, '00080018')),
          );
        });

        it('returns includefield attributes only when asked, and all with includefield=all', async () => {
          const url = `/dicom-web/studies/${studies[0]!.studyInstanceUid}/instances`;
          const plain = await qido(url);
          expect(plain[0]!['00200032']).toBeUndefined();
          const withPosition = await qido(`${url}?includefield=ImagePositionPatient,00280030`);
          expect(withPosition[0]!['00200032']?.vr).toBe('DS');
          expect(withPosition[0]!['00280030']).toBeDefined();
          const all = await qido(`${url}?includefield=all`);
          expect(all[0]!['00100020']).toBeDefined();
        });

        it('answers 400 for an unknown attribute and a malformed date', async () => {
          for (const url of [
            '/dicom-web/studies?NoSuchKeyword=1',
            '/dicom-web/studies?StudyDate=2020',
          ]) {
            const res = await app.inject({ url, headers: auth('researcher') });
            expect(res.statusCode, url).toBe(400);
            expect(res.json()).toMatchObject({ code: 'ERR_USAGE' });
          }
        });

        it('says with a Warning header when the server cut results short', async () => {
          const small = await buildApp({ workspace, maxQidoResults: 2 });
          try {
            const cut = await small.inject({
              url: '/dicom-web/instances',
              headers: auth('researcher'),
            });
            expect(cut.json<unknown[]>()).toHaveLength(2);
            expect(cut.headers.warning).toMatch(/^299 /);
            // A page the client asked for is no truncation.
            const paged = await small.inject({
              url: '/dicom-web/instances?limit=1',
              headers: auth('researcher'),
            });
            expect(paged.headers.warning).toBeUndefined();
          } finally {
            await small.close();
          }
        });
      });

      describe('WADO-RS', () => {
        let mr: { study: string; series: string; sop: string; digest: string };

        beforeAll(async () => {
          const series = (
            await listSeries(workspace.catalog, { studyUid: studies[0]!.studyInstanceUid })
          )[0]!;
          const instance = (
            await listInstances(workspace.catalog, {
              seriesUid: parseSeriesInstanceUid(series.seriesInstanceUid),
            })
          )[0]!;
          mr = {
            study: series.studyInstanceUid,
            series: series.seriesInstanceUid,
            sop: instance.sopInstanceUid,
            digest: instance.blobDigest,
          };
        });

        const instanceUrl = () =>
          `/dicom-web/studies/${mr.study}/series/${mr.series}/instances/${mr.sop}`;

        it('returns the stored blob of an instance as multipart/related application/dicom', async () => {
          const res = await app.inject({
            url: instanceUrl(),
            headers: { ...auth('researcher'), accept: `${DICOM}; transfer-syntax=*` },
          });
          expect(res.statusCode).toBe(200);
          const contentType = String(res.headers['content-type']);
          expect(contentType).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
          const parts = parseMultipartRelated(res.rawPayload, contentType).parts;
          expect(parts).toHaveLength(1);
          const stored = await workspace.blobs.get(parseBlobDigest(mr.digest));
          expect(Buffer.from(parts[0]!.body).equals(Buffer.from(stored))).toBe(true);
          expect(parts[0]!.headers['content-type']).toMatch(
            /^application\/dicom; transfer-syntax=/,
          );
        });

        it('returns every instance of a series and of a study', async () => {
          for (const [url, n] of [
            [
              `/dicom-web/studies/${mr.study}/series/${mr.series}`,
              (
                await listInstances(workspace.catalog, {
                  seriesUid: parseSeriesInstanceUid(mr.series),
                })
              ).length,
            ],
            [`/dicom-web/studies/${mr.study}`, studies[0]!.nInstances],
          ] as const) {
            const res = await app.inject({ url, headers: auth('researcher') });
            expect(res.statusCode).toBe(200);
            expect(
              parseMultipartRelated(res.rawPayload, String(res.headers['content-type'])).parts,
            ).toHaveLength(n);
          }
        });

        it('answers 404 for an instance not catalogued and 406 for an unacceptable type', async () => {
          const missing = await app.inject({
            url: `/dicom-web/studies/${mr.study}/series/${mr.series}/instances/1.2.3`,
            headers: auth('researcher'),
          });
          expect(missing.statusCode).toBe(404);
          expect(missing.json()).toMatchObject({ code: 'ERR_CATALOG_NOT_FOUND' });
          const json = await app.inject({
            url: instanceUrl(),
            headers: { ...auth('researcher'), accept: 'application/json' },
          });
          expect(json.statusCode).toBe(406);
        });

        it('returns metadata as DICOM JSON for instance, series and study', async () => {
          for (const url of [
            `${instanceUrl()}/metadata`,
            `/dicom-web/studies/${mr.study}/series/${mr.series}/metadata`,
            `/dicom-web/studies/${mr.study}/metadata`,
          ]) {
            const res = await app.inject({ url, headers: auth('researcher') });
            expect(res.statusCode, url).toBe(200);
            expect(res.headers['content-type']).toMatch(/^application\/dicom\+json/);
            const json = res.json<DicomJson[]>();
            expect(json.length).toBeGreaterThanOrEqual(1);
            for (const dataset of json) {
              for (const [tag, attribute] of Object.entries(dataset)) {
                expect(tag).toMatch(/^[0-9A-F]{8}$/);
                expect(attribute.vr).toMatch(/^[A-Z]{2}$/);
              }
            }
          }
          const one = (
            await app.inject({ url: `${instanceUrl()}/metadata`, headers: auth('researcher') })
          ).json<DicomJson[]>();
          expect(first(one[0]!, '00080018')).toBe(mr.sop);
        });

        it('returns frame 1 as rows × columns × 2 bytes of native pixel data', async () => {
          const res = await app.inject({
            url: `${instanceUrl()}/frames/1`,
            headers: auth('researcher'),
          });
          expect(res.statusCode).toBe(200);
          const parts = parseMultipartRelated(
            res.rawPayload,
            String(res.headers['content-type']),
          ).parts;
          expect(parts).toHaveLength(1);
          expect(parts[0]!.body.length).toBe(64 * 64 * 2);
          const outOfRange = await app.inject({
            url: `${instanceUrl()}/frames/2`,
            headers: auth('researcher'),
          });
          expect(outOfRange.statusCode).toBe(400);
        });

        it('renders a PNG of the right size, with and without a window', async () => {
          for (const query of ['', '?window=600,1200,linear']) {
            const res = await app.inject({
              url: `${instanceUrl()}/rendered${query}`,
              headers: auth('researcher'),
            });
            expect(res.statusCode).toBe(200);
            expect(res.headers['content-type']).toBe('image/png');
            const png = res.rawPayload;
            expect([...png.subarray(0, 8)]).toEqual([
              0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
            ]);
            expect(png.readUInt32BE(16)).toBe(64);
            expect(png.readUInt32BE(20)).toBe(64);
          }
          const bad = await app.inject({
            url: `${instanceUrl()}/rendered?window=1,2,cubic`,
            headers: auth('researcher'),
          });
          expect(bad.statusCode).toBe(400);
        });
      });

      describe('REST', () => {
        it('lists subjects, studies and series with filters and pages', async () => {
          const subjects = await app.inject({
            url: '/api/subjects?limit=2',
            headers: auth('researcher'),
          });
          expect(subjects.statusCode).toBe(200);
          expect(subjects.json()).toMatchObject({ limit: 2, offset: 0 });
          expect(subjects.json<{ items: unknown[] }>().items).toHaveLength(2);
          const studyRes = await app.inject({
            url: `/api/studies?pseudonym=${studies[0]!.pseudonym}`,
            headers: auth('researcher'),
          });
          expect(studyRes.json<{ items: StudySummary[] }>().items[0]?.studyInstanceUid).toBe(
            studies[0]!.studyInstanceUid,
          );
          const series = await app.inject({
            url: '/api/series?modality=MR',
            headers: auth('researcher'),
          });
          const items = series.json<{ items: { seriesInstanceUid: string; modality: string }[] }>()
            .items;
          expect(items.every((s) => s.modality === 'MR')).toBe(true);
          const one = await app.inject({
            url: `/api/series/${items[0]!.seriesInstanceUid}`,
            headers: auth('researcher'),
          });
          expect(one.json()).toMatchObject({ seriesInstanceUid: items[0]!.seriesInstanceUid });
          expect(
            (await app.inject({ url: '/api/series/1.2.3', headers: auth('researcher') }))
              .statusCode,
          ).toBe(404);
          const invalid = await app.inject({
            url: '/api/series?limit=-1',
            headers: auth('researcher'),
          });
          expect(invalid.statusCode).toBe(400);
          expect(invalid.json()).toMatchObject({ code: 'ERR_USAGE' });
        });

        it('shows the quarantine and the audit trail to admins', async () => {
          const q = await app.inject({ url: '/api/quarantine', headers: auth('admin') });
          expect(
            q
              .json<{ items: { source: string }[] }>()
              .items.some((i) => i.source === 'stow:ingest-1'),
          ).toBe(true);
          const audit = await app.inject({ url: '/api/audit?action=stow', headers: auth('admin') });
          expect(audit.json<{ items: unknown[] }>().items.length).toBeGreaterThan(0);
        });

        /** The items of a REST listing, checking that it answered 200. */
        const items = async <T = Record<string, unknown>>(
          url: string,
          role: keyof typeof tokens = 'researcher',
        ): Promise<T[]> => {
          const res = await app.inject({ url, headers: auth(role) });
          expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
          return res.json<{ items: T[] }>().items;
        };

        it('lists visits by subject, paged', async () => {
          const pseudonym = studies[0]!.pseudonym;
          const visits = await items<{ pseudonym: string; label: string; nStudies: number }>(
            `/api/visits?pseudonym=${pseudonym}`,
          );
          expect(visits.length).toBeGreaterThanOrEqual(1);
          expect(visits.every((v) => v.pseudonym === pseudonym)).toBe(true);
          expect(visits[0]!.nStudies).toBeGreaterThanOrEqual(1);
          const all = await items<{ id: number }>('/api/visits');
          expect(all.length).toBeGreaterThanOrEqual(3);
          const second = await items<{ id: number }>('/api/visits?limit=1&offset=1');
          expect(second.map((v) => v.id)).toEqual([all[1]!.id]);
        });

        it('lists QA results by study, series, status and check prefix', async () => {
          interface Qa {
            check: string;
            status: string;
            value: number | null;
            detail: unknown;
            studyInstanceUid: string | null;
            seriesInstanceUid: string | null;
          }
          const [s0] = derived.seriesUids;
          expect(await items<Qa>('/api/qa-results')).toHaveLength(3);
          const bySeries = await items<Qa>(`/api/qa-results?seriesUid=${s0}`);
          expect(bySeries.map((r) => r.check)).toEqual(['param.repetitionTimeMs', 'iq.snr']);
          // The series-level result without a study of its own gets its series' study.
          expect(new Set(bySeries.map((r) => r.studyInstanceUid)).size).toBe(1);
          expect(bySeries[0]!.studyInstanceUid).toMatch(/^[0-9.]+$/);
          const byStudy = await items<Qa>(`/api/qa-results?studyUid=${derived.studyUid}`);
          expect(byStudy).toEqual([
            expect.objectContaining({
              check: 'completeness.series',
              status: 'fail',
              value: null,
              seriesInstanceUid: null,
              studyInstanceUid: derived.studyUid,
            }),
          ]);
          const warn = await items<Qa>('/api/qa-results?status=warn');
          expect(warn).toHaveLength(1);
          expect(warn[0]).toMatchObject({ check: 'iq.snr', value: 12.5 });
          expect(warn[0]!.detail).toEqual({ reference: 'absolute' });
          expect(
            (await items<Qa>('/api/qa-results?checkPrefix=param.')).map((r) => r.check),
          ).toEqual(['param.repetitionTimeMs']);
          // Case-sensitive on both dialects.
          expect(await items('/api/qa-results?checkPrefix=PARAM.')).toEqual([]);
          expect(await items('/api/qa-results?checkPrefix=%25')).toEqual([]);
          const bad = await app.inject({
            url: '/api/qa-results?status=bogus',
            headers: auth('researcher'),
          });
          expect(bad.statusCode).toBe(400);
          expect(bad.json()).toMatchObject({ code: 'ERR_USAGE' });
        });

        it('lists artifacts by kind, subject and series', async () => {
          interface Artifact {
            id: number;
            kind: string;
            pseudonym: string | null;
            seriesInstanceUid: string | null;
            params: unknown;
            inputs: unknown;
          }
          const [s0] = derived.seriesUids;
          const all = await items<Artifact>('/api/artifacts');
          expect(all.map((a) => a.id)).toEqual([derived.maskId, derived.reportId]);
          const masks = await items<Artifact>('/api/artifacts?kind=mask');
          expect(masks).toHaveLength(1);
          expect(masks[0]).toMatchObject({ id: derived.maskId, seriesInstanceUid: s0 });
          expect(masks[0]!.params).toEqual({ threshold: 0.5 });
          expect(masks[0]!.inputs).toHaveLength(1);
          // The mask names no subject: it gets its series' subject.
          expect(masks[0]!.pseudonym).toMatch(/.+/);
          expect(
            (await items<Artifact>(`/api/artifacts?pseudonym=${masks[0]!.pseudonym!}`)).map(
              (a) => a.id,
            ),
          ).toContain(derived.maskId);
          expect(
            (await items<Artifact>(`/api/artifacts?seriesUid=${s0}`)).map((a) => a.id),
          ).toEqual([derived.maskId]);
          const report = await items<Artifact>('/api/artifacts?kind=qa_report');
          expect(report[0]).toMatchObject({ id: derived.reportId, seriesInstanceUid: null });
          expect(report[0]!.pseudonym).toMatch(/.+/);
          expect(await items('/api/artifacts?kind=mesh')).toEqual([]);
        });

        it('downloads an artifact with its media type, audited as an export', async () => {
          const report = await app.inject({
            url: `/api/artifacts/${derived.reportId}/download`,
            headers: auth('researcher'),
          });
          expect(report.statusCode).toBe(200);
          expect(report.headers['content-type']).toMatch(/^application\/json/);
          expect(report.headers['content-disposition']).toBe(
            `attachment; filename="artifact-${derived.reportId}.json"`,
          );
          expect(report.rawPayload.equals(derived.report)).toBe(true);
          const mask = await app.inject({
            url: `/api/artifacts/${derived.maskId}/download`,
            headers: auth('admin'),
          });
          expect(mask.statusCode).toBe(200);
          expect(mask.headers['content-type']).toBe('application/octet-stream');
          expect(mask.headers['content-disposition']).toMatch(/\.nii\.gz"$/);
          expect(mask.body).toBe('not really a NIfTI mask');
          const exports = await listAudit(workspace.catalog, { action: 'export' });
          expect(exports.map((e) => `${e.actor} ${e.target}`)).toEqual(
            expect.arrayContaining([
              `token:researcher-1 artifact:${derived.reportId}`,
              `token:admin-1 artifact:${derived.maskId}`,
            ]),
          );
          expect(exports.find((e) => e.target === `artifact:${derived.reportId}`)?.detail).toEqual(
            expect.objectContaining({
              kind: 'qa_report',
              format: 'json',
              bytes: derived.report.length,
            }),
          );
          const missing = await app.inject({
            url: '/api/artifacts/999999/download',
            headers: auth('researcher'),
          });
          expect(missing.statusCode).toBe(404);
          expect(missing.json()).toMatchObject({ code: 'ERR_CATALOG_NOT_FOUND' });
          const notAnId = await app.inject({
            url: '/api/artifacts/abc/download',
            headers: auth('researcher'),
          });
          expect(notAnId.statusCode).toBe(400);
        });

        it('lists jobs by state, their errors parsed', async () => {
          interface Job {
            stage: string;
            state: string;
            attempts: number;
            error: unknown;
          }
          expect(await items<Job>('/api/jobs')).toHaveLength(3);
          const failed = await items<Job>('/api/jobs?state=failed');
          expect(failed).toEqual([
            expect.objectContaining({ stage: 'segment.unet', state: 'failed', attempts: 3 }),
          ]);
          expect(failed[0]!.error).toEqual({ code: 'ERR_INTERNAL', message: 'out of memory' });
          const queued = await items<Job>('/api/jobs?state=queued&stage=qa.series');
          expect(queued).toEqual([expect.objectContaining({ attempts: 0, error: null })]);
          expect(
            (await app.inject({ url: '/api/jobs?state=lost', headers: auth('admin') })).statusCode,
          ).toBe(400);
        });

        it('lists clinical values, to researchers by pseudonym only', async () => {
          const pseudonym = studies[0]!.pseudonym;
          const asResearcher = await items(`/api/clinical?variable=sbp&pseudonym=${pseudonym}`);
          expect(asResearcher).toHaveLength(1);
          expect(asResearcher[0]).toMatchObject({
            pseudonym,
            variable: 'sbp',
            unit: 'mmHg',
            visit: 'baseline',
          });
          expect(Object.keys(asResearcher[0]!).sort()).toEqual(
            ['id', 'project', 'pseudonym', 'variable', 'value', 'unit', 'visit'].sort(),
          );
          const asAdmin = await items(`/api/clinical?variable=sbp&pseudonym=${pseudonym}`, 'admin');
          expect(asAdmin[0]).toMatchObject({ source: 'Mustermann-labs.csv' });
          expect(typeof asAdmin[0]!['subjectId']).toBe('number');
          const all = await items('/api/clinical?limit=100');
          expect(all).toHaveLength(6);
          expect(await items('/api/clinical?variable=smoker&limit=2&offset=2')).toHaveLength(1);
        });
      });

      it('audits reads and writes with the token name as actor', async () => {
        const rows = await listAudit(workspace.catalog, { limit: 10_000 });
        const actions = new Set(rows.map((r) => `${r.actor} ${r.action}`));
        expect(actions).toContain('token:ingest-1 stow');
        expect(actions).toContain('token:researcher-1 qido');
        expect(actions).toContain('token:researcher-1 wado');
        expect(actions).toContain('token:researcher-1 rest.read');
        expect(actions).toContain('token:admin-1 rest.read');
      });

      it('serves over a real socket, driven with fetch as dicomweb-client would', async () => {
        const live = await buildApp({ workspace, ingestor });
        const address = await live.listen({ port: 0, host: '127.0.0.1' });
        try {
          const headers = { Authorization: `Bearer ${tokens.admin}` };
          const stow = stowBody([readFileSync(join(PYDICOM_DIR, 'MR_small.dcm'))]);
          const stored = await fetch(`${address}/dicom-web/studies`, {
            method: 'POST',
            headers: {
              ...headers,
              'Content-Type': stow.contentType,
              Accept: 'application/dicom+json',
            },
            body: stow.payload,
          });
          expect(stored.status).toBe(200);
          const url = first(
            sequence((await stored.json()) as DicomJson, '00081199')[0]!,
            '00081190',
          ) as string;
          expect(url.startsWith(address)).toBe(true);
          // dicomweb-client's searchForStudies: GET with Accept application/dicom+json.
          const found = await fetch(`${address}/dicom-web/studies?limit=1`, {
            headers: { ...headers, Accept: 'application/dicom+json' },
          });
          expect(found.status).toBe(200);
          expect(((await found.json()) as unknown[]).length).toBe(1);
          // dicomweb-client's retrieveInstance: multipart/related; type="application/dicom"; transfer-syntax=*.
          const instance = await fetch(url, {
            headers: { ...headers, Accept: `${DICOM}; transfer-syntax=*` },
          });
          expect(instance.status).toBe(200);
          const bytes = new Uint8Array(await instance.arrayBuffer());
          const parts = parseMultipartRelated(bytes, instance.headers.get('content-type')!).parts;
          expect(Buffer.from(parts[0]!.body.subarray(128, 132)).toString()).toBe('DICM');
          const denied = await fetch(`${address}/dicom-web/studies`);
          expect(denied.status).toBe(401);
        } finally {
          await live.close();
        }
      });
    });
  }
});
