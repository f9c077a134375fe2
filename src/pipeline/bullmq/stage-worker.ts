import { hostname } from 'node:os';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { PlatformError, serializeError } from '../../core/index.js';
import type { Workspace } from '../../workspace/index.js';
import type { JobOutcome } from '../execute-stage.js';
import { computeStage, runThroughCache, workerName } from '../execute-stage.js';
import { stageByName } from '../registry.js';
import type { StageJobData } from './bullmq-dispatcher.js';
import { STAGE_QUEUE, redisOptions } from './redis-connection.js';

/** Options of {@link startStageWorker}. */
export interface StageWorkerOptions {
  /** `redis://host:port`. */
  readonly redis: string;
  /** Jobs this process runs at once. @defaultValue 1 */
  readonly concurrency?: number;
  /** Redis key prefix. @defaultValue 'medscale' */
  readonly prefix?: string;
  /**
   * How long a job's lock lasts without renewal, milliseconds: a worker killed mid-job has its
   * job taken over by another after about this long.
   * @defaultValue 10000
   */
  readonly lockDurationMs?: number;
  /** Called when a job starts, for the CLI's log lines. */
  readonly onStart?: (event: { readonly job: string; readonly stage: string }) => void;
  /** Called after each job, for the CLI's log lines. */
  readonly onJob?: (event: {
    readonly job: string;
    readonly stage: string;
    readonly outcome?: JobOutcome;
    readonly error?: string;
  }) => void;
}

/** A running stage worker. */
export interface StageWorker {
  readonly name: string;
  close(): Promise<void>;
}

/**
 * Starts a BullMQ worker that runs pipeline stages from the queue: it looks each job up in the
 * provenance cache, computes it when new, stores its blobs and records the run exactly once in
 * the catalog. Non-retryable errors end the job at once (BullMQ's `UnrecoverableError`); others
 * are retried with backoff. Errors cross Redis as `CODE: message` (STYLE.md 3.4).
 *
 * @throws PlatformError `ERR_QUEUE` at job time when the catalog is SQLite and the job was queued
 *   on another host: a SQLite file cannot be shared between hosts.
 */
export async function startStageWorker(
  workspace: Workspace,
  options: StageWorkerOptions,
): Promise<StageWorker> {
  const name = workerName('bullmq');
  const processor = async (job: Job<StageJobData>): Promise<JobOutcome> => {
    const data = job.data;
    options.onStart?.({ job: job.id ?? '', stage: data.stage });
    try {
      if (workspace.catalog.dialect === 'sqlite' && data.runHost !== hostname()) {
        throw new PlatformError(
          'ERR_QUEUE',
          `this worker (${hostname()}) has a SQLite catalog, but the job was queued on ${data.runHost}: workers on several hosts need a PostgreSQL catalog (--catalog postgres://…) and a shared blob store`,
        );
      }
      const stage = stageByName(data.stage);
      const outcome = await runThroughCache(
        workspace.catalog,
        stage,
        data.input,
        data.subjectId,
        name,
        () => computeStage(stage, data.input, { blobs: workspace.blobs, workspace }),
      );
      options.onJob?.({ job: job.id ?? '', stage: data.stage, outcome });
      return outcome;
    } catch (error) {
      const e = serializeError(error);
      options.onJob?.({ job: job.id ?? '', stage: data.stage, error: `${e.code}: ${e.message}` });
      if (!e.retryable) throw new UnrecoverableError(`${e.code}: ${e.message}`);
      throw new Error(`${e.code}: ${e.message}`, { cause: error });
    }
  };
  const lockDuration = options.lockDurationMs ?? 10_000;
  const worker = new Worker<StageJobData, JobOutcome>(STAGE_QUEUE, processor, {
    connection: redisOptions(options.redis),
    prefix: options.prefix ?? 'medscale',
    concurrency: options.concurrency ?? 1,
    lockDuration,
    stalledInterval: Math.max(1000, Math.round(lockDuration / 2)),
    maxStalledCount: 3,
  });
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  return {
    name,
    close: () => worker.close(),
  };
}
