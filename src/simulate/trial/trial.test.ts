import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRESTO } from '../drugs/builtin-drugs.js';
import { PROVE_HF_POPULATION, parseCohortCsv, sampleCohort } from './cohort.js';
import { createTrialRandom } from './random.js';
import { runTrial, summarizeMetric } from './run-trial.js';
import { trialReportHtml } from './trial-report.js';

describe('cohorts', () => {
  it('parses a CSV with optional columns in any order', () => {
    const csv =
      '# comment\nid;hr;edv;esv;sbp;dbp;edp\nA;70;216;142;115;70;19.6\n\nB;75;120;50;120;80;\n';
    const subjects = parseCohortCsv(csv, 'c.csv');
    expect(subjects).toEqual([
      { id: 'A', edv: 216, esv: 142, sbp: 115, dbp: 70, hr: 70, edp: 19.6 },
      { id: 'B', edv: 120, esv: 50, sbp: 120, dbp: 80, hr: 75 },
    ]);
  });

  it('parses the example cohort', () => {
    const file = join(import.meta.dirname, '../../../examples/cohorts/hfref-example.csv');
    const subjects = parseCohortCsv(readFileSync(file, 'utf8'), file);
    expect(subjects).toHaveLength(21);
    expect(subjects[0]).toEqual({
      id: 'stegmann-median',
      edv: 216,
      esv: 142,
      sbp: 115,
      dbp: 70,
      hr: 70,
      edp: 19.6,
    });
  });

  it('reports bad rows with their line number', () => {
    const head = 'edv,esv,sbp,dbp,hr\n';
    expect(() => parseCohortCsv(`${head}120,50,120,80,75\n120,fifty,120,80,75\n`, 'c.csv')).toThrow(
      /c.csv line 3: esv "fifty" is not a number/,
    );
    expect(() => parseCohortCsv(`${head}120,50,120,80\n`, 'c.csv')).toThrow(
      /line 2: 4 cells, the header has 5/,
    );
    expect(() => parseCohortCsv(`${head}120,,120,80,75\n`, 'c.csv')).toThrow(
      /line 2: esv is empty/,
    );
    expect(() => parseCohortCsv('edv,esv,sbp,hr\n', 'c.csv')).toThrow(/line 1: missing column dbp/);
    expect(() => parseCohortCsv('edv,esv,sbp,dbp,hr,weight\n', 'c.csv')).toThrow(
      /unknown column "weight"/,
    );
    expect(() => parseCohortCsv(`id,${head.trim()}\nx,1,1,1,1,1\nx,1,1,1,1,1\n`, 'c.csv')).toThrow(
      /line 3: id "x" repeats/,
    );
    expect(() => parseCohortCsv(head, 'c.csv')).toThrow(/no subject rows/);
  });

  it('samples a seeded PROVE-HF-like cohort whose means match the population', () => {
    const a = sampleCohort(2000, 3);
    expect(sampleCohort(5, 3)).toEqual(a.slice(0, 5));
    expect(sampleCohort(5, 4)).not.toEqual(a.slice(0, 5));
    const ef = summarizeMetric(a.map((s) => (100 * (s.edv - s.esv)) / s.edv));
    const edvi = summarizeMetric(a.map((s) => s.edv / (s.bsa ?? 1)));
    const esvi = summarizeMetric(a.map((s) => s.esv / (s.bsa ?? 1)));
    expect(ef.mean).toBeCloseTo(PROVE_HF_POPULATION.ef.mean, 0);
    expect(Math.abs(edvi.mean - 86.9)).toBeLessThan(2);
    expect(Math.abs(esvi.mean - 62)).toBeLessThan(3);
  });

  it('draws reproducible normals with mean 0 and SD 1', () => {
    const r = createTrialRandom(11);
    const values = Array.from({ length: 20000 }, () => r.normal());
    const s = summarizeMetric(values);
    expect(Math.abs(s.mean)).toBeLessThan(0.03);
    expect(Math.abs(s.sd - 1)).toBeLessThan(0.03);
    expect(createTrialRandom(11).uniform()).toBe(createTrialRandom(11).uniform());
  });
});

describe('runTrial', () => {
  it('summarises mean, SD, median, IQR and CI', () => {
    const s = summarizeMetric([1, 2, 3, 4]);
    expect(s).toMatchObject({ n: 4, mean: 2.5, median: 2.5, q1: 1.75, q3: 3.25 });
    expect(s.sd).toBeCloseTo(1.291, 3);
    expect(s.ci95[0]).toBeCloseTo(2.5 - (1.96 * 1.291) / 2, 2);
  });

  it('runs a small personalised trial in this thread, the same with two workers', async () => {
    const subjects = sampleCohort(8, 5);
    const one = await runTrial({ subjects, drug: ENTRESTO, seed: 9, workers: 1 });
    expect(one.succeeded).toBe(8);
    // Each subject was fitted to its measurements.
    for (const [i, o] of one.outcomes.entries()) {
      if (!o.ok) throw new Error(o.reason);
      expect(Math.abs(o.baseline.edv - (subjects[i]?.edv ?? 0))).toBeLessThan(0.5);
      expect(Math.abs(o.baseline.sbp - (subjects[i]?.sbp ?? 0))).toBeLessThan(0.5);
    }
    const d = one.summary.delta;
    expect(d['ef']?.mean).toBeGreaterThan(0);
    expect(d['edv']?.mean).toBeLessThan(0);
    expect(d['esv']?.mean).toBeLessThan(0);
    expect(d['edvi']?.n).toBe(8);
    expect(one.geometry['lvMassIndex']?.mean).toBeGreaterThan(0.6);
    expect(one.comparison.map((c) => c.study)).toContain('PROVE-HF');
    const prove = one.comparison.find((c) => c.study === 'PROVE-HF' && c.metric === 'ef');
    expect(prove?.reported).toBe(9.4);
    expect(prove?.simulated).toBeCloseTo(d['ef']?.mean ?? NaN, 10);

    const two = await runTrial({ subjects, drug: ENTRESTO, seed: 9, workers: 2, batchSize: 4 });
    expect(two.workers).toBe(2);
    expect(two.outcomes).toEqual(one.outcomes);

    const html = trialReportHtml(one);
    expect(html).toContain('<svg');
    expect(html).toContain('PROVE-HF');
    expect(html).not.toMatch(/<script|src="http/);
  });

  it('takes the cheap sampled-parameter path and reports failures per subject', async () => {
    const subjects = sampleCohort(20, 2);
    const r = await runTrial({
      subjects,
      drug: ENTRESTO,
      baseline: 'sample-parameters',
      workers: 1,
      scenario: 'acute',
    });
    expect(r.succeeded).toBe(20);
    expect(r.summary.delta['sv']?.mean).toBeGreaterThan(0);
    expect(Math.abs(r.summary.delta['edv']?.mean ?? 99)).toBeLessThan(1.5);
    const bad = await runTrial({
      subjects: [
        ...subjects.slice(0, 3),
        { id: 'bad', edv: 100, esv: 120, sbp: 120, dbp: 80, hr: 70 },
      ],
      drug: ENTRESTO,
      workers: 1,
    });
    expect(bad.failures).toEqual([
      expect.objectContaining({ id: 'bad', code: 'ERR_SIMULATE_INPUT' }),
    ]);
    expect(bad.succeeded).toBe(3);
  });
});
