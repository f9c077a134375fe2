import { randomUUID } from 'node:crypto';
import type { JsonObject, JsonValue, SerializedError } from '../core/index.js';
import { PlatformError, serializeError } from '../core/index.js';
import { upsertJob } from '../store/index.js';
import type { Workspace } from '../workspace/index.js';
import type { JobOutcome } from './execute-stage.js';
import type { PipelinePlan, PlannedJob } from './plan-pipeline.js';
import { upstreamAllows } from './plan-pipeline.js';
import type { StageInput, StageLevel } from './stage.js';

/** Hands jobs to whatever computes them: worker threads here, or BullMQ workers anywhere. */
export interface JobDispatcher {
  readonly name: string;
  /** Jobs in flight at once. */
  readonly concurrency: number;
  /** Whether the dispatcher retries failed jobs itself (BullMQ does); otherwise the run does. */
  readonly retriesItself: boolean;
  dispatch(job: PlannedJob, input: StageInput, signal: AbortSignal): Promise<JobOutcome>;
  close(): Promise<void>;
}

/** Where a job ended. `skipped`: its conditions on upstream outputs failed, or an upstream job did. */
export type JobEnd = 'computed' | 'cached' | 'failed' | 'skipped' | 'cancelled';

/** A progress event of a run. */
export interface RunEvent {
  readonly job: string;
  readonly step: string;
  readonly state: 'running' | JobEnd;
  readonly done: number;
  readonly total: number;
  readonly error?: SerializedError;
}

/** Options of {@link runPipeline}. */
export interface RunPipelineOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
  /** First delay of a retry, doubled each attempt, in milliseconds. @defaultValue 250 */
  readonly backoffMs?: number;
}

/** Per-step figures of a run. */
export interface StepSummary {
  readonly jobs: number;
  readonly computed: number;
  readonly cached: number;
  readonly failed: number;
  readonly skipped: number;
  /** Summed compute time of the jobs computed in this run, seconds. */
  readonly computeSeconds: number;
}

/** What a run did. */
export interface RunSummary {
  readonly runUid: string;
  readonly pipeline: string;
  readonly runner: string;
  readonly subjects: number;
  readonly jobs: number;
  readonly computed: number;
  readonly cached: number;
  readonly failed: number;
  readonly skipped: number;
  readonly cancelled: number;
  readonly seconds: number;
  readonly steps: Readonly<Record<string, StepSummary>>;
  readonly failures: readonly { readonly job: string; readonly error: SerializedError }[];
  /** Output and cache key of every finished job, by job key. */
  readonly outputs: Readonly<
    Record<string, { readonly cacheKey: string; readonly output: JsonObject }>
  >;
}

const LEVEL_RANK: Readonly<Record<StageLevel, number>> = { subject: 0, study: 1, series: 2 };

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Runs a planned pipeline: every job once its needed jobs have finished, at most
 * `dispatcher.concurrency` at a time, through the provenance cache (a job whose stage, version,
 * parameters and inputs ran before costs a catalog lookup). Failures are recorded with their
 * error codes and retried with exponential backoff when retryable; a failed job's dependants are
 * skipped while the rest of the cohort goes on; cancellation stops dispatching and records the
 * jobs not run as cancelled. Job rows go to the catalog's `job` table under one run UID.
 */
