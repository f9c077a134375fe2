import { describe, expect, it } from 'vitest';
import { TAG, cross, indexToWorld, isPlatformError } from '../../core/index.js';
import type { DicomJson, Vec3 } from '../../core/index.js';
import { seriesGeometry } from './series-geometry.js';

type Extra = Record<string, { vr: string; Value: unknown[] }>;

function slice(position: Vec3, orientation: readonly number[], extra: Extra = {}): DicomJson {
  return {
    [TAG.Rows]: { vr: 'US', Value: [4] },
    [TAG.Columns]: { vr: 'US', Value: [6] },
    [TAG.PixelSpacing]: { vr: 'DS', Value: [0.5, 0.8] },
    [TAG.ImagePositionPatient]: { vr: 'DS', Value: [...position] },
    [TAG.ImageOrientationPatient]: { vr: 'DS', Value: [...orientation] },
    [TAG.FrameOfReferenceUID]: { vr: 'UI', Value: ['1.2.840.99.1'] },
    ...extra,
  };
}

function stack(
  positions: readonly Vec3[],
  orientation: readonly number[],
  extra: Extra = {},
): DicomJson[] {
  return positions.map((p, i) =>
    slice(p, orientation, { [TAG.InstanceNumber]: { vr: 'IS', Value: [i + 1] }, ...extra }),
  );
}

function withoutTag(dataset: DicomJson, tag: string): DicomJson {
  return Object.fromEntries(Object.entries(dataset).filter(([key]) => key !== tag));
}

