import { hostname } from 'node:os';
import type { JsonObject } from '../core/index.js';
import { PlatformError, isPlatformError } from '../core/index.js';
import type {
  BlobStore,
  CachedStageRun,
  CatalogHandle,
  StageArtifactRecord,
} from '../store/index.js';
import { findStageRun, recordStageRun } from '../store/index.js';
import type { Workspace } from '../workspace/index.js';
import { cacheKey } from './cache-key.js';
import type { Stage, StageInput } from './stage.js';

/** A stage computed (not from the cache): its output and the blobs it stored. */
export interface ComputedStage {
  readonly output: JsonObject;
  readonly artifacts: readonly StageArtifactRecord[];
  /** Wall time of `run`, seconds. */
  readonly seconds: number;
}

/** Where a stage computes: the blob store, and the workspace for stages that need the catalog. */
export interface StageEnvironment {
  readonly blobs: BlobStore;
  readonly workspace?: Workspace;
  readonly signal?: AbortSignal;
  readonly log?: (message: string) => void;
}

/**
 * Runs a stage once, collecting the artifacts it stores. Errors that are not platform errors are
 * wrapped as `ERR_PIPELINE_STAGE` naming the stage, so a bug in one stage reads as such.
 */
export async function computeStage(
  stage: Stage,
  input: StageInput,
  env: StageEnvironment,
): Promise<ComputedStage> {
  const artifacts: StageArtifactRecord[] = [];
  const started = performance.now();
  let output: JsonObject;
  try {
    output = await stage.run(input, {
      signal: env.signal ?? new AbortController().signal,
      getBlob: (digest) => env.blobs.get(digest as never),
      putArtifact: async (bytes, kind, format) => {
        const { digest } = await env.blobs.put(bytes);
        if (!artifacts.some((a) => a.digest === digest && a.kind === kind))
          artifacts.push({ digest, kind, format });
        return digest;
      },
      log: env.log ?? (() => undefined),
      ...(env.workspace === undefined ? {} : { workspace: env.workspace }),
    });
  } catch (error) {
    if (isPlatformError(error)) throw error;
    throw new PlatformError(
      'ERR_PIPELINE_STAGE',
      `stage ${stage.name} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return { output, artifacts, seconds: (performance.now() - started) / 1000 };
}

/** The result of a job: the stage's output, from the cache or freshly computed. */
export interface JobOutcome {
  readonly cacheKey: string;
  readonly output: JsonObject;
  /** Whether the output came from the provenance cache (nothing computed). */
  readonly cached: boolean;
  /** Whether this call recorded the run (false when it was cached or another worker won). */
  readonly created: boolean;
  readonly seconds: number;
  /** Who computed it: `runner:host:pid`. */
  readonly worker: string;
}

/** The key of a stage run on an input (stage name, version, parameters, input). */
export function stageRunKey(stage: Stage, input: StageInput): string {
  return cacheKey(stage.name, stage.version, input.params, {
    target: input.target,
    upstream: input.upstream,
  });
}

/** This process as a worker name. */
export function workerName(runner: string): string {
  return `${runner}:${hostname()}:${process.pid}`;
}

function outcomeOf(run: CachedStageRun, cached: boolean, created: boolean): JobOutcome {
  return {
    cacheKey: run.cacheKey,
    output: run.output as JsonObject,
    cached,
    created,
    seconds: run.seconds,
    worker: run.worker,
  };
}

/**
 * Runs a job through the provenance cache: returns the stored output when this stage, version,
 * parameters and input ran before; otherwise computes it (with `compute`, which may hand the
 * work to a thread) and records the run and its artifacts exactly once.
 */
export async function runThroughCache(
  catalog: CatalogHandle,
  stage: Stage,
  input: StageInput,
  subjectId: number | null,
  worker: string,
  compute: () => Promise<ComputedStage>,
): Promise<JobOutcome> {
  const key = stageRunKey(stage, input);
  const hit = await findStageRun(catalog, key);
  if (hit !== undefined) return outcomeOf(hit, true, false);
  const computed = await compute();
  const { created, run } = await recordStageRun(catalog, {
    cacheKey: key,
    stage: stage.name,
    stageVersion: stage.version,
    params: input.params,
    inputs: { target: input.target, upstream: input.upstream },
    output: computed.output,
    subjectId,
    seconds: computed.seconds,
    worker,
    artifacts: computed.artifacts,
  });
  return outcomeOf(run, false, created);
}
