// Worker-thread entry of `runTrial({ workers })`: runs one batch of subjects per message and
// replies with their outcomes (or the serialized error).
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../../core/index.js';
import { runTrialJob } from './run-subjects.js';
import type { TrialJob } from './run-subjects.js';

/** A message from the main thread: one batch. */
export interface TrialWorkerRequest {
  readonly id: number;
  readonly job: TrialJob;
}

parentPort?.on('message', ({ id, job }: TrialWorkerRequest) => {
  try {
    parentPort?.postMessage({ id, ok: true, value: runTrialJob(job) });
  } catch (error) {
    parentPort?.postMessage({ id, ok: false, error: serializeError(error) });
  }
});
