/**
 * `medscale demo`, the README's main-job command, end to end on a small cohort: every stage runs
 * as its own command, and the report carries the figures with their ground truth beside them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

describe('medscale demo', () => {
  const root = mkdtempSync(join(tmpdir(), 'medscale-demo-'));
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('runs every stage and writes one report with QA, heart and carotid results', async () => {
    const result = await runCli([
      '--data',
      join(root, 'data'),
      'demo',
      '--out',
      join(root, 'out'),
      '--participants',
      '2',
      '--train-minutes',
      '0.2',
      '--json',
    ]);
    expect(result.stderr).not.toMatch(/ERR_/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      report: string;
      steps: { stage: string; command: string; seconds: number }[];
      sections: { title: string; figures: { label: string; value: unknown }[] }[];
    };
    const stages = new Set(summary.steps.map((s) => s.stage));
    for (const stage of ['synth', 'ingest', 'qa', 'segment', 'reconstruct', 'mesh', 'simulate'])
      expect(stages).toContain(stage);
    const figures = new Map(
      summary.sections.flatMap((s) => s.figures.map((f) => [f.label, f.value] as const)),
    );
    // The carotid drawn with a 50 % NASCET stenosis reconstructs to 50 ± 3 points.
    expect(Math.abs(Number(figures.get('stenosis NASCET (drawn: 50 %)')) - 50)).toBeLessThan(3);
    expect(String(figures.get('QA sessions pass / warn / fail'))).toMatch(/^\d+ \/ \d+ \/ 0$/);
    const html = readFileSync(summary.report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Carotid');
    expect(html).toContain('qa/index.html');
    expect(html).toContain('Entresto');
    expect(Number(figures.get('held-out Dice lumen'))).toBeGreaterThanOrEqual(0);
  }, 600_000);
});
