/**
 * One job queue over a few worker threads, for the stages that fan independent jobs out
 * (cohort synthesis, carotid ultrasound synthesis, in-silico trials). The main thread hands each
 * idle worker the next job; results come back in job order; progress messages pass through; the
 * first failure or an abort stops every worker. The worker side is {@link serveWorkerJobs}.
 *
 * Persistent pools with their own life cycle (ingest, the pipeline's stage threads) are not this:
 * they outlive one batch of jobs.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { deserializeError, errorMessage, PlatformError, serializeError } from './errors.js';
import type { ErrorCode, SerializedError } from './errors.js';

/**
 * The types a worker module's jobs exchange: the job sent, the result posted back and the
 * progress values posted meanwhile. A worker module exports its kind so that the main thread's
 * {@link runJobsInWorkers} and the worker's {@link serveWorkerJobs} agree on them.
 */
export interface WorkerJobKind<J, R, P = never> {
  readonly job: J;
  readonly result: R;
  readonly progress: P;
}

/** Any {@link WorkerJobKind}. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the constraint of every kind
export type AnyWorkerJobKind = WorkerJobKind<any, any, any>;

/** A message from the main thread to a worker: one job, by its index. */
export interface WorkerJobRequest<J> {
  readonly id: number;
  readonly job: J;
}

/** A message from a worker: progress of a job, its result or its serialized error. */
export type WorkerJobReply<R, P> =
  | { readonly id: number; readonly progress: P }
  | { readonly id: number; readonly ok: true; readonly value: R }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** How {@link runJobsInWorkers} runs a batch of jobs. */
export interface WorkerJobsOptions<K extends AnyWorkerJobKind> {
  /**
   * The worker module, as `new URL('./x-worker.js', import.meta.url)` would name its built file;
   * when medscale runs from source (the URL of the caller ends in `.ts`), give the `.ts` URL and
   * the module is started through tsx (see {@link workerEntry}).
   */
  readonly entry: URL;
  /** Worker threads to start; at most one per job is started. */
  readonly size: number;
  /** Called on the main thread for each progress message a worker posts. */
  readonly onProgress?: (progress: K['progress']) => void;
  /** Called on the main thread for each finished job, in completion order. */
  readonly onResult?: (value: K['result'], id: number) => void;
  /** Stops every worker; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Names the workers in the error when one exits before the batch is done. */
  readonly name: string;
  /** The code of the error when a worker fails with something that is not an Error. */
  readonly code: ErrorCode;
}

/**
 * The URL of a worker module beside `callerUrl` (pass `import.meta.url`): `<base>.ts` when the
 * caller runs from source (tsx, Vitest), else `<base>.js`.
 */
export function workerEntry(base: string, callerUrl: string): URL {
  return new URL(callerUrl.endsWith('.ts') ? `${base}.ts` : `${base}.js`, callerUrl);
}

// Node 20 cannot start a .ts worker: from source, a bootstrap registers tsx first, then imports
// the entry. Built code (dist/) starts its .js workers directly and never loads the bootstrap.
const BOOTSTRAP = new URL('../../scripts/ts-worker-bootstrap.mjs', import.meta.url);

function startWorker(entry: URL): Worker {
  return entry.pathname.endsWith('.ts')
    ? new Worker(BOOTSTRAP, { workerData: { entry: entry.href } })
    : new Worker(entry);
}

/**
 * Runs `jobs` on `options.size` worker threads (each takes the next job when it is done) and
 * returns the results in job order.
 * @throws the first job's error (as its {@link PlatformError}), the abort reason, or
 *   `ERR_INTERNAL` when a worker exits before the batch is done.
 */
export async function runJobsInWorkers<K extends AnyWorkerJobKind>(
  jobs: readonly K['job'][],
  options: WorkerJobsOptions<K>,
): Promise<K['result'][]> {
  const { signal } = options;
  signal?.throwIfAborted();
  const results: K['result'][] = [];
  if (jobs.length === 0) return results;
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const stop = (error: unknown): void => {
        reject(
          error instanceof Error ? error : new PlatformError(options.code, errorMessage(error)),
        );
      };
      signal?.addEventListener(
        'abort',
        () => {
          stop(signal.reason);
        },
        { once: true },
      );
      const dispatch = (worker: Worker): void => {
        const job = jobs[next];
        if (job === undefined) return;
        worker.postMessage({ id: next, job } satisfies WorkerJobRequest<K['job']>);
        next++;
      };
      for (let i = 0; i < Math.min(options.size, jobs.length); i++) {
        const worker = startWorker(options.entry);
        workers.push(worker);
        worker.on('message', (reply: WorkerJobReply<K['result'], K['progress']>) => {
          if ('progress' in reply) {
            options.onProgress?.(reply.progress);
          } else if (reply.ok) {
            results[reply.id] = reply.value;
            done++;
            options.onResult?.(reply.value, reply.id);
            if (done === jobs.length) resolve();
            else dispatch(worker);
          } else {
            stop(deserializeError(reply.error));
          }
        });
        worker.on('error', stop);
        worker.on('exit', (code) => {
          if (done < jobs.length) {
            stop(
              new PlatformError('ERR_INTERNAL', `${options.name} worker exited with code ${code}`),
            );
          }
        });
        dispatch(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/**
 * The worker side of {@link runJobsInWorkers}: runs `handler` for each job message and posts its
 * result, or its serialized error (STYLE.md 3.4), back. `progress` posts a progress message for
 * the job. Call once, at the top level of the worker module.
 */
export function serveWorkerJobs<K extends AnyWorkerJobKind>(
  handler: (
    job: K['job'],
    progress: (value: K['progress']) => void,
  ) => K['result'] | Promise<K['result']>,
): void {
  const port = parentPort;
  if (port === null) return;
  port.on('message', ({ id, job }: WorkerJobRequest<K['job']>) => {
    const post = (reply: WorkerJobReply<K['result'], K['progress']>): void => {
      port.postMessage(reply);
    };
    const progress = (value: K['progress']): void => {
      post({ id, progress: value });
    };
    void (async () => {
      try {
        post({ id, ok: true, value: await handler(job, progress) });
      } catch (error) {
        post({ id, ok: false, error: serializeError(error) });
      }
    })();
  });
}
