/**
 * DICOMweb throughput and latency, through the real HTTP stack (`app.listen` on 127.0.0.1, Node's
 * fetch as client).
 *
 * Run: `npx tsx bench/dicomweb.bench.ts [--stow-requests N] [--per-request N] [--catalog N]`.
 * Prints figures; asserts nothing.
 *
 * - STOW-RS: N multipart requests of `perRequest` MR_small-based instances each (pydicom's 64×64
 *   MR, given fresh UIDs by test/support/make-series.ts), sent one request at a time; instances/s
 *   counts only durable outcomes (the response is sent after the group commit).
 * - QIDO-RS: a second catalog filled directly with `recordInstances` (synthetic rows, 10 series of
 *   10 instances per study; no blobs, which QIDO never reads), then p50/p99 latency of study,
 *   series and instance searches: by StudyDate range (SQL), by PatientID, by wildcard
 *   SeriesDescription (LIKE prefilter plus JavaScript re-check), by AccessionNumber (JavaScript
 *   scan of the study JSON), each with limit=100. The issue asks for 100,000 instances; the
 *   default fills what fits in about a minute here and prints the size used.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  BlobDigest,
  SeriesInstanceUid,
  SopInstanceUid,
  StudyInstanceUid,
  Uid,
} from '../src/core/index.js';
import { Ingestor } from '../src/ingest/index.js';
import { buildApp, createApiToken, encodeMultipartRelated } from '../src/server/index.js';
import { recordInstances } from '../src/store/index.js';
import type { InstanceRecord } from '../src/store/index.js';
import { Workspace } from '../src/workspace/index.js';
import { makeMrFiles } from '../test/support/make-series.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const STOW_REQUESTS = arg('--stow-requests', 20);
const PER_REQUEST = arg('--per-request', 50);
const CATALOG_INSTANCES = arg('--catalog', 100_000);
const QIDO_REPS = arg('--reps', 200);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function stowBench(root: string): Promise<void> {
  const workspace = await Workspace.open({ dataDir: join(root, 'stow') }, {});
  const ingestor = await Ingestor.start(workspace, { project: 'bench' });
  const app = await buildApp({ workspace, ingestor });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const { token } = await createApiToken(workspace.catalog, { role: 'ingest', name: 'bench' });
  const bodies: Buffer[] = [];
  for (let r = 0; r < STOW_REQUESTS; r++) {
    const dir = join(root, 'files', String(r));
    makeMrFiles(dir, PER_REQUEST, { perSeries: PER_REQUEST, patientId: `BENCH-${r}` });
    const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)));
    bodies.push(
      encodeMultipartRelated(
        'bench',
        files.map((body) => ({ contentType: 'application/dicom', body })),
      ),
    );
  }
  const mb = bodies.reduce((s, b) => s + b.length, 0) / 1e6;
  const started = performance.now();
  let stored = 0;
  for (const body of bodies) {
    const res = await fetch(`${address}/dicom-web/studies`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'multipart/related; type="application/dicom"; boundary=bench',
      },
      body,
    });
    const json = (await res.json()) as Record<string, { Value?: unknown[] }>;
    stored += json['00081199']?.Value?.length ?? 0;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `STOW-RS  ${STOW_REQUESTS} requests × ${PER_REQUEST} instances (${mb.toFixed(1)} MB, ${ingestor.workers} workers): ` +
      `${stored} stored in ${seconds.toFixed(2)} s = ${(stored / seconds).toFixed(0)} instances/s, ${(mb / seconds).toFixed(1)} MB/s`,
  );
  await app.close();
  await ingestor.close();
  await workspace.close();
}

function syntheticRecords(start: number, count: number): InstanceRecord[] {
  const out: InstanceRecord[] = [];
  for (let i = start; i < start + count; i++) {
    const study = Math.floor(i / 100);
    const series = Math.floor(i / 10);
    const date = `20${String(10 + (study % 15)).padStart(2, '0')}${String(1 + (study % 12)).padStart(2, '0')}15`;
    const studyUid = `2.25.1.${study}` as StudyInstanceUid;
    const seriesUid = `2.25.2.${series}` as SeriesInstanceUid;
    const description = ['T1 MPRAGE', 'T2 FLAIR', 'DWI', 'SWI', 'BOLD'][series % 5] ?? 'X';
    out.push({
      project: 'bench',
      pseudonym: `P${Math.floor(study / 2)}`,
      sex: 'F',
      birthYear: 1960,
      visitLabel: `follow-up-${study % 2}`,
      site: 'site-a',
      study: {
        uid: studyUid,
        dateShifted: date,
        description: 'MR brain',
        dicomJson: {
          '00080020': { vr: 'DA', Value: [date] },
          '00080050': { vr: 'SH', Value: [`ACC${study}`] },
          '00100020': { vr: 'LO', Value: [`P${Math.floor(study / 2)}`] },
          '0020000D': { vr: 'UI', Value: [studyUid] },
        },
      },
      series: {
        uid: seriesUid,
        modality: 'MR',
        description,
        number: series % 10,
        dicomJson: {
          '00080060': { vr: 'CS', Value: ['MR'] },
          '0008103E': { vr: 'LO', Value: [description] },
          '0020000E': { vr: 'UI', Value: [seriesUid] },
        },
      },
      instance: {
        sopInstanceUid: `2.25.3.${i}` as SopInstanceUid,
        sopClassUid: '1.2.840.10008.5.1.4.1.1.4' as Uid,
        transferSyntaxUid: '1.2.840.10008.1.2.1' as Uid,
        instanceNumber: (i % 10) + 1,
        blobDigest: `sha256:${i.toString(16).padStart(64, '0')}` as BlobDigest,
        originalDigest: `hmac-sha256:${i.toString(16).padStart(64, '0')}`,
        sizeBytes: 10_000,
        dicomJson: {
          '00080018': { vr: 'UI', Value: [`2.25.3.${i}`] },
          '00200013': { vr: 'IS', Value: [(i % 10) + 1] },
          '00280010': { vr: 'US', Value: [64] },
          '00280011': { vr: 'US', Value: [64] },
        },
      },
      receivedAt: new Date(),
    });
  }
  return out;
}

async function qidoBench(root: string): Promise<void> {
  const workspace = await Workspace.open({ dataDir: join(root, 'qido') }, {});
  const fillStarted = performance.now();
  let filled = 0;
  const batch = 5000;
  // Stop filling after ~60 s whatever the target, and report what was reached.
  while (filled < CATALOG_INSTANCES && performance.now() - fillStarted < 60_000) {
    const n = Math.min(batch, CATALOG_INSTANCES - filled);
    await recordInstances(workspace.catalog, syntheticRecords(filled, n));
    filled += n;
  }
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  console.log(
    `catalog  ${filled} instances, ${filled / 10} series, ${filled / 100} studies recorded in ${fillSeconds.toFixed(1)} s`,
  );
  const app = await buildApp({ workspace });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const { token } = await createApiToken(workspace.catalog, { role: 'researcher', name: 'bench' });
  const lastStudy = `2.25.1.${Math.floor(filled / 200)}`;
  const queries: [string, string][] = [
    ['studies, StudyDate range (SQL)', '/dicom-web/studies?StudyDate=20150101-20151231&limit=100'],
    [
      'studies, PatientID (SQL)',
      `/dicom-web/studies?PatientID=P${Math.floor(filled / 400)}&limit=100`,
    ],
    [
      'studies, AccessionNumber (JS scan)',
      `/dicom-web/studies?AccessionNumber=ACC${Math.floor(filled / 200)}&limit=100`,
    ],
    [
      'series, SeriesDescription=T2* (LIKE+JS)',
      '/dicom-web/series?SeriesDescription=T2*&limit=100',
    ],
    ['instances of one study (SQL)', `/dicom-web/studies/${lastStudy}/instances?limit=100`],
    ['instances, all, limit=100', '/dicom-web/instances?limit=100'],
  ];
  for (const [name, url] of queries) {
    const times: number[] = [];
    let results = 0;
    for (let r = 0; r < QIDO_REPS; r++) {
      const t0 = performance.now();
      const res = await fetch(`${address}${url}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      results = ((await res.json()) as unknown[]).length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `QIDO-RS  ${name.padEnd(42)} p50 ${percentile(times, 50).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms  (${results} results, ${QIDO_REPS} reps)`,
    );
  }
  await app.close();
  await workspace.close();
}

const root = mkdtempSync(join(tmpdir(), 'medscale-dicomweb-bench-'));
try {
  await stowBench(root);
  await qidoBench(root);
} finally {
  rmSync(root, { recursive: true, force: true });
}
