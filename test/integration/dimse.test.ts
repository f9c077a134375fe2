import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { echo, readPart10 } from '../../src/dicom/index.js';
import { startDimseService } from '../../src/node/index.js';
import type { DimseService } from '../../src/node/index.js';
import { countAll, listInstances, listSeries, listStudies } from '../../src/store/index.js';
import { Workspace } from '../../src/workspace/index.js';
import { makeMrFiles } from '../support/make-series.js';
import { HAVE_PYDICOM, PYDICOM_DIR } from '../support/pydicom-files.js';
import { runCli } from '../support/run-cli.js';
import { DCMTK_ENV as ENV, tool } from '../support/dcmtk.js';
import { datasetAfterMeta, pixelBytes } from '../support/dicom-bytes.js';

const CALLERS = { STORESCU: 'site-a', ECHOSCU: 'site-a', FINDSCU: 'site-a', MEDSCALE: 'site-b' };

/** storescu's proposal option for each file's transfer syntax, so that it sends the file as-is. */
const PROPOSE: Readonly<Record<string, string>> = {
  'MR_small.dcm': '-x=',
  'CT_small.dcm': '-x=',
  'MR_small_implicit.dcm': '-xi',
  'MR_small_bigendian.dcm': '-xb',
  'MR_small_RLE.dcm': '-xr',
  'MR_small_jpeg_ls_lossless.dcm': '-xt',
  'MR_small_jp2klossless.dcm': '-xv',
  'JPEG2000.dcm': '-xw',
  'JPGExtended.dcm': '-xx',
  'SC_rgb_jpeg_dcmtk.dcm': '-xy',
  'image_dfl.dcm': '-xd',
};

