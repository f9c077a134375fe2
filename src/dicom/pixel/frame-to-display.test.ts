import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../core/index.js';
import { readPart10 } from '../part10/read-part10.js';
import { decodePixelData } from './decode-pixel-data.js';
import type { DecodedPixels, PixelArray } from './decoded-pixels.js';
import { frameToDisplay } from './frame-to-display.js';
import { toModalityValues } from './modality.js';

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files/';

function pixelsOf(frame: PixelArray, overrides: Partial<DecodedPixels> = {}): DecodedPixels {
  return {
    rows: 1,
    columns: frame.length,
    samplesPerPixel: 1,
    numberOfFrames: 1,
    frameIndices: [0],
    frames: [frame],
    bitsAllocated: 16,
    bitsStored: 16,
    pixelRepresentation: 1,
    photometricInterpretation: 'MONOCHROME2',
    storedPhotometricInterpretation: 'MONOCHROME2',
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    lossy: false,
    rescale: { slope: 1, intercept: 0 },
    warnings: [],
    ...overrides,
  };
}

describe('toModalityValues', () => {
  it('applies slope then intercept (PS3.3 C.11.1.1.2)', () => {
    expect(toModalityValues(Int16Array.of(-2, 0, 1000), { slope: 2.5, intercept: -1024 })).toEqual(
      Float32Array.of(-1029, -1024, 1476),
    );
  });

  it('gives CT_small values in a plausible Hounsfield range', async () => {
    const pixels = await decodePixelData(readPart10(readFileSync(`${PYDICOM}CT_small.dcm`)));
    expect(pixels.rescale.slope).toBe(1);
    expect(pixels.rescale.intercept).toBe(-1024);
    const hu = toModalityValues(pixels.frames[0]!, pixels.rescale);
    let min = Infinity;
    let max = -Infinity;
    for (const v of hu) [min, max] = [Math.min(min, v), Math.max(max, v)];
    // Air is −1000 HU and cortical bone up to about +2000 HU; nothing can be below −1024.
    expect(min).toBeGreaterThanOrEqual(-1024);
    expect(max).toBeLessThan(3072);
    // pydicom's apply_modality_lut: −849 HU at (0, 0), 904 at (64, 64), −115 at (127, 127),
    // from −896 to 1167 HU over the slice.
    expect([hu[0], hu[64 * 128 + 64], hu[127 * 128 + 127]]).toEqual([-849, 904, -115]);
    expect([min, max]).toEqual([-896, 1167]);
  });
});

describe('frameToDisplay', () => {
  it('maps a LINEAR window as PS3.3 C.11.2.1.2.1 defines it', () => {
    // Centre 100, width 11: values ≤ 94.5 are black, values > 104.5 white, linear between.
    const pixels = pixelsOf(Int16Array.of(94, 95, 99.5, 100, 104, 105));
    const { data } = frameToDisplay(pixels, 0, {
      window: { center: 100, width: 11, function: 'LINEAR' },
    });
    const linear = (x: number): number => Math.round(((x - 99.5) / 10 + 0.5) * 255);
    expect([...data]).toEqual([0, linear(95), linear(99), linear(100), linear(104), 255]);
  });

  it('maps a LINEAR_EXACT window as PS3.3 C.11.2.1.3.2 defines it', () => {
    const pixels = pixelsOf(Int16Array.of(-50, 0, 25, 50));
    const { data } = frameToDisplay(pixels, 0, {
      window: { center: 0, width: 100, function: 'LINEAR_EXACT' },
    });
    expect([...data]).toEqual([0, 128, 191, 255]);
  });

  it('maps a SIGMOID window through its centre at half intensity', () => {
    const pixels = pixelsOf(Int16Array.of(-1000, 40, 1000));
    const { data } = frameToDisplay(pixels, 0, {
      window: { center: 40, width: 400, function: 'SIGMOID' },
    });
    expect([...data]).toEqual([0, 128, 255]);
  });

  it('windows in modality units, after the rescale', () => {
    const pixels = pixelsOf(Int16Array.of(0, 1024, 2048), {
      rescale: { slope: 1, intercept: -1024 },
    });
    const { data } = frameToDisplay(pixels, 0, {
      window: { center: 0, width: 2, function: 'LINEAR_EXACT' },
    });
    expect([...data]).toEqual([0, 128, 255]);
  });

  it('uses the instance window when no window is given', () => {
    const pixels = pixelsOf(Int16Array.of(0, 10, 20), {
      window: { center: 10, width: 20, function: 'LINEAR_EXACT' },
    });
    expect([...frameToDisplay(pixels).data]).toEqual([0, 128, 255]);
  });

  it('spans the frame range when neither the caller nor the instance has a window', () => {
    const display = frameToDisplay(pixelsOf(Int16Array.of(-300, 0, 300)));
    expect([...display.data]).toEqual([0, 128, 255]);
    expect(display.window).toEqual({ center: 0, width: 600, function: 'LINEAR_EXACT' });
  });

  it('inverts MONOCHROME1 so that the lowest value is white', () => {
    const pixels = pixelsOf(Int16Array.of(0, 100), { photometricInterpretation: 'MONOCHROME1' });
    expect([...frameToDisplay(pixels).data]).toEqual([255, 0]);
  });

  it('scales RGB samples of more than 8 bits to 8 bits', () => {
    const pixels = pixelsOf(Uint16Array.of(0, 2048, 4095), {
      photometricInterpretation: 'RGB',
      samplesPerPixel: 3,
      bitsStored: 12,
      rows: 1,
      columns: 1,
    });
    expect([...frameToDisplay(pixels).data]).toEqual([0, 128, 255]);
  });

  it('throws ERR_USAGE for a frame that was not decoded', () => {
    let error: unknown;
    try {
      frameToDisplay(pixelsOf(Int16Array.of(1)), 1);
    } catch (e) {
      error = e;
    }
    expect(isPlatformError(error) && error.code).toBe('ERR_USAGE');
  });
});
