// Worker-thread entry of `synthesizeMrCohort({ concurrency })`: generates one participant per
// job and posts its result, with the instances written as progress (core's worker-jobs).
import { serveWorkerJobs } from '../core/index.js';
import type { WorkerJobKind } from '../core/index.js';
import { createWriter, generateParticipant } from './generate-participant.js';
import type { ParticipantJob, ParticipantResult } from './generate-participant.js';

/** The jobs of this worker: a participant, its result, instances written as progress. */
export type SynthJobs = WorkerJobKind<ParticipantJob, ParticipantResult, number>;

serveWorkerJobs<SynthJobs>(async (job, progress) => {
  const writer = createWriter();
  const value = await generateParticipant(job, { writer, onSeries: progress });
  await writer.drain();
  return value;
});