describe.skipIf(!HAVE_PYDICOM)('DIMSE node with real dcmtk peers', () => {
  let root: string;
  let workspace: Workspace;
  let node: DimseService | undefined;

  async function start(project = 'test'): Promise<DimseService> {
    node = await startDimseService(workspace, {
      project,
      port: 0,
      aeTitle: 'MEDSCALE',
      allowedCallers: CALLERS,
      workers: 2,
    });
    return node;
  }

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'medscale-dimse-'));
    workspace = await Workspace.open({ dataDir: join(root, 'data') }, {});
  });

  afterEach(async () => {
    await node?.close();
    node = undefined;
    await workspace.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers echoscu', async () => {
    const { server } = await start();
    const run = await tool('echoscu', [
      '-aet',
      'ECHOSCU',
      '-aec',
      'MEDSCALE',
      '127.0.0.1',
      `${server.port}`,
    ]);
    expect(run.code, run.stderr).toBe(0);
  });

  it('rejects an unknown calling AE title with reason 3 (PS3.8 §9.3.4)', async () => {
    const { server } = await start();
    const run = await tool('echoscu', [
      '-aet',
      'STRANGER',
      '-aec',
      'MEDSCALE',
      '127.0.0.1',
      `${server.port}`,
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Calling AE Title Not Recognized/);
    await expect(
      echo({ host: '127.0.0.1', port: server.port, callingAe: 'STRANGER', calledAe: 'MEDSCALE' }),
    ).rejects.toMatchObject({ code: 'ERR_DIMSE_REJECTED' });
  });

  it('stores storescu instances in every transfer syntax as sent, pseudonymized, pixel data bit for bit', async () => {
    // One project per file: the MR_small variants share their SOP Instance UID.
    for (const [k, name] of Object.keys(PROPOSE).entries()) {
      const project = `dimse-${k}`;
      const { server } = await start(project);
      const file = join(PYDICOM_DIR, name);
      const run = await tool('storescu', [
        PROPOSE[name]!,
        '-R',
        '-aet',
        'STORESCU',
        '-aec',
        'MEDSCALE',
        '127.0.0.1',
        `${server.port}`,
        file,
      ]);
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      await node!.close();
      node = undefined;

      const original = readPart10(readFileSync(file));
      const [series] = await listSeries(workspace.catalog, { project, limit: 10 });
      expect(series, name).toBeDefined();
      expect(series!.site).toBe('site-a');
      const [instance] = await listInstances(workspace.catalog, {
        seriesUid: series!.seriesInstanceUid,
        limit: 10,
      });
      const stored = readPart10(await workspace.blobs.get(instance!.blobDigest, { verify: true }));
      expect(stored.transferSyntaxUid, name).toBe(original.transferSyntaxUid);
      expect(stored.dataset['00120062']?.Value?.[0], name).toBe('YES'); // Patient Identity Removed
      expect(stored.dataset['00100020']?.Value?.[0]).toBe(series!.pseudonym);
      expect(stored.dataset['00100020']?.Value?.[0]).not.toBe(
        original.dataset['00100020']?.Value?.[0],
      );
      expect(pixelBytes(stored.dataset).equals(pixelBytes(original.dataset)), name).toBe(true);
    }
  }, 120_000);

  it('answers findscu at STUDY level with the pseudonymized study', async () => {
    const { server } = await start();
    const input = join(root, 'in');
    const phi = makeMrFiles(input, 3, { perSeries: 3 });
    const store = await tool('storescu', [
      '-aet',
      'STORESCU',
      '-aec',
      'MEDSCALE',
      '+sd',
      '127.0.0.1',
      `${server.port}`,
      input,
    ]);
    expect(store.code, store.stderr).toBe(0);
    const [study] = await listStudies(workspace.catalog, { project: 'test' });
    const find = await tool('findscu', [
      '-v',
      '-S',
      '-aet',
      'FINDSCU',
      '-aec',
      'MEDSCALE',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      'PatientID',
      '-k',
      'StudyInstanceUID',
      '-k',
      'NumberOfStudyRelatedInstances',
      '127.0.0.1',
      `${server.port}`,
    ]);
    expect(find.code, find.stderr).toBe(0);
    const out = find.stdout + find.stderr;
    expect(out).toContain(study!.pseudonym);
    expect(out).toContain(study!.studyInstanceUid);
    expect(out).toMatch(/NumberOfStudyRelatedInstances|\(0020,1208\) IS \[3\]/);
    expect(out).not.toContain(phi.patientId);
    // A query that matches nothing returns no match.
    const none = await tool('findscu', [
      '-v',
      '-S',
      '-aet',
      'FINDSCU',
      '-aec',
      'MEDSCALE',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      `PatientID=${phi.patientId}`,
      '127.0.0.1',
      `${server.port}`,
    ]);
    expect(none.code).toBe(0);
    expect(none.stdout + none.stderr).not.toContain('Find Response: 1 (Pending)');
  });

  it('loses nothing across 20 concurrent associations of 20 instances', async () => {
    const { server } = await start();
    const dirs = Array.from({ length: 20 }, (_, i) => join(root, `in-${i}`));
    for (const dir of dirs) makeMrFiles(dir, 20, { perSeries: 20 });
    const runs = await Promise.all(
      dirs.map((dir) =>
        tool('storescu', [
          '-aet',
          'STORESCU',
          '-aec',
          'MEDSCALE',
          '+sd',
          '127.0.0.1',
          `${server.port}`,
          dir,
        ]),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect((await countAll(workspace.catalog)).instance).toBe(400);
  }, 60_000);

  it('keeps no partial instance of a client killed mid-association, and keeps serving', async () => {
    const { server } = await start();
    const input = join(root, 'in');
    makeMrFiles(input, 300, { perSeries: 300 });
    const child = spawn(
      'storescu',
      ['-aet', 'STORESCU', '-aec', 'MEDSCALE', '+sd', '127.0.0.1', `${server.port}`, input],
      {
        env: ENV,
        stdio: 'ignore',
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const counts = await countAll(workspace.catalog);
    expect(counts.instance).toBeLessThan(300);
    expect(counts.quarantine).toBe(0); // nothing half-received reached the ingest path
    // Every catalogued instance is whole: its blob reads back as a complete Part 10 file.
    const [series] = await listSeries(workspace.catalog, { project: 'test' });
    if (series !== undefined) {
      for (const i of await listInstances(workspace.catalog, {
        seriesUid: series.seriesInstanceUid,
      })) {
        const stored = readPart10(await workspace.blobs.get(i.blobDigest, { verify: true }));
        expect(pixelBytes(stored.dataset).length).toBe(64 * 64 * 2);
      }
    }
    const run = await tool('echoscu', [
      '-aet',
      'ECHOSCU',
      '-aec',
      'MEDSCALE',
      '127.0.0.1',
      `${server.port}`,
    ]);
    expect(run.code, run.stderr).toBe(0);
  }, 30_000);

  it('survives 200 connections of garbage and truncated PDUs', async () => {
    const { server } = await start();
    const mr = readFileSync(join(PYDICOM_DIR, 'MR_small.dcm'));
    const payloads: Buffer[] = [];
    for (let i = 0; i < 200; i++) {
      const kind = i % 4;
      if (kind === 0)
        payloads.push(
          Buffer.from(
            Array.from({ length: 1 + ((i * 37) % 3000) }, () => Math.floor(Math.random() * 256)),
          ),
        );
      // A-ASSOCIATE-RQ header claiming more bytes than follow.
      else if (kind === 1)
        payloads.push(Buffer.from([0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x01, 0x00]));
      // P-DATA before any association, with a bogus PDV.
      else if (kind === 2)
        payloads.push(
          Buffer.concat([Buffer.from([0x04, 0x00, 0x00, 0x00, 0x00, 0x20]), mr.subarray(0, 32)]),
        );
      // An A-ASSOCIATE-RQ with a nonsense length field and garbage items.
      else
        payloads.push(
          Buffer.concat([
            Buffer.from([0x01, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x01]),
            mr.subarray(200, 264),
          ]),
        );
    }
    await Promise.all(
      payloads.map(
        (payload) =>
          new Promise<void>((resolve) => {
            const socket = connect(server.port, '127.0.0.1', () => {
              socket.end(payload);
            });
            socket.on('error', () => {
              resolve();
            });
            socket.on('close', () => {
              resolve();
            });
            socket.setTimeout(3000, () => socket.destroy());
          }),
      ),
    );
    const run = await tool('echoscu', [
      '-aet',
      'ECHOSCU',
      '-aec',
      'MEDSCALE',
      '127.0.0.1',
      `${server.port}`,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect((await countAll(workspace.catalog)).instance).toBe(0);
  }, 30_000);

  it('medscale send delivers each data set byte for byte, private attributes included', async () => {
    const out = join(root, 'received-bits');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    const port = 20000 + Math.floor(Math.random() * 20000);
    // +B: storescp writes the data set exactly as it arrived.
    const scp = spawn('storescp', ['-aet', 'PACS', '+xa', '+B', '-od', out, `${port}`], {
      env: ENV,
      stdio: 'ignore',
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      // GE private groups 0009, 0019, 0043… (creators GEMS_*), Explicit VR Little Endian.
      const original = readFileSync(join(PYDICOM_DIR, 'CT_small.dcm'));
      expect(original.includes(Buffer.from('GEMS_IDEN_01'))).toBe(true);
      const send = await runCli([
        'send',
        join(PYDICOM_DIR, 'CT_small.dcm'),
        '--host',
        '127.0.0.1',
        '--port',
        `${port}`,
        '--called-aet',
        'PACS',
        '--json',
      ]);
      expect(send.code, send.stderr).toBe(0);
      const received = readdirSync(out);
      expect(received.length).toBe(1);
      const copy = readFileSync(join(out, received[0] ?? ''));
      expect(datasetAfterMeta(copy).equals(datasetAfterMeta(original))).toBe(true);
    } finally {
      scp.kill('SIGTERM');
    }
  }, 60_000);

  it('medscale echo and send deliver to a dcmtk storescp', async () => {
    const out = join(root, 'received');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const scp = spawn('storescp', ['-aet', 'PACS', '+xa', '-od', out, `${port}`], {
      env: ENV,
      stdio: 'ignore',
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const echoRun = await runCli([
        'echo',
        '--host',
        '127.0.0.1',
        '--port',
        `${port}`,
        '--called-aet',
        'PACS',
        '--json',
      ]);
      expect(echoRun.code, echoRun.stderr).toBe(0);
      const input = join(root, 'in');
      makeMrFiles(input, 5, { perSeries: 5 });
      const files = [
        ...readdirSync(input).map((f) => join(input, f)),
        join(PYDICOM_DIR, 'JPEG2000.dcm'),
      ];
      const send = await runCli([
        'send',
        ...files,
        '--host',
        '127.0.0.1',
        '--port',
        `${port}`,
        '--called-aet',
        'PACS',
        '--json',
      ]);
      expect(send.code, send.stderr).toBe(0);
      const summary = JSON.parse(send.stdout) as { sent: number; failed: number };
      expect(summary).toMatchObject({ sent: 6, failed: 0 });
      expect(readdirSync(out).length).toBe(6);
      const refused = await runCli([
        'send',
        join(input, '00000.dcm'),
        '--host',
        '127.0.0.1',
        '--port',
        '1',
        '--json',
      ]);
      expect(refused.code).toBe(1);
    } finally {
      scp.kill('SIGTERM');
    }
  }, 60_000);
});
