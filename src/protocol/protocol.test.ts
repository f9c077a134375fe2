import { describe, expect, it } from 'vitest';
import {
  QUALITY_METRICS,
  expectedCentreMm,
  expectedCoverageMm,
  expectedFovMm,
  isWithinQuality,
  minimumCoverageMm,
  readProtocolFile,
} from './index.js';
import type { SeriesRegion } from './index.js';

const region: SeriesRegion = {
  orientation: 'ax',
  orientationToleranceDeg: 20,
  obliqueMinDeg: 15,
  centreMm: [10, -20, 300],
  centreToleranceMm: [40, 40, 50],
  scaleWithStature: true,
  fovToleranceRel: 0.02,
};
const parameters = {
  slices: 12,
  spacingBetweenSlicesMm: 10,
  sliceThicknessMm: 8,
  rows: 208,
  columns: 256,
  pixelSpacingMm: [1.5, 1.25] as const,
};

describe('region helpers', () => {
  it('computes the slab extent and in-plane field of view, in millimetres', () => {
    expect(expectedCoverageMm(parameters)).toBe(118);
    expect(expectedFovMm(parameters)).toEqual([312, 320]);
  });

  it('derives the minimum coverage from the parameters, 2 % under, unless given', () => {
    expect(minimumCoverageMm({ parameters, region })).toBeCloseTo(118 * 0.98, 9);
    expect(minimumCoverageMm({ parameters, region: { ...region, coverageMinMm: 90 } })).toBe(90);
  });

  it('scales the expected centre with stature, unless told not to', () => {
    const protocol = { region: { referenceStatureM: 1.75 } };
    const scaled = expectedCentreMm({ region }, protocol, 1.4)!;
    [8, -16, 240].forEach((v, i) => {
      expect(scaled[i]).toBeCloseTo(v, 9);
    });
    expect(expectedCentreMm({ region }, protocol)).toEqual([10, -20, 300]);
    expect(
      expectedCentreMm({ region: { ...region, scaleWithStature: false } }, protocol, 1.4),
    ).toEqual([10, -20, 300]);
    const noCentre: SeriesRegion = { ...region, centreMm: undefined };
    expect(expectedCentreMm({ region: noCentre }, protocol, 1.4)).toBeUndefined();
  });

  it('gives every shipped series a minimum coverage just under its slab', async () => {
    const protocol = await readProtocolFile();
    for (const s of protocol.series) {
      const extent = expectedCoverageMm(s.parameters);
      expect(minimumCoverageMm(s), s.key).toBeLessThan(extent);
      expect(minimumCoverageMm(s), s.key).toBeGreaterThan(extent * 0.97);
    }
  });
});

describe('quality thresholds', () => {
  it('lists eleven metrics', () => {
    expect(QUALITY_METRICS).toHaveLength(11);
  });

  it('treats bounds as inclusive and a missing bound as open', () => {
    expect(isWithinQuality(10, { min: 10, severity: 'fail' })).toBe(true);
    expect(isWithinQuality(9.9, { min: 10, severity: 'fail' })).toBe(false);
    expect(isWithinQuality(0.5, { max: 0.5, severity: 'warn' })).toBe(true);
    expect(isWithinQuality(1e9, { min: 0, severity: 'warn' })).toBe(true);
    expect(isWithinQuality(2, { min: 0, max: 1, severity: 'warn' })).toBe(false);
  });
});
