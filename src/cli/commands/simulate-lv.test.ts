import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../output.js';
import { runCliInProcess } from '../../../test/support/cli-in-process.js';
import type { CapturedRun } from '../../../test/support/cli-in-process.js';

/** Runs `medscale simulate ARGS` in this process. */
function cli(args: readonly string[]): Promise<CapturedRun> {
  return runCliInProcess(['simulate', ...args]);
}

describe('medscale simulate lv | trial | drugs', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-simulate-lv-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('fits H75 measurements and prints the result as JSON', async () => {
    const r = await cli([
      'lv',
      '--edv',
      '120',
      '--esv',
      '50',
      '--sbp',
      '120',
      '--dbp',
      '80',
      '--hr',
      '75',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out) as {
      baseline: { edv: number; sbp: number };
      fit: { maxResidual: number };
    };
    expect(result.baseline.edv).toBeCloseTo(120, 0);
    expect(result.baseline.sbp).toBeCloseTo(120, 0);
    expect(result.fit.maxResidual).toBeLessThan(0.5);
  });

  it('simulates Entresto on the §2.3 patient and writes JSON, SVG and PNG', async () => {
    const out = join(root, 'entresto');
    const r = await cli([
      'lv',
      '--edv',
      '216',
      '--esv',
      '142',
      '--sbp',
      '115',
      '--dbp',
      '70',
      '--hr',
      '70',
      '--edp',
      '19.6',
      '--ees',
      '0.66',
      '--drug',
      'entresto',
      '--scenario',
      'chronic',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/ef\s+34\.\d+\s+4\d\.\d+/);
    expect(r.out).toContain('lvMassIndex');
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      delta: { ef: number; edv: number };
      treated: { trace: { v: number[] } };
    };
    expect(result.delta.ef).toBeGreaterThan(5);
    expect(result.delta.edv).toBeLessThan(-40);
    expect(result.treated.trace.v.length).toBeGreaterThan(100);
    const svg = readFileSync(join(out, 'pv-loop.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect((svg.match(/<polyline/g) ?? []).length).toBeGreaterThan(10);
    expect(svg).toContain('stroke-dasharray'); // ESPVR lines
    const png = readFileSync(join(out, 'pv-loop.png'));
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  });

  it('runs a preset and loads a user drug file', async () => {
    const file = join(root, 'inotrope.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'test-inotrope',
        name: 'test inotrope',
        description: 'Emax × 1.5 for the test',
        effects: [
          {
            parameter: 'emax',
            operation: 'multiply',
            value: 1.5,
            scenarios: ['acute'],
            source: 'test',
          },
        ],
      }),
    );
    const r = await cli([
      'lv',
      '--preset',
      'h75',
      '--drug',
      'test-inotrope',
      '--drug-file',
      file,
      '--scenario',
      'acute',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out) as { delta: { esv: number }; baseline: { edv: number } };
    expect(result.baseline.edv).toBeCloseTo(120, 0);
    expect(result.delta.esv).toBeLessThan(-5);
  });

  it('exits with clear errors for bad usage, bad measurements and unknown drugs', async () => {
    const missing = await cli(['lv', '--edv', '120']);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.err).toMatch(/give --edv, --esv, --sbp, --dbp and --hr/);
    const bad = await cli([
      'lv',
      '--edv',
      '120',
      '--esv',
      '130',
      '--sbp',
      '120',
      '--dbp',
      '80',
      '--hr',
      '75',
      '--json',
    ]);
    expect(bad.code).toBe(EXIT.error);
    expect(JSON.parse(bad.out)).toMatchObject({ error: { code: 'ERR_SIMULATE_INPUT' } });
    const drug = await cli(['lv', '--preset', 'h75', '--drug', 'aspirin']);
    expect(drug.code).toBe(EXIT.error);
    expect(drug.err).toMatch(/ERR_DRUG_UNKNOWN: unknown drug "aspirin"/);
    const number = await cli(['lv', '--edv', 'big']);
    expect(number.code).toBe(EXIT.usage);
    const scenario = await cli(['lv', '--preset', 'h75', '--scenario', 'later']);
    expect(scenario.code).toBe(EXIT.usage);
  });

  it('runs a trial on a cohort CSV and writes trial.json and report.html', async () => {
    const csv = join(root, 'cohort.csv');
    writeFileSync(
      csv,
      'id,edv,esv,sbp,dbp,hr,e_over_eprime,bsa\nA,216,142,115,70,70,14,2.0\nB,180,130,125,75,72,11,1.9\nC,160,112,110,68,80,,1.8\n',
    );
    const out = join(root, 'trial');
    const r = await cli([
      'trial',
      '--cohort',
      csv,
      '--drug',
      'entresto',
      '--out',
      out,
      '--workers',
      '1',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const summary = JSON.parse(r.out) as { succeeded: number; comparison: { study: string }[] };
    expect(summary.succeeded).toBe(3);
    expect(summary.comparison.some((c) => c.study === 'PROVE-HF')).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
    const trial = JSON.parse(readFileSync(join(out, 'trial.json'), 'utf8')) as {
      outcomes: unknown[];
    };
    expect(trial.outcomes).toHaveLength(3);

    const badCsv = join(root, 'bad.csv');
    writeFileSync(badCsv, 'edv,esv,sbp,dbp,hr\n120,50,120,80,75\n120,50,x,80,75\n');
    const bad = await cli(['trial', '--cohort', badCsv, '--drug', 'entresto', '--out', out]);
    expect(bad.code).toBe(EXIT.error);
    expect(bad.err).toMatch(/bad.csv line 3: sbp "x" is not a number/);
    const both = await cli(['trial', '--drug', 'entresto', '--out', out]);
    expect(both.code).toBe(EXIT.usage);
  });

  it('lists the drug library', async () => {
    const r = await cli(['drugs']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/entresto: sacubitril\/valsartan/);
    expect(r.out).toMatch(/emax\s+×1\.18 ± 0\.08\s+acute,chronic/);
    const json = await cli(['drugs', '--json']);
    expect((JSON.parse(json.out) as { id: string }[]).map((d) => d.id)).toEqual([
      'entresto',
      'valsartan',
    ]);
  });
});
