/**
 * Single-purpose passes behind the standalone metrics (EFC sums, ghost-region sums, edge gradient
 * sums), and `seriesSums`, the fused pass computeSeriesMetrics makes instead of all of them.
 * The fused pass must agree with the single-purpose ones; the tests hold it to that.
 */
import type { Moments } from './moments.js';
import { dilateInPlane } from './morphology.js';

/** Σx², Σx and Σ x·ln(x + 1e-16) over all voxels, negative values taken as 0. */
export interface EfcSums {
  readonly count: number;
  readonly sumSquares: number;
  readonly sum: number;
  readonly sumXLogX: number;
}

/** EFC sums over every voxel. */
export function efcSums(data: Float32Array): EfcSums {
  let sumSquares = 0;
  let sum = 0;
  let sumXLogX = 0;
  const n = data.length;
  for (let v = 0; v < n; v++) {
    const x = data[v]!;
    if (x > 0) {
      sumSquares += x * x;
      sum += x;
      sumXLogX += x * Math.log(x + 1e-16);
    }
  }
  return { count: n, sumSquares, sum, sumXLogX };
}

/** Sums and counts in the ghost band and in the rest of the background. */
export interface GhostSums {
  readonly ghostSum: number;
  readonly ghostCount: number;
  readonly restSum: number;
  readonly restCount: number;
}

/** Rolls of the foreground by ⌊n/2⌋ along axis 0 (i) or 1 (j), cyclically, as `numpy.roll`. */
function rolledRowOffset(j: number, nj: number, shift: number): number {
  const r = j - shift;
  return r < 0 ? r + nj : r;
}

/**
 * Background voxels where the foreground rolled by ⌊n/2⌋ along `axis` is set (ghost) or not (rest).
 */
export function ghostSums(
  data: Float32Array,
  foreground: Uint8Array,
  background: Uint8Array,
  ni: number,
  nj: number,
  nk: number,
  axis: 0 | 1,
): GhostSums {
  let ghostSum = 0;
  let ghostCount = 0;
  let restSum = 0;
  let restCount = 0;
  const shiftI = axis === 0 ? ni >>> 1 : 0;
  const shiftJ = axis === 1 ? nj >>> 1 : 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      const row = (k * nj + j) * ni;
      const rolledRow = (k * nj + rolledRowOffset(j, nj, shiftJ)) * ni;
      let ii = ni - shiftI;
      if (ii === ni) ii = 0;
      for (let i = 0; i < ni; i++) {
        const v = row + i;
        if (background[v] !== 0) {
          if (foreground[rolledRow + ii] !== 0) {
            ghostSum += data[v]!;
            ghostCount++;
          } else {
            restSum += data[v]!;
            restCount++;
          }
        }
        if (++ii === ni) ii = 0;
      }
    }
  }
  return { ghostSum, ghostCount, restSum, restCount };
}

/** Sums over the edge band: squared central differences and foreground neighbours, per axis. */
export interface EdgeSums {
  /** Pixels in the band. */
  readonly count: number;
  readonly sumDi2: number;
  readonly sumDj2: number;
  /** Σ over the band of the number of the pixel's two i-neighbours (x[i±1]) in the foreground. */
  readonly foregroundNeighboursI: number;
  /** Likewise for the j-neighbours. */
  readonly foregroundNeighboursJ: number;
}

/**
 * The edge band: pixels within `halfWidth` (square, in-plane) of a boundary pixel — a foreground
 * pixel with a 4-neighbour in its slice outside the foreground — minus the slice borders, where
 * central differences need pixels outside the slice.
 */
export function edgeBand(
  foreground: Uint8Array,
  ni: number,
  nj: number,
  nk: number,
  halfWidth: number,
): Uint8Array {
  const boundary = new Uint8Array(foreground.length);
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      const row = (k * nj + j) * ni;
      for (let i = 0; i < ni; i++) {
        const v = row + i;
        if (foreground[v] === 0) continue;
        if (
          (i > 0 && foreground[v - 1] === 0) ||
          (i < ni - 1 && foreground[v + 1] === 0) ||
          (j > 0 && foreground[v - ni] === 0) ||
          (j < nj - 1 && foreground[v + ni] === 0)
        ) {
          boundary[v] = 1;
        }
      }
    }
  }
  const band = dilateInPlane(boundary, ni, nj, nk, halfWidth);
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      const row = (k * nj + j) * ni;
      if (j === 0 || j === nj - 1) band.fill(0, row, row + ni);
      band[row] = 0;
      band[row + ni - 1] = 0;
    }
  }
  return band;
}

/** Edge-band sums; d_i = (x[i+1] − x[i−1]) / 2 and likewise d_j. */
export function edgeSums(
  data: Float32Array,
  foreground: Uint8Array,
  band: Uint8Array,
  ni: number,
): EdgeSums {
  let count = 0;
  let sumDi2 = 0;
  let sumDj2 = 0;
  let fi = 0;
  let fj = 0;
  const n = data.length;
  for (let v = 0; v < n; v++) {
    if (band[v] === 0) continue;
    const di = 0.5 * (data[v + 1]! - data[v - 1]!);
    const dj = 0.5 * (data[v + ni]! - data[v - ni]!);
    count++;
    sumDi2 += di * di;
    sumDj2 += dj * dj;
    fi += foreground[v + 1]! + foreground[v - 1]!;
    fj += foreground[v + ni]! + foreground[v - ni]!;
  }
  return { count, sumDi2, sumDj2, foregroundNeighboursI: fi, foregroundNeighboursJ: fj };
}

