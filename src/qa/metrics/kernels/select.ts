/**
 * Order statistics by quickselect (Hoare partition, median-of-three pivot), in place.
 */

/** Moves the k-th smallest value (0-based) of `values[0..n)` to index k and returns it. */
export function selectKth(
  values: Float32Array | Float64Array,
  k: number,
  n = values.length,
): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as pivot, so sorted or constant input stays O(n).
    const a = values[lo]!;
    const b = values[mid]!;
    const c = values[hi]!;
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}

/**
 * numpy's `median(x²)` of the first `n` entries of `values`, which must hold |x|: the square of the
 * middle value, or the mean of the squares of the two middle values when n is even. NaN when n = 0.
 * Reorders `values`.
 */
export function medianOfSquares(values: Float32Array | Float64Array, n = values.length): number {
  if (n === 0) return NaN;
  const upper = n >>> 1;
  const b = selectKth(values, upper, n);
  if (n % 2 === 1) return b * b;
  // After selection everything below index `upper` is ≤ b: the lower middle is their maximum.
  let a = -Infinity;
  for (let v = 0; v < upper; v++) if (values[v]! > a) a = values[v]!;
  return 0.5 * (a * a + b * b);
}
