import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Job, Queue, QueueEvents } from 'bullmq';
import type { JsonObject } from '../../core/index.js';
import { PlatformError } from '../../core/index.js';
import { findStageRun } from '../../store/index.js';
import type { Workspace } from '../../workspace/index.js';
import type { JobOutcome } from '../execute-stage.js';
import { stageRunKey } from '../execute-stage.js';
import type { PlannedJob } from '../plan-pipeline.js';
import { stageByName } from '../registry.js';
import type { JobDispatcher } from '../run-pipeline.js';
import type { StageInput } from '../stage.js';
import { STAGE_QUEUE, errorFromFailedReason, redisOptions } from './redis-connection.js';

/** What a stage job carries through Redis (JSON). */
export interface StageJobData {
  readonly stage: string;
  readonly input: StageInput;
  readonly subjectId: number;
  /** Host of the process that queued it: SQLite catalogs only serve workers on that host. */
  readonly runHost: string;
  readonly cacheKey: string;
}

/** Options of {@link BullmqDispatcher}. */
export interface BullmqDispatcherOptions {
  /** `redis://host:port`. */
  readonly redis: string;
  /** Jobs in flight at once. @defaultValue 256 */
  readonly concurrency?: number;
  /** Redis key prefix, to keep several deployments (or tests) apart. @defaultValue 'medscale' */
  readonly prefix?: string;
  /** How often a job not heard of is checked on, milliseconds. @defaultValue 1000 */
  readonly pollMs?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The distributed runner: jobs go to a BullMQ queue on Redis, and `medscale worker` processes on
 * any number of hosts take them (each looks the cache up, computes, and records the run in the
 * shared catalog exactly once). Retries with backoff and stalled-job recovery are BullMQ's.
 *
 * @remarks
 * The catalog, not Redis, is the record of what is done: a job whose Redis state was lost (Redis
 * restarted without persistence) is looked up in the catalog and queued again only when no run
 * recorded it, so a Redis restart costs at most the jobs that were in flight.
 */
export class BullmqDispatcher implements JobDispatcher {
  readonly name = 'bullmq';
  readonly retriesItself = true;
  readonly concurrency: number;
  readonly #workspace: Workspace;
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #pollMs: number;

  private constructor(
    workspace: Workspace,
    queue: Queue,
    events: QueueEvents,
    options: BullmqDispatcherOptions,
  ) {
    this.#workspace = workspace;
    this.#queue = queue;
    this.#events = events;
    this.concurrency = options.concurrency ?? 256;
    this.#pollMs = options.pollMs ?? 1000;
  }

  /**
   * Connects to Redis.
   *
   * @throws PlatformError `ERR_QUEUE` when Redis cannot be reached within 10 s.
   */
  static async connect(
    workspace: Workspace,
    options: BullmqDispatcherOptions,
  ): Promise<BullmqDispatcher> {
    const connection = redisOptions(options.redis);
    const prefix = options.prefix ?? 'medscale';
    const queue = new Queue(STAGE_QUEUE, { connection, prefix });
    const events = new QueueEvents(STAGE_QUEUE, { connection, prefix });
    queue.on('error', () => undefined);
    events.on('error', () => undefined);
    // Every job in flight waits on these emitters (waitUntilFinished adds a listener per job).
    queue.setMaxListeners(0);
    events.setMaxListeners(0);
    const timeout = sleep(10_000).then(() => {
      throw new PlatformError('ERR_QUEUE', `Redis at ${options.redis} did not answer within 10 s`);
    });
    try {
      await Promise.race([Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), timeout]);
    } catch (error) {
      await Promise.allSettled([queue.close(), events.close()]);
      throw error;
    }
    return new BullmqDispatcher(workspace, queue, events, options);
  }

  async dispatch(job: PlannedJob, input: StageInput, signal: AbortSignal): Promise<JobOutcome> {
    const stage = stageByName(job.step.stage);
    const key = stageRunKey(stage, input);
    const cached = await this.#fromCatalog(key, true);
    if (cached !== undefined) return cached;
    const data: StageJobData = {
      stage: stage.name,
      input,
      subjectId: job.subjectId,
      runHost: hostname(),
      cacheKey: key,
    };
    // A fresh id per dispatch: an id left in Redis by an earlier run must not stand in for this
    // one (its result may since have left the catalog). Re-adding after a Redis loss reuses it.
    const jobId = `${key.slice('sha256:'.length, 'sha256:'.length + 32)}-${randomUUID()}`;
    const add = (): Promise<Job> =>
      this.#queue.add(stage.name, data, {
        jobId,
        attempts: job.step.retries + 1,
        backoff: { type: 'exponential', delay: 250 },
        removeOnComplete: { age: 3600 },
        removeOnFail: { age: 24 * 3600 },
      });
    let queued = await add();
    for (;;) {
      if (signal.aborted) {
        await queued.remove().catch(() => undefined);
        throw new PlatformError('ERR_PIPELINE_CANCELLED', `job ${job.key} cancelled`);
      }
      let finished = false;
      try {
        finished = await Promise.race([
          queued.waitUntilFinished(this.#events, this.#pollMs).then(() => true),
          sleep(this.#pollMs * 1.5).then(() => false),
        ]);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (!/timed out/i.test(reason)) {
          // A real failure after BullMQ's retries, unless Redis lost the job meanwhile.
          const state = await this.#queue.getJobState(jobId).catch(() => 'unknown');
          if (state === 'failed') throw errorFromFailedReason(reason);
        }
      }
      // The worker recorded the run in the catalog before it completed the job, so the catalog
      // has the output. (waitUntilFinished was seen to resolve null here, so its value is not used.)
      if (finished) {
        const done = await this.#fromCatalog(key, false);
        if (done !== undefined) return done;
      }
      // Nothing heard within the poll interval: ask Redis, then the catalog.
      const current = await Job.fromId(this.#queue, jobId).catch(() => undefined);
      if (current !== undefined) {
        const state = await current.getState().catch(() => 'unknown');
        if (state === 'failed') throw errorFromFailedReason(current.failedReason);
        if (state !== 'completed') {
          queued = current;
          continue;
        }
        const done = await this.#fromCatalog(key, false);
        if (done !== undefined) return done;
        const value = current.returnvalue as JobOutcome | null;
        if (value !== null) return value;
        throw new PlatformError(
          'ERR_PIPELINE_STAGE',
          `job ${job.key} completed in Redis but its run is not in the catalog`,
        );
      }
      const done = await this.#fromCatalog(key, false);
      if (done !== undefined) return done;
      queued = await add().catch(async () => {
        await sleep(this.#pollMs);
        return queued;
      });
    }
  }

  async #fromCatalog(key: string, cached: boolean): Promise<JobOutcome | undefined> {
    const run = await findStageRun(this.#workspace.catalog, key);
    if (run === undefined) return undefined;
    return {
      cacheKey: key,
      output: run.output as JsonObject,
      cached,
      created: false,
      seconds: run.seconds,
      worker: run.worker,
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#queue.close(), this.#events.close()]);
  }
}
