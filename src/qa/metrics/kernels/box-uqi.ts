/**
 * Universal image quality index over B×B windows of each k-slice, from summed-area tables in
 * doubles (one table each for x, y, x², y², xy and the mask count).
 */

/** Sum of Q over counted windows, their number, and windows skipped for a zero denominator. */
export interface UqiSums {
  readonly sumQ: number;
  readonly windows: number;
  readonly skipped: number;
}

/**
 * Accumulates Q over every B×B window of every k-slice whose pixels are all inside `mask`.
 *
 * @remarks
 * Values enter the tables shifted by the slice mean (cx, cy), which leaves the variance and
 * covariance terms unchanged and keeps their differences of large sums accurate; the means are
 * restored from the shifted sums. A window is skipped as having a zero denominator when
 * Σx² + Σy² of the box is 0, or when its variance term N(Σx²+Σy²) − (Σx)² − (Σy)² is no larger
 * than the rounding error of the tables, N·64·ε·(shifted energy of the slice).
 */
export function uqiBoxSums(
  x: Float32Array,
  y: Float32Array,
  mask: Uint8Array,
  ni: number,
  nj: number,
  nk: number,
  block: number,
): UqiSums {
  const w = ni + 1;
  const size = w * (nj + 1);
  const px = new Float64Array(size);
  const py = new Float64Array(size);
  const pxx = new Float64Array(size);
  const pyy = new Float64Array(size);
  const pxy = new Float64Array(size);
  const pm = new Int32Array(size);
  const slice = ni * nj;
  const n = block * block;
  let sumQ = 0;
  let windows = 0;
  let skipped = 0;
  for (let k = 0; k < nk; k++) {
    const base = k * slice;
    let cx = 0;
    let cy = 0;
    for (let p = 0; p < slice; p++) {
      cx += x[base + p]!;
      cy += y[base + p]!;
    }
    cx /= slice;
    cy /= slice;
    for (let j = 0; j < nj; j++) {
      let rx = 0;
      let ry = 0;
      let rxx = 0;
      let ryy = 0;
      let rxy = 0;
      let rm = 0;
      const src = base + j * ni;
      const up = j * w + 1;
      const at = (j + 1) * w + 1;
      for (let i = 0; i < ni; i++) {
        const a = x[src + i]! - cx;
        const b = y[src + i]! - cy;
        rx += a;
        ry += b;
        rxx += a * a;
        ryy += b * b;
        rxy += a * b;
        rm += mask[src + i] === 0 ? 0 : 1;
        px[at + i] = px[up + i]! + rx;
        py[at + i] = py[up + i]! + ry;
        pxx[at + i] = pxx[up + i]! + rxx;
        pyy[at + i] = pyy[up + i]! + ryy;
        pxy[at + i] = pxy[up + i]! + rxy;
        pm[at + i] = pm[up + i]! + rm;
      }
    }
    const tolerance = n * 64 * Number.EPSILON * (pxx[size - 1]! + pyy[size - 1]!);
    for (let j0 = 0; j0 + block <= nj; j0++) {
      const top = j0 * w;
      const bottom = (j0 + block) * w;
      for (let i0 = 0; i0 + block <= ni; i0++) {
        const a = bottom + i0 + block;
        const b = top + i0 + block;
        const c = bottom + i0;
        const d = top + i0;
        if (pm[a]! - pm[b]! - pm[c]! + pm[d]! !== n) continue;
        const sx = px[a]! - px[b]! - px[c]! + px[d]!;
        const sy = py[a]! - py[b]! - py[c]! + py[d]!;
        const sxx = pxx[a]! - pxx[b]! - pxx[c]! + pxx[d]!;
        const syy = pyy[a]! - pyy[b]! - pyy[c]! + pyy[d]!;
        const sxy = pxy[a]! - pxy[b]! - pxy[c]! + pxy[d]!;
        const variance = n * (sxx + syy) - sx * sx - sy * sy;
        const mx = sx + n * cx;
        const my = sy + n * cy;
        const luminance = mx * mx + my * my;
        if (luminance === 0 || variance <= tolerance) {
          skipped++;
          continue;
        }
        sumQ += (4 * mx * my * (n * sxy - sx * sy)) / (variance * luminance);
        windows++;
      }
    }
  }
  return { sumQ, windows, skipped };
}
