import { describe, expect, it } from 'vitest';
import {
  CAROTID_INFLOW_SHAPE,
  DEFAULT_PULSATILITY_INDEX,
  createInflowWaveform,
  inflowAt,
} from './inflow-waveform.js';
import type { InflowWaveform } from './inflow-waveform.js';

/** Mean, max and min by dense sampling (independent of the closed-form extremes). */
function sampled(w: InflowWaveform, n = 200_000): { mean: number; max: number; min: number } {
  let sum = 0;
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const q = inflowAt(w, (i / n) * w.periodS);
    sum += q;
    max = Math.max(max, q);
    min = Math.min(min, q);
  }
  return { mean: sum / n, max, min };
}

describe('createInflowWaveform', () => {
  it('hits the requested mean and pulsatility index exactly', () => {
    for (const [mean, pi, hr] of [
      [6, 3.45, 72],
      [4.2, 1.5, 60],
      [8, 6, 90],
      [5, 0.3, 50],
    ] as const) {
      const w = createInflowWaveform({
        meanFlowMlPerS: mean,
        pulsatilityIndex: pi,
        heartRateBpm: hr,
      });
      expect(w.meanFlowMlPerS).toBe(mean);
      expect((w.maxFlowMlPerS - w.minFlowMlPerS) / w.meanFlowMlPerS).toBeCloseTo(pi, 12);
      const s = sampled(w);
      expect(s.mean).toBeCloseTo(mean, 10);
      // dense sampling can only miss the true extremes by a hair
      expect((s.max - s.min) / mean).toBeCloseTo(pi, 6);
      expect(s.max).toBeLessThanOrEqual(w.maxFlowMlPerS + 1e-12);
      expect(w.periodS).toBeCloseTo(60 / hr, 12);
    }
  });

  it('defaults to the Holdsworth CCA numbers: mean 6.0, peak 23.5 mL/s early in systole', () => {
    const w = createInflowWaveform();
    expect(w.pulsatilityIndex).toBe(DEFAULT_PULSATILITY_INDEX);
    expect(w.maxFlowMlPerS).toBeCloseTo(23.5, 1);
    expect(w.minFlowMlPerS).toBeGreaterThan(2.5);
    expect(w.peakTimeS / w.periodS).toBeCloseTo(0.125, 2);
    expect(w.harmonics).toHaveLength(CAROTID_INFLOW_SHAPE.length);
  });

  it('stretches the same shape to the heart rate', () => {
    const a = createInflowWaveform({ heartRateBpm: 60 });
    const b = createInflowWaveform({ heartRateBpm: 120 });
    for (const f of [0.1, 0.37, 0.8])
      expect(inflowAt(a, f * a.periodS)).toBeCloseTo(inflowAt(b, f * b.periodS), 12);
  });

  it('is steady for PI = 0 and refuses bad values', () => {
    const w = createInflowWaveform({ pulsatilityIndex: 0, meanFlowMlPerS: 5 });
    expect(w.harmonics).toEqual([]);
    expect(inflowAt(w, 0.3)).toBe(5);
    expect(() => createInflowWaveform({ meanFlowMlPerS: 0 })).toThrow(/mean flow/);
    expect(() => createInflowWaveform({ pulsatilityIndex: -1 })).toThrow(/pulsatility/);
    expect(() => createInflowWaveform({ heartRateBpm: Number.NaN })).toThrow(/heart rate/);
  });
});
