// Worker-thread entry of `synthesizeCarotidUs({ concurrency })`: generates one patient per
// message and replies with its result (or its serialized error; see STYLE.md 3.4).
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../../core/index.js';
import { generateCarotidPatient } from './generate-carotid-patient.js';
import type { CarotidPatientJob } from './generate-carotid-patient.js';

/** A message from the main thread: one patient to generate. */
export interface CarotidUsWorkerRequest {
  readonly id: number;
  readonly job: CarotidPatientJob;
}

async function run({ id, job }: CarotidUsWorkerRequest): Promise<void> {
  try {
    const value = await generateCarotidPatient(job, () =>
      parentPort?.postMessage({ id, progress: true }),
    );
    parentPort?.postMessage({ id, ok: true, value });
  } catch (error) {
    parentPort?.postMessage({ id, ok: false, error: serializeError(error) });
  }
}

parentPort?.on('message', (request: CarotidUsWorkerRequest) => {
  void run(request);
});
