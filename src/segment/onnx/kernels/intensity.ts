/** Mean and standard deviation (population) of `v`. */
export function meanStd(v: Float32Array): { mean: number; std: number } {
  let s = 0;
  for (const x of v) s += x;
  const mean = s / Math.max(1, v.length);
  let q = 0;
  for (const x of v) q += (x - mean) ** 2;
  return { mean, std: Math.sqrt(q / Math.max(1, v.length)) };
}

/** The p-th percentile (0–100) of `v` by nearest rank on a sorted copy. */
export function percentileOf(v: Float32Array, p: number): number {
  if (v.length === 0) return 0;
  const s = Float32Array.from(v).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.round((p / 100) * (s.length - 1))))]!;
}

/** In place: clip to [lo, hi], then (x − offset)·scale. */
export function clipAffine(
  v: Float32Array,
  lo: number,
  hi: number,
  offset: number,
  scale: number,
): void {
  for (let i = 0; i < v.length; i++) v[i] = (Math.min(hi, Math.max(lo, v[i]!)) - offset) * scale;
}

/**
 * Per voxel over channels-first `[C, N]` scores: softmax (in place) or sigmoid (in place).
 */
export function applyActivation(
  scores: Float32Array,
  channels: number,
  n: number,
  kind: 'sigmoid' | 'softmax',
): void {
  if (kind === 'sigmoid') {
    for (let i = 0; i < scores.length; i++) scores[i] = 1 / (1 + Math.exp(-scores[i]!));
    return;
  }
  for (let p = 0; p < n; p++) {
    let max = -Infinity;
    for (let c = 0; c < channels; c++) max = Math.max(max, scores[c * n + p]!);
    let sum = 0;
    for (let c = 0; c < channels; c++) {
      const e = Math.exp(scores[c * n + p]! - max);
      scores[c * n + p] = e;
      sum += e;
    }
    for (let c = 0; c < channels; c++) scores[c * n + p] = scores[c * n + p]! / sum;
  }
}

/**
 * Labels from channels-first `[C, N]` scores: `argmax` gives the channel index; `threshold`
 * gives 1 + the channel of the highest score when it exceeds `threshold`, else 0.
 */
export function decideLabels(
  scores: Float32Array,
  channels: number,
  n: number,
  decision: 'argmax' | 'threshold',
  threshold: number,
): Uint8Array {
  const out = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    let best = 0;
    let bestV = scores[p]!;
    for (let c = 1; c < channels; c++) {
      const v = scores[c * n + p]!;
      if (v > bestV) {
        bestV = v;
        best = c;
      }
    }
    out[p] = decision === 'argmax' ? best : bestV > threshold ? best + 1 : 0;
  }
  return out;
}

/** RGB interleaved → grey (mean of the channels); grey is copied to float. */
export function toGrey(data: ArrayLike<number>, pixels: number, samples: number): Float32Array {
  const out = new Float32Array(pixels);
  if (samples === 1) {
    for (let i = 0; i < pixels; i++) out[i] = data[i]!;
    return out;
  }
  for (let i = 0; i < pixels; i++) {
    let s = 0;
    for (let c = 0; c < samples; c++) s += data[i * samples + c]!;
    out[i] = s / samples;
  }
  return out;
}
