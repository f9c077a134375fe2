/**
 * Masked sums in doubles. Sums are of (x − shift), with the shift taken from the first selected
 * voxel, so that the variance does not lose digits to (Σx)² when the mean is large.
 */

/** Count, shifted sum and shifted sum of squares of the selected voxels. */
export interface Moments {
  readonly count: number;
  /** Σ (x − shift). */
  readonly sum: number;
  /** Σ (x − shift)². */
  readonly sumSquares: number;
  readonly shift: number;
}

/** Moments of `data` where `mask` is non-zero (every voxel when `mask` is undefined). */
export function maskedMoments(data: Float32Array, mask: Uint8Array | undefined): Moments {
  const n = data.length;
  let first = 0;
  while (first < n && mask?.[first] === 0) first++;
  const shift = first < n ? data[first]! : 0;
  let count = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let v = first; v < n; v++) {
    if (mask?.[v] === 0) continue;
    const d = data[v]! - shift;
    count++;
    sum += d;
    sumSquares += d * d;
  }
  return { count, sum, sumSquares, shift };
}

/** Mean of the selected voxels; NaN when there are none. */
export function momentsMean(m: Moments): number {
  return m.count === 0 ? NaN : m.shift + m.sum / m.count;
}

/** Sample standard deviation (n − 1 in the denominator); NaN for fewer than 2 voxels. */
export function momentsSampleSd(m: Moments): number {
  if (m.count < 2) return NaN;
  const ss = m.sumSquares - (m.sum * m.sum) / m.count;
  return Math.sqrt(Math.max(0, ss) / (m.count - 1));
}

/** Moments of (a − b) where `mask` is non-zero, plus the sum of (a + b)/2 there. */
export function differenceMoments(
  a: Float32Array,
  b: Float32Array,
  mask: Uint8Array,
): { readonly difference: Moments; readonly meanSum: number } {
  const n = a.length;
  let first = 0;
  while (first < n && mask[first] === 0) first++;
  const shift = first < n ? a[first]! - b[first]! : 0;
  let count = 0;
  let sum = 0;
  let sumSquares = 0;
  let meanSum = 0;
  for (let v = first; v < n; v++) {
    if (mask[v] === 0) continue;
    const x = a[v]!;
    const y = b[v]!;
    const d = x - y - shift;
    count++;
    sum += d;
    sumSquares += d * d;
    meanSum += 0.5 * (x + y);
  }
  return { difference: { count, sum, sumSquares, shift }, meanSum };
}

/** Σw, Σw·i, Σw·j, Σw·k over `mask` with w = max(x, 0). */
export function weightedIndexSums(
  data: Float32Array,
  mask: Uint8Array,
  ni: number,
  nj: number,
  nk: number,
): { readonly w: number; readonly si: number; readonly sj: number; readonly sk: number } {
  let w = 0;
  let si = 0;
  let sj = 0;
  let sk = 0;
  let v = 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      for (let i = 0; i < ni; i++, v++) {
        const x = data[v]!;
        if (mask[v] === 0 || !(x > 0)) continue;
        w += x;
        si += x * i;
        sj += x * j;
        sk += x * k;
      }
    }
  }
  return { w, si, sj, sk };
}
