import { describe, expect, it } from 'vitest';
import { TAG, isPlatformError } from '../../core/index.js';
import type { DicomJson } from '../../core/index.js';
import { seriesToVolume } from './series-to-volume.js';

function slice(z: number, instance: number): DicomJson {
  return {
    [TAG.InstanceNumber]: { vr: 'IS', Value: [instance] },
    [TAG.Rows]: { vr: 'US', Value: [2] },
    [TAG.Columns]: { vr: 'US', Value: [3] },
    [TAG.PixelSpacing]: { vr: 'DS', Value: [1, 1] },
    [TAG.ImagePositionPatient]: { vr: 'DS', Value: [0, 0, z] },
    [TAG.ImageOrientationPatient]: { vr: 'DS', Value: [1, 0, 0, 0, 1, 0] },
  };
}

/** Pixel (column c, row r) of the slice at z holds 100 z + 10 r + c. */
function pixels(z: number): Int16Array {
  return Int16Array.from({ length: 6 }, (_, p) => 100 * z + 10 * Math.floor(p / 3) + (p % 3));
}

describe('seriesToVolume', () => {
  it('stacks slices in position order with i fastest, whatever the input order', () => {
    const zs = [2, 0, 1];
    const { volume, order, report } = seriesToVolume(
      zs.map((z, i) => ({ dataset: slice(z, i + 1), pixels: pixels(z) })),
    );
    expect(order).toEqual([1, 2, 0]);
    expect(volume.dimensions).toEqual([3, 2, 3]);
    expect(volume.data).toBeInstanceOf(Float32Array);
    for (let k = 0; k < 3; k++) {
      for (let j = 0; j < 2; j++) {
        for (let i = 0; i < 3; i++) {
          expect(volume.data[i + 3 * j + 6 * k]).toBe(100 * k + 10 * j + i);
        }
      }
    }
    expect(report.sliceCount).toBe(3);
  });

  it('accepts plain arrays and float pixels (modality values after rescale)', () => {
    const { volume } = seriesToVolume([
      { dataset: slice(0, 1), pixels: [0.5, 1, 2, 3, 4, -1024.25] },
      { dataset: slice(1, 2), pixels: new Float32Array(6).fill(7) },
    ]);
    expect(Array.from(volume.data.subarray(0, 6))).toEqual([0.5, 1, 2, 3, 4, -1024.25]);
    expect(volume.data[6]).toBe(7);
  });

  it('rejects a slice whose pixel count is not Rows × Columns', () => {
    try {
      seriesToVolume([{ dataset: slice(0, 1), pixels: new Float32Array(5) }]);
      expect.unreachable();
    } catch (error) {
      expect(isPlatformError(error) && error.code).toBe('ERR_VOLUME_SHAPE');
    }
  });
});

describe('seriesToVolume with voxelArray', () => {
  it('keeps integer slices in their own type, bit for bit', () => {
    const { volume } = seriesToVolume(
      [1, 0].map((z, i) => ({ dataset: slice(z, i + 1), pixels: pixels(z) })),
      { voxelArray: Int16Array },
    );
    expect(volume.data).toBeInstanceOf(Int16Array);
    expect(Array.from(volume.data)).toEqual([...pixels(0), ...pixels(1)]);
  });

  it('converts other slices when the integer type holds them exactly', () => {
    const { volume } = seriesToVolume(
      [{ dataset: slice(0, 1), pixels: Float32Array.from(pixels(3)) }],
      { voxelArray: Int16Array },
    );
    expect(Array.from(volume.data)).toEqual(Array.from(pixels(3)));
  });

  it.each([
    ['a fraction', 0.5],
    ['a value out of range', 40000],
    ['NaN', NaN],
  ])('rejects %s instead of storing it changed', (_, value) => {
    const values = new Float32Array(6).fill(1);
    values[4] = value;
    try {
      seriesToVolume([{ dataset: slice(0, 1), pixels: values }], { voxelArray: Int16Array });
      expect.unreachable();
    } catch (error) {
      expect(isPlatformError(error) && error.code).toBe('ERR_USAGE');
      expect(String(error)).toContain('pixel 4');
    }
  });
});
