// Worker-thread entry of `runTrial({ workers })`: runs one batch of subjects per job and posts
// their outcomes (core's worker-jobs).
import { serveWorkerJobs } from '../../core/index.js';
import type { WorkerJobKind } from '../../core/index.js';
import { runTrialJob } from './run-subjects.js';
import type { SubjectOutcome, TrialJob } from './run-subjects.js';

/** The jobs of this worker: a batch of subjects and their outcomes. */
export type TrialJobs = WorkerJobKind<TrialJob, SubjectOutcome[]>;

serveWorkerJobs<TrialJobs>(runTrialJob);
