// RLE Lossless decoding (PS3.5 Annex G): a 64-byte header of up to 15 segment offsets, each
// segment one byte plane of one sample, PackBits-coded (G.3.1).

import { PlatformError } from '../../../core/index.js';

function corrupt(message: string): PlatformError {
  return new PlatformError('ERR_DICOM_PIXEL_DECODE', message);
}

/**
 * Decodes one PackBits segment into `out[outStart + k * stride]` for k in [0, count), and
 * returns how many bytes it produced before it ran out of input (at most `count`). Literal
 * runs copy n + 1 bytes (0 ≤ n ≤ 127); replicate runs repeat the next byte 1 − n times
 * (−127 ≤ n ≤ −1); −128 is a no-op (PS3.5 G.3.1).
 */
function decodeSegment(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  outStart: number,
  stride: number,
  count: number,
): number {
  let i = start;
  let k = 0;
  let o = outStart;
  while (i < end && k < count) {
    const n = src[i++]!;
    if (n < 128) {
      const run = Math.min(n + 1, count - k, end - i);
      for (let r = 0; r < run; r++, o += stride) out[o] = src[i + r]!;
      i += n + 1;
      k += run;
    } else if (n > 128) {
      if (i >= end) break;
      const value = src[i++]!;
      const run = Math.min(257 - n, count - k);
      for (let r = 0; r < run; r++, o += stride) out[o] = value;
      k += run;
    }
  }
  return k;
}

/**
 * Decodes one RLE frame into little-endian, colour-by-pixel sample bytes: `pixels` pixels of
 * `samplesPerPixel` samples of `bytesPerSample` bytes. Segments come most significant byte
 * first, sample by sample (PS3.5 G.2), so segment s·B + b fills byte B − 1 − b of sample s.
 */
export function decodeRleFrame(
  frame: Uint8Array,
  pixels: number,
  samplesPerPixel: number,
  bytesPerSample: number,
): Uint8Array {
  if (frame.length < 64) throw corrupt(`RLE header needs 64 bytes, frame has ${frame.length}`);
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const expected = samplesPerPixel * bytesPerSample;
  if (segments !== expected) {
    throw corrupt(
      `RLE header lists ${segments} segments; ${samplesPerPixel} sample(s) of ${bytesPerSample} byte(s) need ${expected}`,
    );
  }
  const offsets: number[] = [];
  for (let s = 0; s < segments; s++) offsets.push(view.getUint32(4 + 4 * s, true));
  const pixelBytes = expected;
  const out = new Uint8Array(pixels * pixelBytes);
  for (let s = 0; s < segments; s++) {
    const start = offsets[s]!;
    const end = s + 1 < segments ? offsets[s + 1]! : frame.length;
    if (start < 64 || end > frame.length || end < start) {
      throw corrupt(`RLE segment ${s + 1} has offsets ${start}–${end} outside the frame`);
    }
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    const produced = decodeSegment(
      frame,
      start,
      end,
      out,
      sample * bytesPerSample + byteInSample,
      pixelBytes,
      pixels,
    );
    if (produced < pixels) {
      throw corrupt(`RLE segment ${s + 1} decodes to ${produced} bytes; ${pixels} expected`);
    }
  }
  return out;
}
