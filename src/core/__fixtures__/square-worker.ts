// A worker module for worker-jobs.test.ts: squares a number after posting it as progress; a
// negative number fails with ERR_USAGE, NaN never answers (so the test can abort it).
import { PlatformError, serveWorkerJobs } from '../index.js';
import type { WorkerJobKind } from '../index.js';

/** The jobs of this worker: a number, its square, the number as progress. */
export type SquareJobs = WorkerJobKind<number, number, number>;

serveWorkerJobs<SquareJobs>(async (n, progress) => {
  progress(n);
  if (n < 0) throw new PlatformError('ERR_USAGE', `negative: ${n}`);
  if (Number.isNaN(n)) await new Promise(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
  return n * n;
});
