// Pipeline engine (issue 8): a CPU-bound stage (qa.series-metrics on every series of a synthetic
// MR cohort) through the local runner with 1 and 2 worker threads (scaling efficiency = T1 / (2·T2),
// goal ≥ 0.85), the same through BullMQ with 1 and 2 `medscale worker` processes, and jobs/s for
// tiny jobs (catalog.series-summary) through BullMQ on loopback. The cache is cleared between runs
// so every job computes. Prints figures; asserts nothing. Needs redis-server on PATH.
// Run: npx tsx bench/pipeline.bench.ts [participants]
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestPaths } from '../src/ingest/index.js';
import {
  BullmqDispatcher,
  LocalDispatcher,
  parsePipeline,
  planPipeline,
  runPipeline,
} from '../src/pipeline/index.js';
import type { JobDispatcher, PipelinePlan } from '../src/pipeline/index.js';
import { synthesizeMrCohort } from '../src/synth/index.js';
import { Workspace } from '../src/workspace/index.js';

const participants = Number(process.argv[2] ?? 6);
const root = mkdtempSync(join(tmpdir(), 'medscale-bench-pipeline-'));
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function waitFor(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(text)) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`exited (${String(code)}): ${out}`));
    });
  });
}

try {
  const cohort = join(root, 'cohort');
  await synthesizeMrCohort({
    outDir: cohort,
    participants,
    sites: 1,
    seed: 'bench',
    size: 'small',
  });
  const dataDir = join(root, 'data');
  const catalogUrl = join(root, 'catalog.sqlite');
  const workspace = await Workspace.open({ dataDir, catalogUrl }, {});
  const ingest = await ingestPaths(workspace, [cohort], { project: 'b', exclude: ['*.json'] });
  console.log(`cohort: ${participants} participants, ${ingest.stored} instances`);

  const metrics = parsePipeline({
    version: 1,
    name: 'metrics',
    stages: [{ id: 'metrics', stage: 'qa.series-metrics', when: { modality: 'MR' } }],
  });
  const tiny = parsePipeline({
    version: 1,
    name: 'tiny',
    stages: [{ id: 'summary', stage: 'catalog.series-summary' }],
  });
  const metricsPlan = await planPipeline(workspace, metrics);
  const tinyPlan = await planPipeline(workspace, tiny);
  const clear = async (): Promise<void> => {
    await workspace.catalog.db.deleteFrom('artifact').where('run_key', 'is not', null).execute();
    await workspace.catalog.db.deleteFrom('stage_run').execute();
  };
  const timed = async (plan: PipelinePlan, dispatcher: JobDispatcher): Promise<number> => {
    await clear();
    const t = performance.now();
    const summary = await runPipeline(workspace, plan, dispatcher);
    if (summary.failed > 0) throw new Error(JSON.stringify(summary.failures[0]));
    return (performance.now() - t) / 1000;
  };

  const local: number[] = [];
  for (const threads of [1, 2]) {
    const dispatcher = new LocalDispatcher(workspace, { threads });
    await timed(metricsPlan, dispatcher); // warm-up: threads start, code compiles
    local.push(await timed(metricsPlan, dispatcher));
    await dispatcher.close();
  }
  const jobs = metricsPlan.jobs.length;
  console.log(
    `local runner, ${jobs} qa.series-metrics jobs: 1 thread ${local[0]!.toFixed(2)} s, 2 threads ${local[1]!.toFixed(2)} s, scaling efficiency ${(local[0]! / (2 * local[1]!)).toFixed(2)}`,
  );

  const port = await freePort();
  const redis = spawn('redis-server', [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    root,
  ]);
  children.push(redis);
  await waitFor(redis, 'Ready to accept connections');
  const url = `redis://127.0.0.1:${port}`;
  const dispatcher = await BullmqDispatcher.connect(workspace, { redis: url, pollMs: 200 });
  const startWorker = async (): Promise<void> => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '../src/cli/entry.ts'),
        'worker',
        '--redis',
        url,
        '--data',
        dataDir,
        '--catalog',
        catalogUrl,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(child);
    await waitFor(child, 'ready on');
  };
  const bull: number[] = [];
  await startWorker();
  await timed(metricsPlan, dispatcher);
  bull.push(await timed(metricsPlan, dispatcher));
  await startWorker();
  bull.push(await timed(metricsPlan, dispatcher));
  console.log(
    `BullMQ, ${jobs} qa.series-metrics jobs: 1 worker ${bull[0]!.toFixed(2)} s, 2 workers ${bull[1]!.toFixed(2)} s, scaling efficiency ${(bull[0]! / (2 * bull[1]!)).toFixed(2)}`,
  );
  const tinyS = await timed(tinyPlan, dispatcher);
  console.log(
    `BullMQ tiny jobs (catalog.series-summary), 2 workers: ${tinyPlan.jobs.length} jobs in ${tinyS.toFixed(2)} s = ${(tinyPlan.jobs.length / tinyS).toFixed(0)} jobs/s (each: queue, cache lookup, run, record, reply)`,
  );
  const localTiny = new LocalDispatcher(workspace, { threads: 2 });
  await timed(tinyPlan, localTiny); // warm-up: threads start
  const tinyLocal = await timed(tinyPlan, localTiny);
  await localTiny.close();
  console.log(
    `local tiny jobs: ${(tinyPlan.jobs.length / tinyLocal).toFixed(0)} jobs/s (the engine's own overhead per job)`,
  );
  await dispatcher.close();
  await workspace.close();
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
}
