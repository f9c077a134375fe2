/**
 * The pipeline engine end to end on a real catalog (PostgreSQL, the cluster set-up): a cohort QA
 * pipeline through the local runner, the provenance cache (re-runs compute nothing, a changed
 * parameter recomputes only what depends on it), `artifact why`, then the same pipeline through
 * BullMQ with several `medscale worker` processes: identical outputs and digests, a worker killed
 * with SIGKILL mid-job, and Redis restarted mid-run.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../src/ingest/index.js';
import {
  BullmqDispatcher,
  LocalDispatcher,
  canonicalJson,
  explainArtifact,
  parsePipeline,
  planPipeline,
  runPipeline,
} from '../../src/pipeline/index.js';
import type { PipelineSpec, RunSummary } from '../../src/pipeline/index.js';
import { countArtifactsByDigest } from '../../src/store/index.js';
import { synthesizeMrCohort } from '../../src/synth/index.js';
import { Workspace } from '../../src/workspace/index.js';
import { DIALECTS } from '../support/dialects.js';
import { startTestRedis } from '../support/redis.js';
import type { TestRedis } from '../support/redis.js';
import { startCli } from '../support/run-cli.js';

const postgres = DIALECTS.find((d) => d.name === 'postgres');

function pipelineWith(protocol: string, marginVoxels: number): PipelineSpec {
  return parsePipeline({
    version: 1,
    name: 'cohort-qa',
    stages: [
      { id: 'qa', stage: 'qa.session', params: { protocol } },
      {
        id: 'metrics',
        stage: 'qa.series-metrics',
        needs: ['qa'],
        params: { marginVoxels },
        when: { modality: 'MR', upstream: { 'qa.status': ['pass', 'warn'] } },
      },
      { id: 'summary', stage: 'catalog.series-summary' },
    ],
  });
}

/** Every output by job key, as canonical JSON, and every artifact digest the outputs name. */
function outputsOf(summary: RunSummary): { outputs: Map<string, string>; digests: string[] } {
  const outputs = new Map<string, string>();
  for (const [key, v] of Object.entries(summary.outputs))
    outputs.set(key, `${v.cacheKey} ${canonicalJson(v.output)}`);
  const digests = Object.values(summary.outputs)
    .map((v) => v.output['report'])
    .filter((d): d is string => typeof d === 'string');
  return { outputs, digests };
}

