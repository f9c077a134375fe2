// Worker-thread entry of `synthesizeCarotidUs({ concurrency })`: generates one patient per job
// and posts its result, with a progress message per image (core's worker-jobs).
import { serveWorkerJobs } from '../../core/index.js';
import type { WorkerJobKind } from '../../core/index.js';
import { generateCarotidPatient } from './generate-carotid-patient.js';
import type { CarotidPatientJob, CarotidPatientResult } from './generate-carotid-patient.js';

/** The jobs of this worker: a patient, its result, one progress message per image. */
export type CarotidUsJobs = WorkerJobKind<CarotidPatientJob, CarotidPatientResult, true>;

serveWorkerJobs<CarotidUsJobs>((job, progress) =>
  generateCarotidPatient(job, () => {
    progress(true);
  }),
);
