import { availableParallelism } from 'node:os';
import { WorkerPool } from '../../ingest/index.js';
import type { Workspace } from '../../workspace/index.js';
import type { ComputedStage, JobOutcome } from '../execute-stage.js';
import { computeStage, runThroughCache, workerName } from '../execute-stage.js';
import type { PlannedJob } from '../plan-pipeline.js';
import { stageByName } from '../registry.js';
import type { StageInput } from '../stage.js';
import type { JobDispatcher } from '../run-pipeline.js';
import type { StageThreadInit, StageThreadTask } from './stage-thread.js';

/** Options of {@link LocalDispatcher}. */
export interface LocalDispatcherOptions {
  /**
   * Worker threads for pure stages.
   * @defaultValue `os.availableParallelism()`
   */
  readonly threads?: number;
}

/**
 * The default runner: pure stages compute on worker threads (one per core), stages that need
 * the catalog run on the main thread beside it; the provenance cache is consulted and written on
 * the main thread, so one SQLite connection serves the whole run.
 */
export class LocalDispatcher implements JobDispatcher {
  readonly name = 'local';
  readonly retriesItself = false;
  readonly concurrency: number;
  readonly #workspace: Workspace;
  #pool: WorkerPool | undefined;
  readonly #threads: number;

  constructor(workspace: Workspace, options: LocalDispatcherOptions = {}) {
    this.#workspace = workspace;
    this.#threads = Math.max(1, options.threads ?? availableParallelism());
    this.concurrency = this.#threads;
  }

  #poolOf(): WorkerPool {
    if (this.#pool === undefined) {
      const here = import.meta.url;
      const entry = new URL(here.endsWith('.ts') ? './stage-thread.ts' : './stage-thread.js', here);
      const init: StageThreadInit = { dataDir: this.#workspace.config.dataDir };
      this.#pool = new WorkerPool({ entry, init }, { size: this.#threads });
    }
    return this.#pool;
  }

  dispatch(job: PlannedJob, input: StageInput, signal: AbortSignal): Promise<JobOutcome> {
    const stage = stageByName(job.step.stage);
    const compute = (): Promise<ComputedStage> =>
      stage.needsCatalog === true
        ? computeStage(stage, input, {
            blobs: this.#workspace.blobs,
            workspace: this.#workspace,
            signal,
          })
        : this.#poolOf().run<ComputedStage>({
            stage: stage.name,
            input,
          } satisfies StageThreadTask);
    return runThroughCache(
      this.#workspace.catalog,
      stage,
      input,
      job.subjectId,
      workerName('local'),
      compute,
    );
  }

  async close(): Promise<void> {
    await this.#pool?.close();
  }
}