/** Everything computeSeriesMetrics needs from the voxels, from one pass. */
export interface SeriesSums {
  readonly foreground: Moments;
  readonly background: Moments;
  readonly foregroundMin: number;
  readonly foregroundMax: number;
  readonly efc: EfcSums;
  readonly ghost: GhostSums;
  readonly edges: EdgeSums;
  /** |x| of the foreground voxels, in memory order, `foreground.count` of them. */
  readonly foregroundAbs: Float32Array;
  /** |x| of the background voxels, `background.count` of them. */
  readonly backgroundAbs: Float32Array;
}

/**
 * The fused pass: foreground and background moments (each shifted by its first voxel), EFC sums,
 * ghost sums, edge-band sums (`band` from {@link edgeBand}) and the |x| lists for the medians.
 * `foregroundCount` and `backgroundCount` size the |x| lists and must be exact.
 */
export function seriesSums(
  data: Float32Array,
  foreground: Uint8Array,
  background: Uint8Array,
  ni: number,
  nj: number,
  nk: number,
  axis: 0 | 1,
  band: Uint8Array,
  foregroundCount: number,
  backgroundCount: number,
): SeriesSums {
  const foregroundAbs = new Float32Array(foregroundCount);
  const backgroundAbs = new Float32Array(backgroundCount);
  const n = data.length;
  let fShift = 0;
  let bShift = 0;
  let v0 = 0;
  while (v0 < n && foreground[v0] === 0) v0++;
  if (v0 < n) fShift = data[v0]!;
  v0 = 0;
  while (v0 < n && background[v0] === 0) v0++;
  if (v0 < n) bShift = data[v0]!;
  let fCount = 0;
  let fSum = 0;
  let fSq = 0;
  let fMin = Infinity;
  let fMax = -Infinity;
  let bCount = 0;
  let bSum = 0;
  let bSq = 0;
  let eSq = 0;
  let eSum = 0;
  let eLog = 0;
  let ghostSum = 0;
  let ghostCount = 0;
  let restSum = 0;
  let restCount = 0;
  let edgeCount = 0;
  let sumDi2 = 0;
  let sumDj2 = 0;
  let fi = 0;
  let fj = 0;
  const shiftI = axis === 0 ? ni >>> 1 : 0;
  const shiftJ = axis === 1 ? nj >>> 1 : 0;
  for (let k = 0; k < nk; k++) {
    for (let j = 0; j < nj; j++) {
      const row = (k * nj + j) * ni;
      const rolledRow = (k * nj + rolledRowOffset(j, nj, shiftJ)) * ni;
      let ii = ni - shiftI;
      if (ii === ni) ii = 0;
      for (let i = 0; i < ni; i++) {
        const v = row + i;
        const x = data[v]!;
        if (x > 0) {
          eSq += x * x;
          eSum += x;
          eLog += x * Math.log(x + 1e-16);
        }
        if (band[v] !== 0) {
          const di = 0.5 * (data[v + 1]! - data[v - 1]!);
          const dj = 0.5 * (data[v + ni]! - data[v - ni]!);
          edgeCount++;
          sumDi2 += di * di;
          sumDj2 += dj * dj;
          fi += foreground[v + 1]! + foreground[v - 1]!;
          fj += foreground[v + ni]! + foreground[v - ni]!;
        }
        if (foreground[v] !== 0) {
          const d = x - fShift;
          foregroundAbs[fCount] = Math.abs(x);
          fCount++;
          fSum += d;
          fSq += d * d;
          if (x < fMin) fMin = x;
          if (x > fMax) fMax = x;
        } else if (background[v] !== 0) {
          const d = x - bShift;
          backgroundAbs[bCount] = Math.abs(x);
          bCount++;
          bSum += d;
          bSq += d * d;
          if (foreground[rolledRow + ii] !== 0) {
            ghostSum += x;
            ghostCount++;
          } else {
            restSum += x;
            restCount++;
          }
        }
        if (++ii === ni) ii = 0;
      }
    }
  }
  return {
    foreground: { count: fCount, sum: fSum, sumSquares: fSq, shift: fShift },
    background: { count: bCount, sum: bSum, sumSquares: bSq, shift: bShift },
    foregroundMin: fMin,
    foregroundMax: fMax,
    efc: { count: n, sumSquares: eSq, sum: eSum, sumXLogX: eLog },
    ghost: { ghostSum, ghostCount, restSum, restCount },
    edges: {
      count: edgeCount,
      sumDi2,
      sumDj2,
      foregroundNeighboursI: fi,
      foregroundNeighboursJ: fj,
    },
    foregroundAbs,
    backgroundAbs,
  };
}
