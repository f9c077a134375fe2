import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarotidSimulation } from '../../simulate/index.js';
import { EXIT } from '../output.js';
import type { CarotidRunSummary } from './simulate-carotid.js';
import { runCliInProcess } from '../../../test/support/cli-in-process.js';
import type { CapturedRun } from '../../../test/support/cli-in-process.js';

/** Runs `medscale simulate carotid ARGS` in this process: exit codes 0, 1 (error), 2 (usage). */
function cli(args: readonly string[]): Promise<CapturedRun> {
  return runCliInProcess(['simulate', 'carotid', ...args]);
}

const EXAMPLE = join(
  import.meta.dirname,
  '../../../examples/vessels/carotid-stenosis-60.vessels.json',
);

describe('medscale simulate carotid', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-carotid-cli-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('solves the generic bifurcation with a stenosis and writes results, geometry and SVG plots', async () => {
    const out = join(root, 'generic');
    const r = await cli([
      '--generic',
      '--stenosis',
      '70',
      '--stenosis-length',
      '12',
      '--out',
      out,
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out) as CarotidRunSummary;
    expect(summary.geometry).toBe('generic');
    expect(summary.stenoses).toHaveLength(1);
    expect(summary.stenoses[0]?.diameterReductionPercent).toBeCloseTo(70, 6);
    expect(summary.icaFlowSplit).toBeLessThan(0.62);
    expect(summary.files.map((f) => f.slice(out.length + 1)).sort()).toEqual(
      [
        'flow.svg',
        'geometry.json',
        'results.json',
        'summary.json',
        'tawss-osi.svg',
        'wss.svg',
      ].sort(),
    );
    const results = JSON.parse(
      readFileSync(join(out, 'results.json'), 'utf8'),
    ) as CarotidSimulation;
    expect(results.branches.map((b) => b.name)).toEqual(['cca', 'ica', 'eca']);
    expect(results.branches[0]?.flowMlPerS).toHaveLength(128);
    for (const name of ['flow.svg', 'wss.svg', 'tawss-osi.svg']) {
      const svg = readFileSync(join(out, name), 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg).not.toMatch(/NaN|Infinity/);
      expect((svg.match(/<polyline /g) ?? []).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('reads a reconstructed tree, finds its stenosis, and meets --ica-split', async () => {
    const r = await cli([
      '--geometry',
      EXAMPLE,
      '--ica-split',
      '0.6',
      '--mean-flow',
      '5',
      '--hr',
      '60',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out) as CarotidRunSummary;
    expect(summary.icaFlowSplit).toBeCloseTo(0.6, 6);
    expect(summary.meanFlowMlPerS).toBe(5);
    expect(summary.stenoses[0]?.source).toBe('detected');
    expect(summary.stenoses[0]?.diameterReductionPercent).toBeGreaterThan(55);
  });

  it('prints a readable summary without --json', async () => {
    const r = await cli(['--generic', '--pulsatility', '2']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/ICA flow split: 6\d\.\d %/);
    expect(r.out).toMatch(/^cca +flow 6\.00 mL\/s/m);
  });

  it.each([
    [[], /exactly one of --geometry FILE or --generic/],
    [['--generic', '--geometry', 'x.json'], /exactly one of/],
    [['--geometry', '/nonexistent/tree.json'], /cannot read --geometry/],
  ])('fails with the reason for %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(message);
  });

  it('exits 2 for a bad number', async () => {
    for (const args of [
      ['--generic', '--stenosis', '120'],
      ['--generic', '--hr', '-3'],
      ['--generic', '--ica-split', '1.5'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(EXIT.usage);
      expect(r.err).toMatch(new RegExp(args[1] ?? ''));
    }
  });
});
