import type { CompressedRows } from './mesh-topology.js';

/**
 * Chebyshev coefficients of the windowed-sinc low-pass filter of Taubin, Zhang and Golub (1996,
 * "Optimal surface smoothing as filter design", ECCV; IBM RC-20404): the ideal low-pass with
 * cut-off `kPb` on the Laplacian's spectrum `k ∈ [0, 2]`, expanded in Chebyshev polynomials
 * `T_i(1 − k/2)` and weighted by a Nuttall window (VTK 9.2 changed its default from Hamming to
 * Nuttall after the Hamming window was found to scale objects by up to 1 %). The window widens
 * the transition band, which would attenuate the low frequencies that carry the object's shape
 * (a sphere shrinks by percents); as in VTK, the cut-off is therefore shifted by `σ` so that the
 * gain at `kPb` is 1 within 1e-3 (bisection here, Newton in VTK). Finally the gain at `k = 0` is made exactly
 * 1 (`Σ c_i = 1`, since `T_i(1) = 1`), so that translations pass unchanged.
 */
export function windowedSincCoefficients(iterations: number, passBand: number): Float64Array {
  const n = iterations;
  const thetaPb = Math.acos(1 - 0.5 * passBand);
  const window = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const x = (i * Math.PI) / (n + 1);
    window[i] =
      0.355768 + 0.487396 * Math.cos(x) + 0.144232 * Math.cos(2 * x) + 0.012604 * Math.cos(3 * x);
  }
  const c = new Float64Array(n + 1);
  const fill = (sigma: number): void => {
    const theta = thetaPb + sigma;
    c[0] = (window[0]! * theta) / Math.PI;
    for (let i = 1; i <= n; i++) c[i] = (2 * window[i]! * Math.sin(i * theta)) / (i * Math.PI);
  };
  const gainAtPassBand = (): number => {
    let f = 0;
    for (let i = 0; i <= n; i++) f += c[i]! * Math.cos(i * thetaPb);
    return f;
  };
  // The windowed gain approaches 1 from below without reaching it: aim, as VTK does, for the
  // smallest shift that brings it within 1e-3 of 1 (a larger one would pass the staircase too).
  const target = 1 - 1e-3;
  let lo = 0;
  let hi = Math.PI - thetaPb;
  fill(0);
  if (n > 1 && gainAtPassBand() < target) {
    for (let it = 0; it < 60; it++) {
      const mid = 0.5 * (lo + hi);
      fill(mid);
      if (gainAtPassBand() < target) lo = mid;
      else hi = mid;
    }
    fill(hi);
  }
  let sum = 0;
  for (let i = 0; i <= n; i++) sum += c[i]!;
  for (let i = 0; i <= n; i++) c[i]! /= sum;
  return c;
}

/**
 * `out = (x + W x) / 2` or `out = x + W x − prev` for every vertex (xyz), `W` the average over the
 * vertex's neighbours; accumulates `c · out` into `acc`. Vertices with no neighbours keep `x`.
 */
function pass(
  x: Float64Array,
  prev: Float64Array | undefined,
  out: Float64Array,
  acc: Float64Array,
  c: number,
  start: Int32Array,
  items: Int32Array,
): void {
  const n = x.length / 3;
  for (let v = 0; v < n; v++) {
    const s = start[v]!;
    const e = start[v + 1]!;
    const o = 3 * v;
    const x0 = x[o]!;
    const x1 = x[o + 1]!;
    const x2 = x[o + 2]!;
    let m0 = x0;
    let m1 = x1;
    let m2 = x2;
    if (e > s) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      for (let q = s; q < e; q++) {
        const u = 3 * items[q]!;
        a0 += x[u]!;
        a1 += x[u + 1]!;
        a2 += x[u + 2]!;
      }
      const inv = 1 / (e - s);
      m0 = a0 * inv;
      m1 = a1 * inv;
      m2 = a2 * inv;
    }
    let t0: number;
    let t1: number;
    let t2: number;
    if (prev === undefined) {
      t0 = 0.5 * (x0 + m0);
      t1 = 0.5 * (x1 + m1);
      t2 = 0.5 * (x2 + m2);
    } else {
      t0 = x0 + m0 - prev[o]!;
      t1 = x1 + m1 - prev[o + 1]!;
      t2 = x2 + m2 - prev[o + 2]!;
    }
    out[o] = t0;
    out[o + 1] = t1;
    out[o + 2] = t2;
    acc[o] = acc[o]! + c * t0;
    acc[o + 1] = acc[o + 1]! + c * t1;
    acc[o + 2] = acc[o + 2]! + c * t2;
  }
}

/**
 * Applies the windowed-sinc filter to `points` (xyz, float32) and returns the result: the sum of
 * `c_i T_i(x)` with the Chebyshev recurrence `T_{i+1} = 2 (I − K/2) T_i − T_{i−1}`, `K = I − W`,
 * `W` the uniform average over each vertex's neighbours. Coordinates are filtered in float64
 * about their centroid (the filter is affine-invariant; centring keeps the sums small).
 */
export function windowedSinc(
  points: Float32Array,
  neighbours: CompressedRows,
  coefficients: Float64Array,
): Float32Array {
  const n = points.length / 3;
  let cx = 0;
  let cy = 0;
  let cz = 0;
  for (let v = 0; v < points.length; v += 3) {
    cx += points[v]!;
    cy += points[v + 1]!;
    cz += points[v + 2]!;
  }
  const centre = [cx / Math.max(n, 1), cy / Math.max(n, 1), cz / Math.max(n, 1)];
  let prev = new Float64Array(points.length); // T_0 x
  for (let q = 0; q < points.length; q++) prev[q] = points[q]! - centre[q % 3]!;
  let cur = new Float64Array(points.length);
  let next = new Float64Array(points.length);
  const acc = new Float64Array(points.length);
  const c0 = coefficients[0]!;
  for (let q = 0; q < acc.length; q++) acc[q] = c0 * prev[q]!;
  const { start, items } = neighbours;
  if (coefficients.length > 1) pass(prev, undefined, cur, acc, coefficients[1]!, start, items);
  for (let i = 2; i < coefficients.length; i++) {
    pass(cur, prev, next, acc, coefficients[i]!, start, items);
    [prev, cur, next] = [cur, next, prev];
  }
  const out = new Float32Array(points.length);
  for (let q = 0; q < out.length; q++) out[q] = acc[q]! + centre[q % 3]!;
  return out;
}
