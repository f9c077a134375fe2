import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarotidUsGroundTruth } from '../../synth/index.js';
import { runCliInProcess } from '../../../test/support/cli-in-process.js';
import type { CapturedRun } from '../../../test/support/cli-in-process.js';

/** Runs `medscale synth carotid-us ARGS` in this process; usage errors give 2. */
function cli(args: readonly string[]): Promise<CapturedRun> {
  return runCliInProcess(['synth', 'carotid-us', ...args]);
}

describe('medscale synth carotid-us', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-synth-carotid-cli-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes the cohort and prints the summary as JSON', async () => {
    const out = join(root, 'cohort');
    const result = await cli([
      '--out',
      out,
      '--patients',
      '1',
      '--seed',
      '4',
      '--size',
      'small',
      '--json',
    ]);
    expect(result.code, result.err).toBe(0);
    const summary = JSON.parse(result.out) as {
      images: number;
      patients: number;
      groundTruthFile: string;
    };
    expect(summary.patients).toBe(1);
    const truth = JSON.parse(readFileSync(summary.groundTruthFile, 'utf8')) as CarotidUsGroundTruth;
    expect(truth.seed).toBe('4');
    expect(truth.images).toHaveLength(summary.images);
    expect(summary.images).toBeGreaterThanOrEqual(4);
  });

  it('prints a plain summary without --json', async () => {
    const result = await cli(['--out', join(root, 'plain'), '--patients', '1', '--size', 'small']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(
      /^wrote [45] images \(\d+ frames, [\d.]+ MB\) of 1 patients to .* in [\d.]+ s\nground truth: .*ground-truth\.json\npatients: +.*patients\.csv\n$/,
    );
  });

  it('rejects bad usage with exit status 2 and the reason', async () => {
    for (const [args, reason] of [
      [['--patients', '0', '--out', join(root, 'x')], /--patients.*positive integer/],
      [['--size', 'huge', '--out', join(root, 'x')], /--size.*small or full/],
      [['--patients', '2'], /--out/],
    ] as const) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(reason);
    }
  });

  it('refuses a non-empty folder with ERR_SYNTH', async () => {
    const result = await cli(['--out', join(root, 'cohort'), '--patients', '1', '--size', 'small']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^error ERR_SYNTH: /);
  });
});
