// DIMSE C-STORE throughput: N distinct MR instances (pydicom's MR_small, 64×64) sent by dcmtk's
// storescu over one association (TCP_NODELAY=1, DESIGN.md §5) to medscale's SCP, which answers each
// only once it is de-identified and durable (fsync + SQLite commit), and, where Debian's Orthanc is
// installed, the same files to Orthanc (default durable SQLite storage), one after the other,
// with the ratio. Orthanc cannot be bound to 127.0.0.1, so then both run in a private network
// namespace (`unshare -n`, loopback only): this file re-runs itself there with --netns-child.
// Run: npx tsx bench/dimse-store.bench.ts [--instances N]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDimseService } from '../src/node/index.js';
import { countAll } from '../src/store/index.js';
import { Workspace } from '../src/workspace/index.js';
import { makeMrFiles } from '../test/support/make-series.js';
import {
  RESULT_PREFIX,
  orthancUnavailable,
  runInNetns,
  startOrthanc,
} from '../test/support/orthanc.js';
import { HAVE_PYDICOM } from '../test/support/pydicom-files.js';

const arg = process.argv.indexOf('--instances');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 500;
const child = process.argv.indexOf('--netns-child');

interface Figure {
  readonly seconds: number;
  /** Instances the SCP holds afterwards. */
  readonly stored: number;
}

function storescu(port: number, calledAe: string, dir: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      'storescu',
      ['-aet', 'STORESCU', '-aec', calledAe, '+sd', '127.0.0.1', `${port}`, dir],
      { env: { ...process.env, TCP_NODELAY: '1' } },
      (error, _stdout, stderr) => {
        if (error !== null) reject(new Error(`storescu failed: ${stderr}`));
        else resolve((performance.now() - start) / 1000);
      },
    );
  });
}

async function benchMedscale(root: string, input: string): Promise<Figure> {
  const workspace = await Workspace.open({ dataDir: join(root, 'data') }, {});
  try {
    const node = await startDimseService(workspace, {
      project: 'bench',
      host: '127.0.0.1',
      port: 0,
    });
    const seconds = await storescu(node.server.port, 'MEDSCALE', input);
    await node.close();
    return { seconds, stored: (await countAll(workspace.catalog)).instance };
  } finally {
    await workspace.close();
  }
}

/** Namespace only: Orthanc answers each C-STORE once file (fsynced) and SQLite index are written. */
async function benchOrthanc(root: string, input: string): Promise<Figure> {
  const orthanc = await startOrthanc({ dir: join(root, 'orthanc'), dicomWeb: false });
  try {
    const seconds = await storescu(orthanc.dicomPort, orthanc.aeTitle, input);
    const stats = await orthanc.rest<{ CountInstances: number }>('GET', '/statistics');
    return { seconds, stored: stats.CountInstances };
  } finally {
    await orthanc.close();
  }
}

function line(name: string, figure: Figure): string {
  const rate = N / figure.seconds;
  return `${name}: ${N} instances (${figure.stored} stored) in ${figure.seconds.toFixed(2)} s = ${rate.toFixed(0)} instances/s`;
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
    const unavailable = orthancUnavailable();
    if (unavailable !== null) {
      console.log(
        `${line('medscale SCP', await benchMedscale(root, input))} (one association, durable per response)`,
      );
      console.log(`Orthanc not run (${unavailable}): no side-by-side figure`);
      return;
    }
    const { orthanc, medscale } = await runInNetns<{ orthanc: Figure; medscale: Figure }>(
      import.meta.filename,
      ['--netns-child', root, '--instances', `${N}`],
      600_000,
    );
    console.log(`${line('Orthanc (default SQLite storage)', orthanc)} (one association)`);
    console.log(`${line('medscale SCP', medscale)} (one association, durable per response)`);
    console.log(
      `medscale / Orthanc: ${(orthanc.seconds / medscale.seconds).toFixed(2)}× (private network namespace, loopback)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Runs in the namespace: the same files to Orthanc, then to medscale. */
async function netnsChild(root: string): Promise<void> {
  const input = join(root, 'in');
  const orthanc = await benchOrthanc(root, input);
  const medscale = await benchMedscale(root, input);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ orthanc, medscale })}\n`);
}

if (child > 0) await netnsChild(process.argv[child + 1]!);
else await main();
