import { vi } from 'vitest';
import { run } from '../../src/cli/main.js';

/** What one in-process CLI run printed and its exit code. */
export interface CapturedRun {
  /** The exit code `medscale` would have ended with (0 ok, 1 error, 2 usage, 3 partial). */
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `medscale ARGS` in this process, through the same `run` as the real entry point, and
 * captures stdout and stderr. Command unit tests use it instead of a child process: forty Node
 * start-ups cost the CI run 100 s; the few tests that must see a real process use run-cli.ts.
 */
export async function runCliInProcess(args: readonly string[]): Promise<CapturedRun> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  try {
    const code = await run(args);
    return { code, out, err };
  } finally {
    process.exitCode = undefined;
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
