import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SerializedError } from '../core/index.js';
import { PlatformError, deserializeError } from '../core/index.js';

/** How to start one worker: the entry module and the data it starts with. */
export interface WorkerSpec {
  /** URL of the worker's entry module (a `.js` file in `dist/`, or `.ts` when run from source). */
  readonly entry: URL;
  /** Structured-clonable start-up data, available as `workerData.init`. */
  readonly init: unknown;
}

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * Number of worker threads.
   * @defaultValue `os.availableParallelism()`
   */
  readonly size?: number;
}

interface Task {
  readonly id: number;
  readonly message: unknown;
  readonly transfer: readonly ArrayBuffer[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
}

/** Reply of a worker: the task id and either its result or its serialized error. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

const BOOTSTRAP = new URL('../../scripts/ts-worker-bootstrap.mjs', import.meta.url);

/**
 * A fixed set of worker threads that run one task each at a time, first come first served. A
 * worker that dies fails its task with `ERR_INTERNAL` and is replaced, so one bad input cannot
 * stop the pool.
 */
export class WorkerPool {
  readonly #spec: WorkerSpec;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  #nextId = 0;
  #closed = false;

  constructor(spec: WorkerSpec, options: WorkerPoolOptions = {}) {
    this.#spec = spec;
    const size = Math.max(1, options.size ?? availableParallelism());
    for (let i = 0; i < size; i++) this.#slots.push({ worker: this.#spawn(), task: undefined });
  }

  /** Number of worker threads. */
  get size(): number {
    return this.#slots.length;
  }

  /** Runs one task on the next free worker; `transfer` buffers move rather than copy. */
  run<T>(message: unknown, transfer: readonly ArrayBuffer[] = []): Promise<T> {
    if (this.#closed)
      return Promise.reject(new PlatformError('ERR_INTERNAL', 'worker pool is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        id: this.#nextId++,
        message,
        transfer,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.#dispatch();
    });
  }

  /** Stops every worker; queued tasks are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const task of this.#queue.splice(0))
      task.reject(new PlatformError('ERR_INTERNAL', 'worker pool closed'));
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }

  #spawn(): Worker {
    // From source (tsx, Vitest) Node 20 cannot load a .ts worker: a bootstrap registers tsx first.
    const fromSource = this.#spec.entry.pathname.endsWith('.ts');
    const worker = fromSource
      ? new Worker(BOOTSTRAP, {
          workerData: { entry: this.#spec.entry.href, init: this.#spec.init },
        })
      : new Worker(this.#spec.entry, { workerData: { init: this.#spec.init } });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      this.#settle(worker, reply);
    });
    worker.on('error', (error) => {
      this.#fail(worker, error);
    });
    worker.on('exit', (code) => {
      if (!this.#closed) this.#fail(worker, new Error(`worker exited with code ${code}`));
    });
    return worker;
  }

  #slotOf(worker: Worker): Slot | undefined {
    return this.#slots.find((slot) => slot.worker === worker);
  }

  #settle(worker: Worker, reply: WorkerReply): void {
    const slot = this.#slotOf(worker);
    const task = slot?.task;
    if (slot === undefined || task?.id !== reply.id) return;
    slot.task = undefined;
    if (reply.ok) task.resolve(reply.value);
    else task.reject(deserializeError(reply.error));
    this.#dispatch();
  }

  #fail(worker: Worker, error: Error): void {
    const slot = this.#slotOf(worker);
    if (slot === undefined) return;
    const task = slot.task;
    slot.task = undefined;
    void worker.terminate();
    if (!this.#closed) slot.worker = this.#spawn();
    task?.reject(
      new PlatformError('ERR_INTERNAL', `worker failed: ${error.message}`, { cause: error }),
    );
    this.#dispatch();
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (slot.task !== undefined) continue;
      const task = this.#queue.shift();
      if (task === undefined) return;
      slot.task = task;
      slot.worker.postMessage({ id: task.id, message: task.message }, [...task.transfer]);
    }
  }
}
