import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../core/index.js';
import { decodeRleFrame } from './kernels/rle.js';

/** An RLE frame (PS3.5 G.3): the 64-byte header, then the segments as given. */
function rleFrame(...segments: number[][]): Uint8Array {
  const header = new DataView(new ArrayBuffer(64));
  header.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((segment, i) => {
    header.setUint32(4 + 4 * i, offset, true);
    offset += segment.length;
  });
  return Uint8Array.from([...new Uint8Array(header.buffer), ...segments.flat()]);
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return isPlatformError(error) ? error.code : 'other';
  }
  return 'OK';
}

describe('decodeRleFrame', () => {
  it('copies literal runs and repeats replicate runs, skipping the −128 no-op (PS3.5 G.3.1)', () => {
    // 2 literal bytes (n = 1), no-op (0x80), 3 × 9 (n = −2 = 0xFE), 1 literal byte (n = 0).
    const frame = rleFrame([0x01, 7, 8, 0x80, 0xfe, 9, 0x00, 5]);
    expect([...decodeRleFrame(frame, 6, 1, 1)]).toEqual([7, 8, 9, 9, 9, 5]);
  });

  it('puts the most significant byte segment first and interleaves samples', () => {
    // Two 16-bit samples per pixel, two pixels: segments are sample 1 high, sample 1 low,
    // sample 2 high, sample 2 low; output is little endian, colour by pixel.
    const frame = rleFrame([0x01, 0x12, 0x34], [0x01, 0x56, 0x78], [0xff, 0x00], [0x01, 1, 2]);
    const words = new Uint16Array(decodeRleFrame(frame, 2, 2, 2).buffer);
    expect([...words]).toEqual([0x1256, 0x0001, 0x3478, 0x0002]);
  });

  it('ignores bytes a segment holds past the frame', () => {
    expect([...decodeRleFrame(rleFrame([0x02, 1, 2, 3]), 2, 1, 1)]).toEqual([1, 2]);
  });

  it('throws ERR_DICOM_PIXEL_DECODE when a segment runs short', () => {
    expect(codeOf(() => decodeRleFrame(rleFrame([0x01, 1, 2]), 3, 1, 1))).toBe(
      'ERR_DICOM_PIXEL_DECODE',
    );
  });

  it('throws ERR_DICOM_PIXEL_DECODE when the segment count does not fit the samples', () => {
    expect(codeOf(() => decodeRleFrame(rleFrame([0x00, 1]), 1, 3, 1))).toBe(
      'ERR_DICOM_PIXEL_DECODE',
    );
  });

  it('throws ERR_DICOM_PIXEL_DECODE for a frame shorter than its header', () => {
    expect(codeOf(() => decodeRleFrame(new Uint8Array(10), 1, 1, 1))).toBe(
      'ERR_DICOM_PIXEL_DECODE',
    );
  });
});
