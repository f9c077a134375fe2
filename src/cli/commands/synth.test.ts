import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFECT_KINDS } from '../../synth/index.js';
import type { DefectManifest } from '../../synth/index.js';
import { run } from '../main.js';
import { parseDefects } from './synth.js';

describe('parseDefects', () => {
  it('gives every kind one fraction', () => {
    expect(parseDefects('0.05')).toEqual({
      missingSeries: 0.05,
      wrongParameter: 0.05,
      regionShift: 0.05,
      extraNoise: 0.05,
      missingSlices: 0.05,
      truncatedCoverage: 0.05,
      wrongOrientation: 0.05,
      ghosting: 0.05,
      motionBlur: 0.05,
    });
  });

  it('parses kind=fraction pairs with kebab-case kind names', () => {
    expect(
      parseDefects('missing-slices=0.1, truncated-coverage=0.2,wrong-orientation=0,ghosting=1'),
    ).toEqual({ missingSlices: 0.1, truncatedCoverage: 0.2, wrongOrientation: 0, ghosting: 1 });
    expect(parseDefects('motion-blur=0.5')).toEqual({ motionBlur: 0.5 });
    expect(parseDefects('missing-series=0.1,wrong-parameter=0.05')).toEqual({
      missingSeries: 0.1,
      wrongParameter: 0.05,
    });
  });

  it('rejects unknown kinds, bad fractions, duplicates and malformed lists', () => {
    expect(() => parseDefects('blurring=0.1')).toThrow(
      /unknown defect kind "blurring": use .*motion-blur/,
    );
    expect(() => parseDefects('motionBlur=0.1')).toThrow(/unknown defect kind/);
    expect(() => parseDefects('ghosting=1.5')).toThrow(/fraction in \[0, 1\]/);
    expect(() => parseDefects('ghosting=')).toThrow(/kind=fraction/);
    expect(() => parseDefects('ghosting=0.1=0.2')).toThrow(/kind=fraction/);
    expect(() => parseDefects('ghosting=0.1,0.2')).toThrow(/kind=fraction/);
    expect(() => parseDefects('ghosting=0.1,ghosting=0.2')).toThrow(/given twice/);
    expect(() => parseDefects('-0.1')).toThrow(/fraction in \[0, 1\]/);
    expect(() => parseDefects('')).toThrow(/fraction in \[0, 1\]/);
    expect(() => parseDefects('lots')).toThrow(/fraction in \[0, 1\]/);
  });
});

describe('medscale synth mr-cohort --defects', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-synth-cli-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Runs the CLI in this process, capturing what it prints. */
  async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
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
    try {
      return { code: await run(args), out, err };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  }

  it('exits 2 with the reason for a bad --defects value', async () => {
    for (const value of ['ghosting=2', 'nonsense=0.1', 'x']) {
      const result = await cli([
        'synth',
        'mr-cohort',
        '--out',
        join(root, 'never'),
        '--defects',
        value,
      ]);
      expect(result.code, value).toBe(2);
      expect(result.err, value).toMatch(/--defects/);
    }
  });

  it('injects every kind at one rate and writes defects.json', async () => {
    const out = join(root, 'cohort');
    const result = await cli([
      'synth',
      'mr-cohort',
      '--out',
      out,
      '--participants',
      '2',
      '--sites',
      '1',
      '--seed',
      '3',
      '--defects',
      '0.5',
      '--json',
    ]);
    expect(result.code, result.err).toBe(0);
    const summary = JSON.parse(result.out) as { defects: number; defectsFile: string };
    expect(summary.defects).toBe(DEFECT_KINDS.length);
    expect(summary.defectsFile).toBe(join(out, 'defects.json'));
    const manifest = JSON.parse(readFileSync(summary.defectsFile, 'utf8')) as DefectManifest;
    expect(manifest).toMatchObject({ schemaVersion: 1, seed: '3', sessions: 2 });
    expect(manifest.defects.map((d) => d.kind).sort()).toEqual([...DEFECT_KINDS].sort());
  });
});
