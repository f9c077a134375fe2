// Worker-thread entry of `synthesizeMrCohort({ concurrency })`: generates one participant per
// message and replies with its result (or its serialized error; see STYLE.md 3.4).
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../core/index.js';
import { createWriter, generateParticipant } from './generate-participant.js';
import type { ParticipantJob } from './generate-participant.js';

/** A message from the main thread: one participant to generate. */
export interface SynthWorkerRequest {
  readonly id: number;
  readonly job: ParticipantJob;
}

async function run({ id, job }: SynthWorkerRequest): Promise<void> {
  try {
    const writer = createWriter();
    const value = await generateParticipant(job, {
      writer,
      onSeries: (instances) => parentPort?.postMessage({ id, progress: instances }),
    });
    await writer.drain();
    parentPort?.postMessage({ id, ok: true, value });
  } catch (error) {
    parentPort?.postMessage({ id, ok: false, error: serializeError(error) });
  }
}

parentPort?.on('message', (request: SynthWorkerRequest) => {
  void run(request);
});
