// Colour conversions to RGB: YBR_FULL (PS3.3 C.7.6.3.1.2 with the ISO/IEC 10918-5 §7
// equations), YBR_FULL_422 chroma upsampling, and palette colour lookup (PS3.3 C.7.6.3.1.5-6,
// C.7.9.2).

// ISO/IEC 10918-5 (JFIF) §7 coefficients, the ones pydicom and libjpeg use.
const CR_TO_R = 1.402;
const CB_TO_G = (0.114 * 1.772) / 0.587;
const CR_TO_G = (0.299 * 1.402) / 0.587;
const CB_TO_B = 1.772;

/**
 * Converts interleaved full-range YCbCr samples to RGB in place, rounding half up and clamping
 * to [0, 2^bits − 1]; the chroma offset is 2^(bits − 1).
 */
export function ybrFullToRgb(samples: Uint8Array | Uint16Array, bits: number): void {
  const max = 2 ** bits - 1;
  const half = 2 ** (bits - 1);
  for (let i = 0; i + 2 < samples.length; i += 3) {
    const y = samples[i]!;
    const cb = samples[i + 1]! - half;
    const cr = samples[i + 2]! - half;
    const r = Math.floor(y + CR_TO_R * cr + 0.5);
    const g = Math.floor(y - CB_TO_G * cb - CR_TO_G * cr + 0.5);
    const b = Math.floor(y + CB_TO_B * cb + 0.5);
    samples[i] = r < 0 ? 0 : r > max ? max : r;
    samples[i + 1] = g < 0 ? 0 : g > max ? max : g;
    samples[i + 2] = b < 0 ? 0 : b > max ? max : b;
  }
}

/**
 * Expands YBR_FULL_422 samples, stored Y1 Y2 Cb Cr for each horizontal pair of pixels
 * (PS3.3 C.7.6.3.1.2), to three samples per pixel, both pixels of a pair taking the pair's
 * chroma. `columns` must be even.
 */
export function expandYbr422<T extends Uint8Array | Uint16Array>(
  src: T,
  rows: number,
  columns: number,
  make: (length: number) => T,
): T {
  const out = make(rows * columns * 3);
  const pairs = (rows * columns) / 2;
  for (let p = 0; p < pairs; p++) {
    const i = p * 4;
    const o = p * 6;
    const cb = src[i + 2]!;
    const cr = src[i + 3]!;
    out[o] = src[i]!;
    out[o + 1] = cb;
    out[o + 2] = cr;
    out[o + 3] = src[i + 1]!;
    out[o + 4] = cb;
    out[o + 5] = cr;
  }
  return out;
}

/** One palette colour lookup table per channel, already expanded (not segmented). */
export interface PaletteLuts<T extends Uint8Array | Uint16Array> {
  readonly red: T;
  readonly green: T;
  readonly blue: T;
  /** Stored pixel value mapped to the first entry (second value of the descriptor). */
  readonly firstMapped: number;
}

/**
 * Maps palette indices to interleaved RGB: values below the first mapped value take the
 * first entry, values past the table take the last (PS3.3 C.7.6.3.1.5).
 */
export function applyPalette<T extends Uint8Array | Uint16Array>(
  indices: ArrayLike<number>,
  luts: PaletteLuts<T>,
  out: T,
): void {
  const { red, green, blue, firstMapped } = luts;
  const last = Math.min(red.length, green.length, blue.length) - 1;
  for (let p = 0; p < indices.length; p++) {
    let k = indices[p]! - firstMapped;
    if (k < 0) k = 0;
    else if (k > last) k = last;
    const o = p * 3;
    out[o] = red[k]!;
    out[o + 1] = green[k]!;
    out[o + 2] = blue[k]!;
  }
}

/**
 * Expands Segmented Palette Color Lookup Table Data (PS3.3 C.7.9.2): discrete segments
 * (opcode 0) copy values, linear segments (1) ramp from the previous value to the given one,
 * indirect segments (2) replay earlier segments found at a word offset (as GDCM and pydicom
 * read it). Returns `undefined` on an unknown opcode or a segment that runs off the data.
 */
export function expandSegmentedLut(
  data: Uint16Array,
  start = 0,
  maxSegments = Infinity,
  previous?: number,
  depth = 0,
): number[] | undefined {
  const lut: number[] = [];
  let i = start;
  let segments = 0;
  // An indirect segment may point at another; real tables nest once at most.
  if (depth > 4) return undefined;
  while (i + 1 < data.length && segments < maxSegments) {
    const opcode = data[i]!;
    const length = data[i + 1]!;
    i += 2;
    if (opcode === 0) {
      if (i + length > data.length) return undefined;
      for (let k = 0; k < length; k++) lut.push(data[i + k]!);
      i += length;
    } else if (opcode === 1) {
      const y0 = lut.at(-1) ?? previous;
      if (y0 === undefined || i >= data.length) return undefined;
      const y1 = data[i]!;
      i += 1;
      const step = (y1 - y0) / length;
      for (let k = 1; k <= length; k++) lut.push(Math.round(y0 + step * k));
    } else if (opcode === 2) {
      if (lut.length === 0 || i + 1 >= data.length) return undefined;
      const offset = data[i]! + data[i + 1]! * 0x10000;
      i += 2;
      const replay = expandSegmentedLut(data, offset, length, lut.at(-1), depth + 1);
      if (replay === undefined) return undefined;
      lut.push(...replay);
    } else {
      return undefined;
    }
    segments++;
  }
  return lut;
}
