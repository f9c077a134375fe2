// Sample-level loops: byte order, bit unpacking, planar to interleaved, and the masking and
// sign extension that turn allocated bits into stored values (PS3.5 §8.1.1).

/** Unsigned integer views a frame's samples are read through. */
export type UnsignedSamples = Uint8Array | Uint16Array | Uint32Array;
/** Signed integer views over the same memory, for Pixel Representation 1. */
export type SignedSamples = Int8Array | Int16Array | Int32Array;

/** Reverses the byte order of every `width`-byte word in place (big endian to little endian). */
export function swapBytes(bytes: Uint8Array, width: 2 | 4 | 8): void {
  const n = bytes.length - (bytes.length % width);
  if (width === 2) {
    for (let i = 0; i < n; i += 2) {
      const a = bytes[i]!;
      bytes[i] = bytes[i + 1]!;
      bytes[i + 1] = a;
    }
    return;
  }
  for (let i = 0; i < n; i += width) {
    for (let lo = i, hi = i + width - 1; lo < hi; lo++, hi--) {
      const a = bytes[lo]!;
      bytes[lo] = bytes[hi]!;
      bytes[hi] = a;
    }
  }
}

/**
 * Unpacks `count` 1-bit samples starting `bitOffset` bits into `src`, least significant bit
 * first (PS3.5 §8.1.1 and Annex D), one byte per sample.
 */
export function unpackBits(src: Uint8Array, bitOffset: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const bit = bitOffset + i;
    out[i] = (src[bit >>> 3]! >>> (bit & 7)) & 1;
  }
  return out;
}

/**
 * Reorders a colour-by-plane frame (Planar Configuration 1: all R, then all G, then all B,
 * PS3.3 C.7.6.3.1.3) into colour-by-pixel order, for samples of `bytesPerSample` bytes.
 */
export function planarToInterleaved(
  src: Uint8Array,
  samplesPerPixel: number,
  pixels: number,
  bytesPerSample: number,
): Uint8Array {
  const out = new Uint8Array(pixels * samplesPerPixel * bytesPerSample);
  const planeBytes = pixels * bytesPerSample;
  const pixelBytes = samplesPerPixel * bytesPerSample;
  for (let s = 0; s < samplesPerPixel; s++) {
    for (let p = 0; p < pixels; p++) {
      const from = s * planeBytes + p * bytesPerSample;
      const to = p * pixelBytes + s * bytesPerSample;
      for (let b = 0; b < bytesPerSample; b++) out[to + b] = src[from + b]!;
    }
  }
  return out;
}

/**
 * Turns allocated words into stored values in place: shifts out the bits below the stored
 * ones (`shift` = High Bit + 1 − Bits Stored), masks off bits above them (which old files use
 * for overlays), then, when `signed` is given, writes the two's complement sign extension from
 * `bits` into that view of the same memory.
 *
 * When the stored bits fill the word (Bits Stored = Bits Allocated, High Bit at the top) the
 * words already are the stored values, unsigned or signed through the other view: nothing is
 * touched. Each width has a loop of its own, so that V8 sees one array type per loop and keeps
 * the element accesses inlined instead of going through a polymorphic lookup per sample.
 */
export function normalizeStored(
  unsigned: UnsignedSamples,
  signed: SignedSamples | undefined,
  shift: number,
  bitsStored: number,
): void {
  const width = unsigned.BYTES_PER_ELEMENT * 8;
  const bits = Math.min(bitsStored, width - shift);
  if (shift === 0 && bits >= width) return;
  if (unsigned instanceof Uint16Array) {
    normalize16(unsigned, signed as Int16Array | undefined, shift, bits);
  } else if (unsigned instanceof Uint8Array) {
    normalize8(unsigned, signed as Int8Array | undefined, shift, bits);
  } else {
    normalize32(unsigned, signed as Int32Array | undefined, shift, bits);
  }
}

function normalize16(
  unsigned: Uint16Array,
  signed: Int16Array | undefined,
  shift: number,
  bits: number,
): void {
  const n = unsigned.length;
  const mask = (1 << bits) - 1;
  if (signed === undefined) {
    for (let i = 0; i < n; i++) unsigned[i] = (unsigned[i]! >>> shift) & mask;
    return;
  }
  // Move the sign bit to bit 31, then an arithmetic shift back extends it.
  const k = 32 - bits;
  for (let i = 0; i < n; i++) signed[i] = (((unsigned[i]! >>> shift) & mask) << k) >> k;
}

function normalize8(
  unsigned: Uint8Array,
  signed: Int8Array | undefined,
  shift: number,
  bits: number,
): void {
  const n = unsigned.length;
  const mask = (1 << bits) - 1;
  if (signed === undefined) {
    for (let i = 0; i < n; i++) unsigned[i] = (unsigned[i]! >>> shift) & mask;
    return;
  }
  const k = 32 - bits;
  for (let i = 0; i < n; i++) signed[i] = (((unsigned[i]! >>> shift) & mask) << k) >> k;
}

function normalize32(
  unsigned: Uint32Array,
  signed: Int32Array | undefined,
  shift: number,
  bits: number,
): void {
  const n = unsigned.length;
  // 32-bit words: doubles carry them exactly, where `>>>` and `&` would turn bit 31 into a sign.
  const scale = 2 ** shift;
  const modulus = 2 ** bits;
  if (signed === undefined) {
    for (let i = 0; i < n; i++) unsigned[i] = Math.floor(unsigned[i]! / scale) % modulus;
    return;
  }
  const half = modulus / 2;
  for (let i = 0; i < n; i++) {
    const v = Math.floor(unsigned[i]! / scale) % modulus;
    signed[i] = v >= half ? v - modulus : v;
  }
}

/** The smallest and largest value of a frame. */
export function minMax(values: Iterable<number>): { readonly min: number; readonly max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