function code(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isPlatformError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

/** Rotation of the axial frame by `deg` about a unit axis (Rodrigues), as IOP row and column. */
function obliqueOrientation(axis: Vec3, deg: number): number[] {
  const t = (deg * Math.PI) / 180;
  const [x, y, z] = axis;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const r = (v: Vec3): Vec3 => {
    const k = cross(axis, v);
    const d = x * v[0] + y * v[1] + z * v[2];
    return [0, 1, 2].map((i) => v[i]! * c + k[i]! * s + axis[i]! * d * (1 - c)) as unknown as Vec3;
  };
  return [...r([1, 0, 0]), ...r([0, 1, 0])];
}

describe('seriesGeometry', () => {
  it('gives the identity direction, PixelSpacing swapped to (column, row), and the first IPP for an axial stack', () => {
    const g = seriesGeometry(
      stack(
        [
          [-10, 20, 30],
          [-10, 20, 32.5],
          [-10, 20, 35],
        ],
        [1, 0, 0, 0, 1, 0],
      ),
    );
    expect(g.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(g.spacing).toEqual([0.8, 0.5, 2.5]);
    expect(g.origin).toEqual([-10, 20, 30]);
    expect(g.dimensions).toEqual([6, 4, 3]);
    expect(g.frameOfReferenceUid).toBe('1.2.840.99.1');
    expect(g.report).toMatchObject({
      sliceCount: 3,
      singleSlice: false,
      tilted: false,
      uneven: false,
      gantryTiltDeg: 0,
    });
    expect(g.report.warnings).toEqual([]);
  });

  it('takes slice spacing from positions, not SliceThickness or SpacingBetweenSlices', () => {
    const g = seriesGeometry(
      stack(
        [
          [0, 0, 0],
          [0, 0, 3],
          [0, 0, 6],
        ],
        [1, 0, 0, 0, 1, 0],
        {
          [TAG.SliceThickness]: { vr: 'DS', Value: [5] },
          [TAG.SpacingBetweenSlices]: { vr: 'DS', Value: [1] },
        },
      ),
    );
    expect(g.spacing[2]).toBe(3);
    expect(g.report.warnings.map((w) => w.code)).toEqual(['SPACING_BETWEEN_SLICES_DIFFERS']);
  });

  it('sorts reversed input and reports the order', () => {
    const g = seriesGeometry(
      stack(
        [
          [0, 0, 4],
          [0, 0, 2],
          [0, 0, 0],
        ],
        [1, 0, 0, 0, 1, 0],
      ),
    );
    expect(g.order).toEqual([2, 1, 0]);
    expect(g.origin).toEqual([0, 0, 0]);
    expect(g.direction.slice(6)).toEqual([0, 0, 1]);
  });

  it('reports a 30° tilt as 30° ± 1e-6 and puts every slice on its position', () => {
    const dz = 5;
    const shift = dz * Math.tan(Math.PI / 6);
    const positions: Vec3[] = [0, 1, 2, 3, 4].map((k) => [1, 2 + k * shift, 3 + k * dz]);
    const g = seriesGeometry(
      stack(positions, [1, 0, 0, 0, 1, 0], { [TAG.GantryDetectorTilt]: { vr: 'DS', Value: [30] } }),
    );
    expect(Math.abs(g.report.gantryTiltDeg - 30)).toBeLessThan(1e-6);
    expect(g.report.tilted).toBe(true);
    expect(g.report.declaredGantryTiltDeg).toBe(30);
    expect(g.report.warnings.map((w) => w.code)).toContain('GANTRY_TILT');
    expect(g.spacing[2]).toBeCloseTo(dz / Math.cos(Math.PI / 6), 12);
    const [kx, ky, kz] = g.direction.slice(6);
    expect([kx, ky, kz].map((v) => Number(v?.toFixed(12)))).toEqual([
      0,
      0.5,
      Number(Math.cos(Math.PI / 6).toFixed(12)),
    ]);
    const volume = { ...g, data: new Float32Array(0) };
    for (const [k, p] of positions.entries()) {
      const w = indexToWorld(volume, [0, 0, k]);
      for (let c = 0; c < 3; c++) expect(w[c]).toBeCloseTo(p[c]!, 10);
    }
    expect(g.report.maxPositionErrorMm).toBeLessThan(1e-12);
  });

  it('detects uneven spacing and reports the max deviation from the mean', () => {
    const g = seriesGeometry(
      stack(
        [
          [0, 0, 0],
          [0, 0, 1],
          [0, 0, 2],
          [0, 0, 3.5],
          [0, 0, 4.5],
        ],
        [1, 0, 0, 0, 1, 0],
      ),
    );
    expect(g.report.uneven).toBe(true);
    expect(g.report.unevenSpacing).toBeCloseTo(0.375, 12);
    expect(g.report.sliceSpacing).toEqual({ mean: 1.125, min: 1, max: 1.5 });
    expect(g.spacing[2]).toBeCloseTo(1.125, 12);
    expect(g.report.warnings.map((w) => w.code)).toEqual(['UNEVEN_SPACING']);
    // Slice 2 sits at z = 2, the grid puts it at 2.25.
    expect(g.report.maxPositionErrorMm).toBeCloseTo(0.25, 12);
  });

  it('honours the tolerance for uneven spacing', () => {
    const positions: Vec3[] = [
      [0, 0, 0],
      [0, 0, 1.004],
      [0, 0, 2],
    ];
    expect(seriesGeometry(stack(positions, [1, 0, 0, 0, 1, 0])).report.uneven).toBe(false);
    expect(
      seriesGeometry(stack(positions, [1, 0, 0, 0, 1, 0]), { spacingToleranceMm: 0.001 }).report
        .uneven,
    ).toBe(true);
  });

  it('maps voxel (0, 0, k) of an oblique stack onto each slice position', () => {
    const iop = obliqueOrientation([0.48, 0.6, 0.64], 37);
    const normal = cross([iop[0]!, iop[1]!, iop[2]!], [iop[3]!, iop[4]!, iop[5]!]);
    const positions: Vec3[] = [0, 1, 2, 3].map((k) => [
      12 + 2.2 * k * normal[0],
      -7 + 2.2 * k * normal[1],
      40 + 2.2 * k * normal[2],
    ]);
    const g = seriesGeometry(stack([...positions].reverse(), iop));
    expect(g.report.gantryTiltDeg).toBeLessThan(1e-6);
    const d = g.direction;
    for (let c = 0; c < 3; c++) {
      expect(d[c]).toBeCloseTo(iop[c]!, 12);
      expect(d[3 + c]).toBeCloseTo(iop[3 + c]!, 12);
      expect(d[6 + c]).toBeCloseTo(normal[c]!, 12);
    }
    const volume = { ...g, data: new Float32Array(0) };
    for (const [k, p] of positions.entries()) {
      const w = indexToWorld(volume, [0, 0, k]);
      for (let c = 0; c < 3; c++) expect(w[c]).toBeCloseTo(p[c]!, 10);
    }
    // Voxel (1, 0, 0) is one column spacing along the row direction.
    const w = indexToWorld(volume, [1, 0, 0]);
    for (let c = 0; c < 3; c++) expect(w[c]).toBeCloseTo(positions[0]![c]! + 0.8 * iop[c]!, 10);
  });

  it('takes a single slice spacing from SpacingBetweenSlices, then SliceThickness, then 1 mm, with a warning', () => {
    const one = (extra: Extra): ReturnType<typeof seriesGeometry> =>
      seriesGeometry([slice([0, 0, 0], [1, 0, 0, 0, 1, 0], extra)]);
    const both = one({
      [TAG.SpacingBetweenSlices]: { vr: 'DS', Value: [3] },
      [TAG.SliceThickness]: { vr: 'DS', Value: [2] },
    });
    expect(both.spacing[2]).toBe(3);
    expect(both.report.singleSlice).toBe(true);
    expect(both.report.warnings.map((w) => w.code)).toEqual(['SINGLE_SLICE_SPACING']);
    expect(one({ [TAG.SliceThickness]: { vr: 'DS', Value: [2] } }).spacing[2]).toBe(2);
    expect(one({}).spacing[2]).toBe(1);
    expect(one({}).direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('rejects missing or differing PixelSpacing', () => {
    const missing = stack(
      [
        [0, 0, 0],
        [0, 0, 1],
      ],
      [1, 0, 0, 0, 1, 0],
    ).map((s) => withoutTag(s, TAG.PixelSpacing));
    expect(code(() => seriesGeometry(missing))).toBe('ERR_SERIES_GEOMETRY');
    const differing = [
      slice([0, 0, 0], [1, 0, 0, 0, 1, 0]),
      slice([0, 0, 1], [1, 0, 0, 0, 1, 0], { [TAG.PixelSpacing]: { vr: 'DS', Value: [0.5, 0.7] } }),
    ];
    expect(code(() => seriesGeometry(differing))).toBe('ERR_SERIES_INCONSISTENT');
  });

  it('warns about, and leaves out, a malformed FrameOfReferenceUID', () => {
    const g = seriesGeometry(
      stack(
        [
          [0, 0, 0],
          [0, 0, 1],
        ],
        [1, 0, 0, 0, 1, 0],
        { [TAG.FrameOfReferenceUID]: { vr: 'UI', Value: ['1.02.x'] } },
      ),
    );
    expect(g.frameOfReferenceUid).toBeUndefined();
    expect(g.report.warnings.map((w) => w.code)).toEqual(['INVALID_FRAME_OF_REFERENCE']);
  });
});
