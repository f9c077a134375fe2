import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPart10, writePart10 } from '../../src/dicom/index.js';
import { startDimseService } from '../../src/node/index.js';
import type { DimseService } from '../../src/node/index.js';
import { listInstances, listSeries, listStudies } from '../../src/store/index.js';
import { Workspace } from '../../src/workspace/index.js';
import { makeMrFiles } from '../support/make-series.js';
import { HAVE_PYDICOM } from '../support/pydicom-files.js';
import { DCMTK_ENV as ENV, tool } from '../support/dcmtk.js';
import { DIALECTS } from '../support/dialects.js';
import type { TestDatabase } from '../support/dialects.js';
import { datasetAfterMeta, pixelBytes } from '../support/dicom-bytes.js';

/** A free TCP port on 127.0.0.1 (for the storescp the test starts). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Resolves once something listens on the port. */
async function waitForListener(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on port ${port}`);
}

/** Every file directly in `dir`. */
function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .sort();
}

/** Secondary Capture Image Storage (PS3.4 B.5), a SOP class the restricted storescp refuses. */
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

/**
 * A dcmtk association profile (storescp `-xf`) accepting MR Image Storage and Verification only,
 * uncompressed: a destination that refuses every other SOP class at association.
 */
const MR_ONLY_PROFILE = `[[TransferSyntaxes]]
[Uncompressed]
TransferSyntax1 = LocalEndianExplicit
TransferSyntax2 = OppositeEndianExplicit
TransferSyntax3 = LittleEndianImplicit

[[PresentationContexts]]
[MrOnly]
PresentationContext1 = MRImageStorage\\Uncompressed
PresentationContext2 = VerificationSOPClass\\Uncompressed

[[Profiles]]
[MrOnly]
PresentationContexts = MrOnly
`;

/** Makes every file of `dir` whose name is in `names` a Secondary Capture instance. */
function makeSecondaryCapture(dir: string, names: readonly string[]): void {
  for (const name of names) {
    const { meta, dataset } = readPart10(readFileSync(join(dir, name)));
    dataset['00080016'] = { vr: 'UI', Value: [SECONDARY_CAPTURE] };
    meta['00020002'] = { vr: 'UI', Value: [SECONDARY_CAPTURE] };
    writeFileSync(join(dir, name), writePart10(meta, dataset));
  }
}

/** The part of movescu's debug output (`-d`) that shows the final C-MOVE response. */
function finalResponse(output: string): string {
  const at = output.lastIndexOf('Received Final Move Response');
  expect(at, output).toBeGreaterThanOrEqual(0);
  return output.slice(at);
}

/** The values of Failed SOP Instance UID List (0008,0058) in dcmtk's dump of a response. */
function failedUidList(response: string): string[] {
  const match = /\(0008,0058\) UI \[([^\]]*)\]/.exec(response);
  return match === null ? [] : match[1]!.split('\\').sort();
}

describe.skipIf(!HAVE_PYDICOM)('DIMSE C-GET and C-MOVE with real dcmtk peers', () => {
  for (const dialect of DIALECTS) {
    describe(dialect.name, () => {
      let root: string;
      let database: TestDatabase;
      let workspace: Workspace;
      let node: DimseService | undefined;
      let storescp: ChildProcess | undefined;

      /**
       * Starts the node, stores 4 instances (2 series of one study) with storescu; their study UID.
       * With `secondaryCapture`, the second series is Secondary Capture rather than MR.
       */
      async function startWithStudy(
        moveDestinations: Readonly<Record<string, { host: string; port: number }>> = {},
        options: {
          readonly allowedCallers?: Readonly<Record<string, string>>;
          readonly secondaryCapture?: boolean;
        } = {},
      ): Promise<{ port: number; studyUid: string }> {
        node = await startDimseService(workspace, {
          project: 'test',
          port: 0,
          aeTitle: 'MEDSCALE',
          workers: 2,
          moveDestinations,
          ...(options.allowedCallers === undefined
            ? {}
            : { allowedCallers: options.allowedCallers }),
        });
        const input = join(root, 'in');
        makeMrFiles(input, 4, { perSeries: 2 });
        if (options.secondaryCapture === true)
          makeSecondaryCapture(input, ['00002.dcm', '00003.dcm']);
        const store = await tool('storescu', [
          '-aet',
          'STORESCU',
          '-aec',
          'MEDSCALE',
          '+sd',
          '127.0.0.1',
          `${node.server.port}`,
          input,
        ]);
        expect(store.code, store.stderr).toBe(0);
        const studies = await listStudies(workspace.catalog, { project: 'test' });
        expect(studies).toHaveLength(1);
        return { port: node.server.port, studyUid: studies[0]!.studyInstanceUid };
      }

      /** The stored Part 10 files by SOP Instance UID. */
      async function storedFiles(): Promise<Map<string, Buffer>> {
        const out = new Map<string, Buffer>();
        for (const series of await listSeries(workspace.catalog, { project: 'test' })) {
          for (const instance of await listInstances(workspace.catalog, {
            seriesUid: series.seriesInstanceUid,
          })) {
            const bytes = await workspace.blobs.get(instance.blobDigest, { verify: true });
            out.set(instance.sopInstanceUid, Buffer.from(bytes));
          }
        }
        return out;
      }

      /** Checks that `files` are exactly the stored instances, data sets byte for byte. */
      async function expectStoredInstances(files: readonly string[]): Promise<void> {
        const stored = await storedFiles();
        expect(stored.size).toBe(4);
        expect(files).toHaveLength(4);
        const seen = new Set<string>();
        for (const path of files) {
          const bytes = readFileSync(path);
          const parsed = readPart10(bytes);
          const sopValue = parsed.dataset['00080018']?.Value?.[0];
          const sopUid = typeof sopValue === 'string' ? sopValue : '';
          const original = stored.get(sopUid);
          expect(original, `${path}: ${sopUid}`).toBeDefined();
          seen.add(sopUid);
          expect(parsed.dataset['00120062']?.Value?.[0]).toBe('YES'); // Patient Identity Removed
          const storedParsed = readPart10(original!);
          expect(parsed.dataset['00100020']?.Value?.[0]).toBe(
            storedParsed.dataset['00100020']?.Value?.[0],
          );
          expect(pixelBytes(parsed.dataset).equals(pixelBytes(storedParsed.dataset))).toBe(true);
          expect(pixelBytes(parsed.dataset).length).toBeGreaterThan(0);
          expect(datasetAfterMeta(bytes).equals(datasetAfterMeta(original!))).toBe(true);
        }
        expect(seen.size).toBe(4);
      }

      beforeEach(async () => {
        root = mkdtempSync(join(tmpdir(), 'medscale-retrieve-'));
        database = await dialect.create();
        workspace = await Workspace.open(
          { dataDir: join(root, 'data'), catalogUrl: database.url },
          {},
        );
      });

      afterEach(async () => {
        storescp?.kill();
        storescp = undefined;
        await node?.close();
        node = undefined;
        await workspace.close();
        await database.drop();
        rmSync(root, { recursive: true, force: true });
      });

      it('sends a study back to getscu on the same association (C-GET, study root)', async () => {
        const { port, studyUid } = await startWithStudy();
        const out = join(root, 'get');
        mkdirSync(out);
        const run = await tool('getscu', [
          '-v',
          '-S',
          '-aet',
          'GETSCU',
          '-aec',
          'MEDSCALE',
          '+B',
          '-od',
          out,
          '-k',
          'QueryRetrieveLevel=STUDY',
          '-k',
          `StudyInstanceUID=${studyUid}`,
          '127.0.0.1',
          `${port}`,
        ]);
        expect(run.code, run.stderr).toBe(0);
        const output = `${run.stdout}${run.stderr}`;
        expect(output).toMatch(/Received C-GET Response \(Pending\)/);
        expect(output).toMatch(/Completed Suboperations\s*:\s*4/);
        expect(output).toMatch(/Failed Suboperations\s*:\s*0/);
        await expectStoredInstances(filesIn(out));
      }, 60_000);

      it('answers C-GET at SERIES and IMAGE level (patient root)', async () => {
        const { port, studyUid } = await startWithStudy();
        const [series] = await listSeries(workspace.catalog, { project: 'test' });
        const [first] = await listInstances(workspace.catalog, {
          seriesUid: series!.seriesInstanceUid,
        });
        const seriesOut = join(root, 'series');
        const imageOut = join(root, 'image');
        mkdirSync(seriesOut);
        mkdirSync(imageOut);
        const common = ['-P', '-aet', 'GETSCU', '-aec', 'MEDSCALE'];
        const bySeries = await tool('getscu', [
          ...common,
          '-od',
          seriesOut,
          '-k',
          'QueryRetrieveLevel=SERIES',
          '-k',
          `PatientID=${series!.pseudonym}`,
          '-k',
          `StudyInstanceUID=${studyUid}`,
          '-k',
          `SeriesInstanceUID=${series!.seriesInstanceUid}`,
          '127.0.0.1',
          `${port}`,
        ]);
        expect(bySeries.code, bySeries.stderr).toBe(0);
        expect(filesIn(seriesOut)).toHaveLength(2);
        const byImage = await tool('getscu', [
          ...common,
          '-od',
          imageOut,
          '-k',
          'QueryRetrieveLevel=IMAGE',
          '-k',
          `PatientID=${series!.pseudonym}`,
          '-k',
          `StudyInstanceUID=${studyUid}`,
          '-k',
          `SeriesInstanceUID=${series!.seriesInstanceUid}`,
          '-k',
          `SOPInstanceUID=${first!.sopInstanceUid}`,
          '127.0.0.1',
          `${port}`,
        ]);
        expect(byImage.code, byImage.stderr).toBe(0);
        const files = filesIn(imageOut);
        expect(files).toHaveLength(1);
        expect(readPart10(readFileSync(files[0]!)).dataset['00080018']?.Value?.[0]).toBe(
          first!.sopInstanceUid,
        );
      }, 60_000);

      it('moves a study to a storescp destination (C-MOVE)', async () => {
        const destPort = await freePort();
        const received = join(root, 'moved');
        mkdirSync(received);
        // +B: written exactly as received, so the data sets can be compared byte for byte.
        storescp = spawn('storescp', ['+B', '-aet', 'STORESCP', '-od', received, `${destPort}`], {
          env: ENV,
          stdio: 'ignore',
        });
        await waitForListener(destPort);
        const { port, studyUid } = await startWithStudy({
          STORESCP: { host: '127.0.0.1', port: destPort },
        });
        const run = await tool('movescu', [
          '-v',
          '-S',
          '-aet',
          'MOVESCU',
          '-aec',
          'MEDSCALE',
          '-aem',
          'STORESCP',
          '-k',
          'QueryRetrieveLevel=STUDY',
          '-k',
          `StudyInstanceUID=${studyUid}`,
          '127.0.0.1',
          `${port}`,
        ]);
        expect(run.code, run.stderr).toBe(0);
        const output = `${run.stdout}${run.stderr}`;
        expect(output).toMatch(/Received Move Response 1 \(Pending\)/);
        expect(output).toMatch(/Received Final Move Response \(Success\)/);
        await expectStoredInstances(filesIn(received));
      }, 60_000);

      it('refuses a C-MOVE to an unknown destination with 0xA801', async () => {
        const { port, studyUid } = await startWithStudy();
        const run = await tool('movescu', [
          '-v',
          '-S',
          '-aet',
          'MOVESCU',
          '-aec',
          'MEDSCALE',
          '-aem',
          'NOWHERE',
          '-k',
          'QueryRetrieveLevel=STUDY',
          '-k',
          `StudyInstanceUID=${studyUid}`,
          '127.0.0.1',
          `${port}`,
        ]);
        const output = `${run.stdout}${run.stderr}`;
        expect(output).toMatch(/Final Move Response \(Refused: MoveDestinationUnknown\)/);
      }, 60_000);

      /** Starts storescp on a free port with extra options; its port and output folder. */
      async function startStorescp(
        extra: readonly string[] = [],
      ): Promise<{ port: number; dir: string }> {
        const port = await freePort();
        const dir = join(root, 'moved');
        mkdirSync(dir);
        storescp = spawn('storescp', [...extra, '+B', '-aet', 'STORESCP', '-od', dir, `${port}`], {
          env: ENV,
          stdio: 'ignore',
        });
        await waitForListener(port);
        return { port, dir };
      }

      /** Runs movescu (study level, debug output so the final identifier is shown). */
      async function moveStudy(port: number, studyUid: string, destination = 'STORESCP') {
        const run = await tool('movescu', [
          '-d',
          '-S',
          '-aet',
          'MOVESCU',
          '-aec',
          'MEDSCALE',
          '-aem',
          destination,
          '-k',
          'QueryRetrieveLevel=STUDY',
          '-k',
          `StudyInstanceUID=${studyUid}`,
          '127.0.0.1',
          `${port}`,
        ]);
        return `${run.stdout}${run.stderr}`;
      }

      /** The stored SOP Instance UIDs of the given SOP class. */
      async function storedUids(sopClassUid?: string): Promise<string[]> {
        const uids: string[] = [];
        for (const series of await listSeries(workspace.catalog, { project: 'test' })) {
          for (const instance of await listInstances(workspace.catalog, {
            seriesUid: series.seriesInstanceUid,
          })) {
            if (sopClassUid === undefined || instance.sopClassUid === sopClassUid) {
              uids.push(instance.sopInstanceUid);
            }
          }
        }
        return uids.sort();
      }

      it('answers 0xB000 and lists the instances a destination refused (C-MOVE)', async () => {
        const profile = join(root, 'mr-only.cfg');
        writeFileSync(profile, MR_ONLY_PROFILE);
        const dest = await startStorescp(['-xf', profile, 'MrOnly']);
        // The destination is configured and on the allow-list: the move goes ahead.
        const { port, studyUid } = await startWithStudy(
          { STORESCP: { host: '127.0.0.1', port: dest.port } },
          {
            allowedCallers: { STORESCU: 'site-a', MOVESCU: 'site-a', STORESCP: 'site-a' },
            secondaryCapture: true,
          },
        );
        const final = finalResponse(await moveStudy(port, studyUid));
        expect(final).toMatch(/DIMSE Status\s*: 0xb000/);
        expect(final).toMatch(/Completed Suboperations\s*: 2\n/);
        expect(final).toMatch(/Failed Suboperations\s*: 2\n/);
        const refused = await storedUids(SECONDARY_CAPTURE);
        expect(refused).toHaveLength(2);
        expect(failedUidList(final)).toEqual(refused);
        expect(filesIn(dest.dir)).toHaveLength(2);
      }, 60_000);

      it('answers 0xA702 and lists every instance when all sub-operations failed (C-MOVE)', async () => {
        // The destination aborts the association on the first C-STORE-RQ.
        const dest = await startStorescp(['--abort-after']);
        const { port, studyUid } = await startWithStudy({
          STORESCP: { host: '127.0.0.1', port: dest.port },
        });
        const final = finalResponse(await moveStudy(port, studyUid));
        expect(final).toMatch(/DIMSE Status\s*: 0xa702/);
        expect(final).toMatch(/Completed Suboperations\s*: 0\n/);
        expect(final).toMatch(/Failed Suboperations\s*: 4\n/);
        expect(failedUidList(final)).toEqual(await storedUids());
        expect(final).toMatch(/ErrorComment/);
      }, 60_000);

      it('refuses a configured destination that is not on the allow-list with 0xA801', async () => {
        const dest = await startStorescp();
        const { port, studyUid } = await startWithStudy(
          { STORESCP: { host: '127.0.0.1', port: dest.port } },
          { allowedCallers: { STORESCU: 'site-a', MOVESCU: 'site-a' } },
        );
        const final = finalResponse(await moveStudy(port, studyUid));
        expect(final).toMatch(/DIMSE Status\s*: 0xa801/);
        expect(final).toMatch(
          /\(0000,0902\) LO \[move destination "STORESCP" is not an allowed AE\]/,
        );
        expect(filesIn(dest.dir)).toEqual([]);
      }, 60_000);
    });
  }
});
