// QA of one full-size 12-series whole-body session (issue 4): seconds per session end to end
// (load from the catalog, decode, metrics, checks, store), MB/s of pixel data through all the
// metrics, and the ratio to one plain pass over the same voxels (a sum) in the same run, as the
// distance from the memory-bandwidth limit. Prints figures; asserts nothing.
// Run: npx tsx bench/qa-session.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestPaths } from '../src/ingest/index.js';
import { readProtocolFile } from '../src/protocol/index.js';
import { computeSeriesMetrics } from '../src/qa/index.js';
import { loadSession, runQa } from '../src/qa-runner/index.js';
import { listStudies } from '../src/store/index.js';
import { synthesizeMrCohort } from '../src/synth/index.js';
import { Workspace } from '../src/workspace/index.js';

const root = mkdtempSync(join(tmpdir(), 'medscale-bench-qa-'));
try {
  const cohort = join(root, 'cohort');
  let t = performance.now();
  await synthesizeMrCohort({
    outDir: cohort,
    participants: 1,
    sites: 1,
    seed: 'bench',
    size: 'full',
  });
  console.log(
    `synthesized one full-size session in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const workspace = await Workspace.open(
    { dataDir: join(root, 'data'), catalogUrl: `sqlite:${join(root, 'catalog.sqlite')}` },
    {},
  );
  const ingest = await ingestPaths(workspace, [cohort], { project: 'bench', exclude: ['*.json'] });
  console.log(`ingested ${ingest.stored} instances`);
  const protocol = await readProtocolFile(join(cohort, 'protocol.json'));

  // End to end, as `medscale qa run --study` does it.
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    await runQa(workspace, { all: true, protocol });
    runs.push((performance.now() - t) / 1000);
  }
  runs.sort((a, b) => a - b);
  console.log(`QA end to end: ${runs[1]!.toFixed(2)} s per session (median of 3)`);

  // The metrics alone, against one plain pass over the same voxels.
  const [study] = await listStudies(workspace.catalog, { limit: 1 });
  t = performance.now();
  const loaded = await loadSession(workspace, study!);
  const loadS = (performance.now() - t) / 1000;
  const volumes = loaded.series.flatMap((s) => (s.volume === undefined ? [] : [s]));
  const bytes = volumes.reduce((n, s) => n + s.volume!.data.byteLength, 0);
  const median = (f: () => void): number => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      f();
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[2]! / 1000;
  };
  let sink = 0;
  const sumS = median(() => {
    for (const s of volumes) {
      const data = s.volume!.data;
      let acc = 0;
      // Indexed loop: for…of over a Float32Array is ~5× slower on Node 20.
      // eslint-disable-next-line @typescript-eslint/prefer-for-of
      for (let i = 0; i < data.length; i++) acc += data[i]!;
      sink += acc;
    }
  });
  const metricsS = median(() => {
    for (const s of volumes) {
      const m = computeSeriesMetrics(s.volume!, {
        phaseAxis: s.observation.phaseEncodingDirection === 'ROW' ? 'i' : 'j',
      });
      sink += m.snr;
    }
  });
  const mb = bytes / 1e6;
  console.log(`pixel data: ${volumes.length} series, ${mb.toFixed(1)} MB as float32`);
  console.log(
    `load + decode from the store: ${loadS.toFixed(2)} s (${(mb / loadS).toFixed(0)} MB/s)`,
  );
  console.log(`plain sum pass: ${(sumS * 1000).toFixed(1)} ms (${(mb / sumS).toFixed(0)} MB/s)`);
  console.log(
    `all metrics: ${metricsS.toFixed(2)} s (${(mb / metricsS).toFixed(0)} MB/s), ${(metricsS / sumS).toFixed(0)}× the plain pass`,
  );
  if (sink === 42) console.log('');
  await workspace.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
