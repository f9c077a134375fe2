/**
 * Histogram and Otsu kernels. Bins are equal-width over [min, max] of the selected voxels; a voxel
 * of value x falls in bin `min(bins − 1, floor((x − min) / width))`.
 */

/** Range of the voxels where `mask` (if given) is non-zero; non-finite values are skipped. */
export interface ValueRange {
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** Minimum, maximum and count of the finite voxels of `data` selected by `mask`. */
export function maskedRange(data: Float32Array, mask: Uint8Array | undefined): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  const n = data.length;
  // Two loops rather than one with an optional mask: V8 keeps each monomorphic and fast.
  if (mask === undefined) {
    for (let v = 0; v < n; v++) {
      const x = data[v]!;
      if (x - x !== 0) continue; // NaN or ±Infinity
      if (x < min) min = x;
      if (x > max) max = x;
      count++;
    }
  } else {
    for (let v = 0; v < n; v++) {
      if (mask[v] === 0) continue;
      const x = data[v]!;
      if (x - x !== 0) continue;
      if (x < min) min = x;
      if (x > max) max = x;
      count++;
    }
  }
  return { min, max, count };
}

/** Counts and sums of values per bin, both in doubles. */
export interface Histogram {
  readonly counts: Float64Array;
  readonly sums: Float64Array;
  readonly min: number;
  readonly width: number;
}

/** Histogram of the finite voxels selected by `mask` over [min, max] in `bins` bins. */
export function maskedHistogram(
  data: Float32Array,
  mask: Uint8Array | undefined,
  min: number,
  max: number,
  bins: number,
): Histogram {
  const counts = new Float64Array(bins);
  const sums = new Float64Array(bins);
  const width = (max - min) / bins;
  const scale = width > 0 ? 1 / width : 0;
  const last = bins - 1;
  const n = data.length;
  for (let v = 0; v < n; v++) {
    if (mask?.[v] === 0) continue;
    const x = data[v]!;
    if (x - x !== 0) continue; // NaN or ±Infinity
    let b = Math.floor((x - min) * scale);
    if (b > last) b = last;
    counts[b]! += 1;
    sums[b]! += x;
  }
  return { counts, sums, min, width };
}

/**
 * Otsu's split of a histogram: the last bin of the lower class, maximizing the between-class
 * variance computed from bin centres (first maximum on ties); −1 when no split has both classes.
 */
export function otsuSplit(counts: Float64Array, min: number, width: number): number {
  const bins = counts.length;
  let total = 0;
  let totalMoment = 0;
  for (let b = 0; b < bins; b++) {
    total += counts[b]!;
    totalMoment += counts[b]! * (min + (b + 0.5) * width);
  }
  let best = -1;
  let bestVariance = -Infinity;
  let w0 = 0;
  let m0 = 0;
  for (let k = 0; k < bins - 1; k++) {
    w0 += counts[k]!;
    m0 += counts[k]! * (min + (k + 0.5) * width);
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const d = m0 / w0 - (totalMoment - m0) / w1;
    const variance = w0 * w1 * d * d;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = k;
    }
  }
  return best;
}
