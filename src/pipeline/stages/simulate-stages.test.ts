import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../store/index.js';
import { computeStage } from '../execute-stage.js';
import type { PipelineTarget, StageInput } from '../stage.js';
import { simulateCarotidStage } from './simulate-carotid.js';
import { simulateLvStage } from './simulate-lv.js';

const root = mkdtempSync(join(tmpdir(), 'medscale-stages-'));
const blobs = new FsBlobStore(join(root, 'blobs'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function subject(clinical: Record<string, string>): PipelineTarget {
  return { level: 'subject', project: 'p', subject: 'S1', clinical, studies: [] };
}

function input(stage: typeof simulateLvStage, clinical: Record<string, string>): StageInput {
  return { params: stage.defaults, target: subject(clinical), upstream: {} };
}

describe('simulate.lv stage', () => {
  it('personalizes an HFrEF subject and improves it with Entresto (science §2.3)', async () => {
    // The Stegmann medians with their EDP, the baseline of the worked example.
    const hfref = { edv: '216', esv: '142', sbp: '115', dbp: '70', hr: '70', edp: '19.6' };
    const { output, artifacts } = await computeStage(
      simulateLvStage,
      input(simulateLvStage, hfref),
      {
        blobs,
      },
    );
    const baseline = output['baseline'] as Record<string, number>;
    const treated = output['treated'] as Record<string, number>;
    expect(Math.abs(baseline['edv']! - 216)).toBeLessThan(1);
    expect(Math.abs(baseline['esv']! - 142)).toBeLessThan(1);
    // The directions of §2.3; the size (+5 points and more on the worked example's own fit) is
    // checked in simulate/drugs, this test checks the stage's wiring from clinical data.
    expect(treated['ef']!).toBeGreaterThan(baseline['ef']! + 3);
    expect(treated['esv']).toBeLessThan(baseline['esv']!);
    expect(treated['eaOverEes']).toBeLessThan(baseline['eaOverEes']!);
    expect(artifacts.map((a) => a.format)).toEqual(['svg']);
    const svg = new TextDecoder().decode(await blobs.get(output['pvLoop'] as never));
    expect(svg).toContain('<svg');
  });

  it('names the missing clinical variable', async () => {
    const failure = await computeStage(
      simulateLvStage,
      input(simulateLvStage, { edv: '120', esv: '50' }),
      { blobs },
    ).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(failure?.code).toBe('ERR_SIMULATE_INPUT');
    expect(failure?.message).toMatch(/"sbp"/);
  });
});

describe('simulate.carotid stage', () => {
  it('splits flow 60–70 % to the ICA, less behind a 70 % ICA stenosis', async () => {
    const healthy = await computeStage(simulateCarotidStage, input(simulateCarotidStage, {}), {
      blobs,
    });
    const split = healthy.output['icaFlowSplit'] as number;
    expect(split).toBeGreaterThan(0.6);
    expect(split).toBeLessThan(0.7);
    const stenosed = await computeStage(
      simulateCarotidStage,
      input(simulateCarotidStage, { ica_stenosis_pct: '70' }),
      { blobs },
    );
    expect(stenosed.output['icaFlowSplit'] as number).toBeLessThan(split);
  });
});
