import { describe, expect, it } from 'vitest';
import { isPlatformError } from './errors.js';
import { runJobsInWorkers, workerEntry } from './worker-jobs.js';
import type { SquareJobs } from './__fixtures__/square-worker.js';

const entry = workerEntry('./__fixtures__/square-worker', import.meta.url);

describe('runJobsInWorkers', () => {
  it('returns results in job order from two workers, passing progress and results through', async () => {
    const jobs = Array.from({ length: 12 }, (_, i) => i);
    const progress: number[] = [];
    const finished: number[] = [];
    const squares = await runJobsInWorkers<SquareJobs>(jobs, {
      entry,
      size: 2,
      onProgress: (n) => progress.push(n),
      onResult: (_, id) => finished.push(id),
      name: 'square',
      code: 'ERR_INTERNAL',
    });
    expect(squares).toEqual(jobs.map((n) => n * n));
    expect([...progress].sort((a, b) => a - b)).toEqual(jobs);
    expect([...finished].sort((a, b) => a - b)).toEqual(jobs);
  });

  it('rejects with the failing job’s own error code and message', async () => {
    const failure = await runJobsInWorkers<SquareJobs>([1, 2, -3, 4], {
      entry,
      size: 2,
      name: 'square',
      code: 'ERR_INTERNAL',
    }).catch((error: unknown) => error);
    expect(isPlatformError(failure) && failure.code).toBe('ERR_USAGE');
    expect((failure as Error).message).toContain('negative: -3');
  });

  it('stops on abort with the signal’s reason, and returns at once for no jobs', async () => {
    const controller = new AbortController();
    const run = runJobsInWorkers<SquareJobs>([Number.NaN], {
      entry,
      size: 1,
      signal: controller.signal,
      name: 'square',
      code: 'ERR_INTERNAL',
    });
    setTimeout(() => {
      controller.abort(new Error('stopped by the test'));
    }, 200);
    await expect(run).rejects.toThrow('stopped by the test');
    await expect(
      runJobsInWorkers<SquareJobs>([], { entry, size: 4, name: 'square', code: 'ERR_INTERNAL' }),
    ).resolves.toEqual([]);
  });
});
