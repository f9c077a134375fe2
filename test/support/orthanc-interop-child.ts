// Runs inside a private network namespace (see orthanc.ts `runInNetns`): starts Orthanc and
// medscale (DIMSE SCP + DICOMweb, both on 127.0.0.1), exercises them against each other and prints
// the findings as one RESULT_PREFIX line of JSON for test/integration/orthanc-interop.test.ts.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DicomJson } from '../../src/core/index.js';
import { sendFiles } from '../../src/dicom/index.js';
import { startDimseService } from '../../src/node/index.js';
import type { DimseService } from '../../src/node/index.js';
import { buildApp, createApiToken } from '../../src/server/index.js';
import { countAll } from '../../src/store/index.js';
import { Workspace } from '../../src/workspace/index.js';
import { makeMrFiles } from './make-series.js';
import { MR_SENT, PYDICOM_SENT, reduceStudies } from './orthanc-interop.js';
import type { InteropResult } from './orthanc-interop.js';
import { RESULT_PREFIX, startOrthanc } from './orthanc.js';
import type { Orthanc } from './orthanc.js';
import { PYDICOM_DIR } from './pydicom-files.js';

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'medscale-orthanc-interop-'));
  let orthanc: Orthanc | undefined;
  let node: DimseService | undefined;
  let workspace: Workspace | undefined;
  try {
    workspace = await Workspace.open({ dataDir: join(root, 'data') }, {});
    node = await startDimseService(workspace, {
      project: 'interop',
      host: '127.0.0.1',
      port: 0,
      aeTitle: 'MEDSCALE',
      allowedCallers: { ORTHANC: 'orthanc-site' },
      workers: 2,
    });
    const app = await buildApp({ workspace });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const httpPort = typeof address === 'object' && address !== null ? address.port : 0;
    const token = (await createApiToken(workspace.catalog, { role: 'researcher', name: 'interop' }))
      .token;
    orthanc = await startOrthanc({
      dir: join(root, 'orthanc'),
      modalities: { medscale: ['MEDSCALE', '127.0.0.1', node.server.port] },
    });

    // (a) Orthanc as the sender: REST upload, then C-STORE to medscale.
    const ids: string[] = [];
    for (const name of PYDICOM_SENT) {
      const answer = await orthanc.rest<{ ID: string }>(
        'POST',
        '/instances',
        readFileSync(join(PYDICOM_DIR, name)),
      );
      ids.push(answer.ID);
    }
    const storeAnswer = await orthanc.rest('POST', '/modalities/medscale/store', {
      Resources: ids,
      Synchronous: true,
    });
    const counts = await countAll(workspace.catalog);
    const orthancToMedscale = {
      uploaded: ids.length,
      storeAnswer,
      medscale: { study: counts.study, series: counts.series, instance: counts.instance },
    };

    // (c) both now hold the same three files: compare study-level QIDO-RS.
    const fields = 'includefield=00081030&includefield=00080061&includefield=00100040';
    const orthancStudies = await orthanc.rest<DicomJson[]>('GET', `/dicom-web/studies?${fields}`);
    const res = await fetch(`http://127.0.0.1:${httpPort}/dicom-web/studies?${fields}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/dicom+json' },
    });
    if (!res.ok) throw new Error(`medscale QIDO-RS: ${res.status} ${await res.text()}`);
    const medscaleStudies = (await res.json()) as DicomJson[];

    // (b) medscale as the sender: sendFiles (what `medscale send` runs) to Orthanc.
    const before = (await orthanc.rest<string[]>('GET', '/instances')).length;
    const mrDir = join(root, 'mr');
    makeMrFiles(mrDir, MR_SENT, { perSeries: MR_SENT });
    const sent = await sendFiles(
      { host: '127.0.0.1', port: orthanc.dicomPort, callingAe: 'MEDSCALE', calledAe: 'ORTHANC' },
      readdirSync(mrDir).map((f) => join(mrDir, f)),
    );
    const after = (await orthanc.rest<string[]>('GET', '/instances')).length;

    await app.close();
    const result: InteropResult = {
      orthancToMedscale,
      medscaleToOrthanc: {
        sent: sent.sent,
        failed: sent.failed,
        errors: sent.outcomes.flatMap((o) => (o.error === undefined ? [] : [o.error])),
        orthancInstancesBefore: before,
        orthancInstancesAfter: after,
      },
      qido: {
        orthanc: reduceStudies(orthancStudies),
        medscale: reduceStudies(medscaleStudies),
        raw: { orthanc: orthancStudies, medscale: medscaleStudies },
      },
      orthancPid: orthanc.pid,
    };
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  } finally {
    await orthanc?.close();
    await node?.close();
    await workspace?.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
