import { describe, expect, it } from 'vitest';
import { TAG, isPlatformError } from '../../core/index.js';
import type { DicomJson } from '../../core/index.js';
import { framesToImages } from './frames-to-images.js';

function instance(extra: DicomJson = {}): DicomJson {
  return {
    [TAG.Rows]: { vr: 'US', Value: [2] },
    [TAG.Columns]: { vr: 'US', Value: [3] },
    [TAG.NumberOfFrames]: { vr: 'IS', Value: [2] },
    ...extra,
  };
}

/** One Sequence of Ultrasound Regions item (PS3.3 §C.8.5.5). */
function region(unitsX: number, unitsY: number, dx: number, dy: number): DicomJson {
  return {
    '00186024': { vr: 'US', Value: [unitsX] },
    '00186026': { vr: 'US', Value: [unitsY] },
    '0018602C': { vr: 'FD', Value: [dx] },
    '0018602E': { vr: 'FD', Value: [dy] },
  };
}

describe('framesToImages', () => {
  it('splits frames without copying and turns PixelSpacing (row, column) into (column, row)', () => {
    const all = Uint8Array.from({ length: 12 }, (_, i) => i);
    const images = framesToImages(
      instance({ [TAG.PixelSpacing]: { vr: 'DS', Value: [0.2, 0.3] } }),
      all,
    );
    expect(images).toHaveLength(2);
    expect(images[1]).toMatchObject({
      columns: 3,
      rows: 2,
      samplesPerPixel: 1,
      pixelSpacing: [0.3, 0.2],
    });
    expect(Array.from(images[1]!.data)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(images[1]!.data.buffer).toBe(all.buffer);
  });

  it('converts ultrasound region deltas from cm to mm, skipping non-spatial regions', () => {
    const doppler = region(4, 7, 0.01, 0.5); // seconds × cm/s: a spectral strip, not space
    const bMode = region(3, 3, 0.025, -0.03);
    const [image] = framesToImages(
      instance({
        [TAG.NumberOfFrames]: { vr: 'IS', Value: [1] },
        [TAG.SamplesPerPixel]: { vr: 'US', Value: [3] },
        '00186011': { vr: 'SQ', Value: [doppler, bMode] },
      }),
      new Uint8Array(18),
    );
    expect(image?.samplesPerPixel).toBe(3);
    expect(image?.pixelSpacing?.[0]).toBeCloseTo(0.25, 12);
    expect(image?.pixelSpacing?.[1]).toBeCloseTo(0.3, 12);
  });

  it('reads Pixel Measures from per-frame, then shared functional groups', () => {
    const measures = (row: number, column: number): DicomJson => ({
      '00289110': { vr: 'SQ', Value: [{ [TAG.PixelSpacing]: { vr: 'DS', Value: [row, column] } }] },
    });
    const images = framesToImages(
      instance({
        '52009229': { vr: 'SQ', Value: [measures(1, 2)] },
        '52009230': { vr: 'SQ', Value: [measures(0.5, 0.5), {}] },
      }),
      [new Int16Array(6), new Int16Array(6)],
    );
    expect(images.map((i) => i.pixelSpacing)).toEqual([
      [0.5, 0.5],
      [2, 1],
    ]);
  });

  it('leaves pixelSpacing out when the instance states none', () => {
    const [image] = framesToImages(
      instance({ [TAG.NumberOfFrames]: { vr: 'IS', Value: [1] } }),
      new Uint16Array(6),
    );
    expect(image).not.toHaveProperty('pixelSpacing');
  });

  it('rejects a sample count that does not match the frames', () => {
    for (const pixels of [new Uint8Array(11), [new Uint8Array(6)]]) {
      try {
        framesToImages(instance(), pixels);
        expect.unreachable();
      } catch (error) {
        expect(isPlatformError(error) && error.code).toBe('ERR_VOLUME_SHAPE');
      }
    }
  });
});
