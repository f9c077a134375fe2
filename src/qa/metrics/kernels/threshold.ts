/** Sets `mask[v] = 1` where x lies in a histogram bin above `split` (same binning as the histogram). */
export function thresholdAboveBin(
  data: Float32Array,
  min: number,
  width: number,
  bins: number,
  split: number,
): Uint8Array {
  const mask = new Uint8Array(data.length);
  if (split < 0 || !(width > 0)) return mask;
  const scale = 1 / width;
  const last = bins - 1;
  const n = data.length;
  for (let v = 0; v < n; v++) {
    const x = data[v]!;
    if (x - x !== 0) continue; // NaN or ±Infinity
    let b = Math.floor((x - min) * scale);
    if (b > last) b = last;
    if (b > split) mask[v] = 1;
  }
  return mask;
}