export async function runPipeline(
  workspace: Workspace,
  plan: PipelinePlan,
  dispatcher: JobDispatcher,
  options: RunPipelineOptions = {},
): Promise<RunSummary> {
  const started = performance.now();
  const runUid = randomUUID();
  const signal = options.signal ?? new AbortController().signal;
  const backoff = options.backoffMs ?? 250;
  const total = plan.jobs.length;
  const end = new Map<string, JobEnd>();
  const outputs: Record<string, { cacheKey: string; output: JsonObject }> = {};
  const failures: { job: string; error: SerializedError }[] = [];
  const steps: Record<string, { -readonly [K in keyof StepSummary]: number }> = {};
  for (const step of plan.pipeline.stages)
    steps[step.id] = { jobs: 0, computed: 0, cached: 0, failed: 0, skipped: 0, computeSeconds: 0 };
  const emit = (job: PlannedJob, state: RunEvent['state'], error?: SerializedError): void => {
    options.onEvent?.({
      job: job.key,
      step: job.step.id,
      state,
      done: end.size,
      total,
      ...(error === undefined ? {} : { error }),
    });
  };
  const record = async (
    job: PlannedJob,
    state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled',
    extra: { attempts: number; cacheKey?: string; error?: SerializedError; worker?: string },
  ): Promise<void> => {
    const now = new Date().toISOString();
    await upsertJob(workspace.catalog, {
      runUid,
      stage: job.step.stage,
      inputKey: job.key,
      state,
      attempts: extra.attempts,
      ...(extra.cacheKey === undefined ? {} : { cacheKey: extra.cacheKey }),
      ...(extra.error === undefined ? {} : { error: extra.error }),
      ...(extra.worker === undefined ? {} : { worker: extra.worker }),
      ...(state === 'running' ? { startedAt: now } : {}),
      ...(state === 'succeeded' || state === 'failed' ? { finishedAt: now } : {}),
    });
  };
  const finish = (job: PlannedJob, how: JobEnd, error?: SerializedError): void => {
    end.set(job.key, how);
    const s = steps[job.step.id];
    if (s !== undefined) {
      s.jobs++;
      if (how === 'computed' || how === 'cached' || how === 'failed' || how === 'skipped') s[how]++;
    }
    emit(job, how, error);
  };

  const upstreamOf = (job: PlannedJob): Record<string, JsonValue> => {
    const upstream: Record<string, JsonValue> = {};
    for (const [stepId, keys] of Object.entries(job.needs)) {
      const upStep = plan.pipeline.stages.find((s) => s.id === stepId);
      const values = keys.map((k) => outputs[k]?.output ?? null);
      const finer = upStep !== undefined && LEVEL_RANK[upStep.level] > LEVEL_RANK[job.step.level];
      upstream[stepId] = finer ? values : (values[0] ?? null);
    }
    return upstream;
  };

  const runJob = async (job: PlannedJob): Promise<void> => {
    const upstream = upstreamOf(job);
    if (!upstreamAllows(job.step.when, upstream)) {
      finish(job, 'skipped');
      return;
    }
    const input: StageInput = { params: job.step.params, target: job.target, upstream };
    const attemptsAllowed = dispatcher.retriesItself ? 1 : job.step.retries + 1;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) {
        await record(job, 'cancelled', { attempts: attempt - 1 });
        finish(job, 'cancelled');
        return;
      }
      await record(job, 'running', { attempts: attempt });
      emit(job, 'running');
      try {
        const outcome = await dispatcher.dispatch(job, input, signal);
        outputs[job.key] = { cacheKey: outcome.cacheKey, output: outcome.output };
        await record(job, 'succeeded', {
          attempts: attempt,
          cacheKey: outcome.cacheKey,
          worker: outcome.worker,
        });
        const s = steps[job.step.id];
        if (s !== undefined && !outcome.cached) s.computeSeconds += outcome.seconds;
        finish(job, outcome.cached ? 'cached' : 'computed');
        return;
      } catch (error) {
        const serialized = serializeError(error);
        if (serialized.retryable && attempt < attemptsAllowed) {
          await sleep(backoff * 2 ** (attempt - 1), signal);
          continue;
        }
        await record(job, 'failed', { attempts: attempt, error: serialized });
        failures.push({ job: job.key, error: serialized });
        finish(job, 'failed', serialized);
        return;
      }
    }
  };

  // Dispatch loop: start every job whose needs are finished, up to the dispatcher's concurrency.
  const pending = [...plan.jobs];
  const running = new Set<Promise<void>>();
  while (pending.length > 0 || running.size > 0) {
    if (signal.aborted) {
      for (const job of pending.splice(0)) {
        await record(job, 'cancelled', { attempts: 0 });
        finish(job, 'cancelled');
      }
    }
    let started = false;
    for (let i = 0; i < pending.length && running.size < dispatcher.concurrency; i++) {
      const job = pending[i];
      if (job === undefined) continue;
      const needed = Object.values(job.needs).flat();
      if (!needed.every((k) => end.has(k))) continue;
      pending.splice(i--, 1);
      started = true;
      if (needed.some((k) => end.get(k) !== 'computed' && end.get(k) !== 'cached')) {
        finish(job, 'skipped');
        continue;
      }
      const p: Promise<void> = runJob(job).finally(() => running.delete(p));
      running.add(p);
    }
    if (running.size > 0) await Promise.race(running);
    else if (!started && pending.length > 0)
      throw new PlatformError('ERR_INTERNAL', 'pipeline run is stuck: jobs wait on jobs never run');
  }

  const count = (how: JobEnd): number => [...end.values()].filter((e) => e === how).length;
  return {
    runUid,
    pipeline: plan.pipeline.name,
    runner: dispatcher.name,
    subjects: plan.subjects,
    jobs: total,
    computed: count('computed'),
    cached: count('cached'),
    failed: count('failed'),
    skipped: count('skipped'),
    cancelled: count('cancelled'),
    seconds: (performance.now() - started) / 1000,
    steps,
    failures,
    outputs,
  };
}
