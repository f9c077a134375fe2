// Voxel copies for volume assembly.

/**
 * Index of the first of `count` values from `at` on where `data` does not read back what
 * `values` holds, or -1 when every one does: after `data.set(values, at)` into an integer array
 * this finds the values that were wrapped, truncated or turned into 0 (NaN) on the way.
 */
export function firstInexact(
  data: ArrayLike<number>,
  at: number,
  values: ArrayLike<number>,
): number {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    if (data[at + i] !== values[i]) return i;
  }
  return -1;
}