describe.skipIf(postgres === undefined)('pipeline engine (PostgreSQL catalog)', () => {
  let root: string;
  let workspace: Workspace;
  let catalogUrl: string;
  let drop: () => Promise<void>;
  let protocolPath: string;
  let redis: TestRedis;
  let local: RunSummary;
  const workers: ChildProcess[] = [];

  const clearCache = async (): Promise<void> => {
    await workspace.catalog.db.deleteFrom('artifact').where('run_key', 'is not', null).execute();
    await workspace.catalog.db.deleteFrom('stage_run').execute();
  };

  const startWorker = (lockMs: number): Promise<{ child: ChildProcess; lines: string[] }> => {
    const child = startCli([
      'worker',
      '--redis',
      redis.url,
      '--lock-ms',
      String(lockMs),
      '--data',
      join(root, 'data'),
      '--catalog',
      catalogUrl,
    ]);
    workers.push(child);
    const lines: string[] = [];
    return new Promise((resolve, reject) => {
      let buffer = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        lines.push(...parts);
        if (parts.some((l) => l.startsWith('worker '))) resolve({ child, lines });
      });
      child.once('exit', (code) => {
        reject(new Error(`worker exited early (${String(code)})`));
      });
    });
  };

  const stopWorkers = async (): Promise<void> => {
    await Promise.all(
      workers.splice(0).map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) resolve();
            else {
              child.once('exit', () => {
                resolve();
              });
              child.kill('SIGTERM');
            }
          }),
      ),
    );
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'medscale-pipeline-'));
    const cohort = join(root, 'cohort');
    await synthesizeMrCohort({
      outDir: cohort,
      participants: 3,
      sites: 1,
      seed: 'pipeline',
      size: 'small',
    });
    protocolPath = join(cohort, 'protocol.json');
    const created = await postgres!.create();
    catalogUrl = created.url;
    drop = () => created.drop();
    workspace = await Workspace.open({ dataDir: join(root, 'data'), catalogUrl }, {});
    await ingestPaths(workspace, [cohort], { project: 'p', exclude: ['*.json'], workers: 2 });
    redis = await startTestRedis();
  }, 300_000);

  afterAll(async () => {
    await stopWorkers();
    await redis.stop();
    await workspace.close();
    await drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('runs locally, reuses every result on a re-run, recomputes only what a parameter changes', async () => {
    const plan = await planPipeline(workspace, pipelineWith(protocolPath, 3), { project: 'p' });
    expect(plan.subjects).toBe(3);
    const dispatcher = new LocalDispatcher(workspace, { threads: 2 });
    try {
      local = await runPipeline(workspace, plan, dispatcher);
      expect(local.failures).toEqual([]);
      expect(local.steps['qa']?.computed).toBe(3);
      expect(local.steps['metrics']?.computed).toBeGreaterThan(10);
      expect(local.computed + local.skipped).toBe(local.jobs);

      const again = await runPipeline(workspace, plan, dispatcher);
      expect(again.computed).toBe(0);
      expect(again.cached).toBe(local.computed);
      expect(outputsOf(again).outputs).toEqual(outputsOf(local).outputs);

      const changed = await planPipeline(workspace, pipelineWith(protocolPath, 2), {
        project: 'p',
      });
      const third = await runPipeline(workspace, changed, dispatcher);
      expect(third.steps['qa']?.cached).toBe(3);
      expect(third.steps['summary']?.computed).toBe(0);
      expect(third.steps['metrics']?.computed).toBe(local.steps['metrics']?.computed);
    } finally {
      await dispatcher.close();
    }
    const [digest] = outputsOf(local).digests;
    const why = await explainArtifact(workspace.catalog, digest!);
    expect(why.run?.stage).toBe('qa.series-metrics');
    expect(why.run?.params).toEqual({ marginVoxels: 3, phaseAxis: 'j' });
    // Its inputs are the series' ingested instances, from outside the pipeline.
    expect(why.inputs.length).toBeGreaterThan(0);
    expect(why.inputs.every((i) => i.run === undefined)).toBe(true);
  }, 300_000);

  it('gives identical outputs and digests through BullMQ with two worker processes', async () => {
    await clearCache();
    await startWorker(10_000);
    await startWorker(10_000);
    const plan = await planPipeline(workspace, pipelineWith(protocolPath, 3), { project: 'p' });
    const dispatcher = await BullmqDispatcher.connect(workspace, { redis: redis.url, pollMs: 500 });
    try {
      const distributed = await runPipeline(workspace, plan, dispatcher);
      expect(distributed.failures).toEqual([]);
      expect(distributed.computed).toBe(local.computed);
      expect(outputsOf(distributed).outputs).toEqual(outputsOf(local).outputs);
      for (const digest of outputsOf(distributed).digests)
        expect(await countArtifactsByDigest(workspace.catalog, digest)).toBe(1);
      const byWorker = await workspace.catalog.db
        .selectFrom('stage_run')
        .select('worker')
        .distinct()
        .execute();
      expect(byWorker.length).toBe(2);
    } finally {
      await dispatcher.close();
      await stopWorkers();
    }
  }, 300_000);

  it('completes on another worker when one is killed with SIGKILL mid-job, with no duplicate', async () => {
    await clearCache();
    const first = await startWorker(2_000);
    const plan = await planPipeline(workspace, pipelineWith(protocolPath, 3), { project: 'p' });
    const dispatcher = await BullmqDispatcher.connect(workspace, { redis: redis.url, pollMs: 500 });
    try {
      const run = runPipeline(workspace, plan, dispatcher);
      while (!first.lines.some((l) => l.endsWith(': started')))
        await new Promise((r) => setTimeout(r, 20));
      first.child.kill('SIGKILL');
      await startWorker(2_000);
      const summary = await run;
      expect(summary.failures).toEqual([]);
      expect(outputsOf(summary).outputs).toEqual(outputsOf(local).outputs);
      for (const digest of outputsOf(summary).digests)
        expect(await countArtifactsByDigest(workspace.catalog, digest)).toBe(1);
    } finally {
      await dispatcher.close();
      await stopWorkers();
    }
  }, 300_000);

  it('resumes and completes when Redis restarts mid-run', async () => {
    await clearCache();
    await startWorker(2_000);
    await startWorker(2_000);
    const plan = await planPipeline(workspace, pipelineWith(protocolPath, 3), { project: 'p' });
    const dispatcher = await BullmqDispatcher.connect(workspace, { redis: redis.url, pollMs: 500 });
    try {
      let restarted = false;
      let restart: Promise<void> = Promise.resolve();
      const summary = await runPipeline(workspace, plan, dispatcher, {
        onEvent: (e) => {
          if (!restarted && e.state === 'computed' && e.done >= 3) {
            restarted = true;
            restart = redis.restart();
          }
        },
      });
      await restart;
      expect(restarted).toBe(true);
      expect(summary.failures).toEqual([]);
      expect(outputsOf(summary).outputs).toEqual(outputsOf(local).outputs);
    } finally {
      await dispatcher.close();
      await stopWorkers();
    }
  }, 300_000);
});
