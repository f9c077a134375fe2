import type { VoxelArray } from '../../core/index.js';

/**
 * Copies `data` into the integer array `out`, stopping at the first voxel that is not an integer
 * in `[min, max]` (the range of `out`'s type): storing voxels in an integer datatype must never
 * round or clip silently. One fused pass: checking and converting separately costs twice.
 *
 * @returns The index of the first offending voxel, or -1 when every voxel was copied.
 */
export function copyExactIntegers(
  data: VoxelArray,
  out: VoxelArray,
  min: number,
  max: number,
): number {
  for (let v = 0; v < data.length; v++) {
    const x = data[v]!;
    // One range test that also rejects NaN, then a cheap integrality test (no call).
    if (!(x >= min && x <= max) || x !== Math.floor(x)) return v;
    out[v] = x;
  }
  return -1;
}

/** Reverses the bytes of every `size`-byte element of `bytes` in place (endianness swap). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  for (let p = 0; p + size <= bytes.length; p += size) {
    for (let a = p, b = p + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}
