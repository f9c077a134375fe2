// Exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012, "Distance Transforms of
// Sampled Functions", Theory of Computing 8:415–428): two passes of the 1-D lower envelope of
// parabolas, with anisotropic pixel spacing.

const INF = 1e20;

/** 1-D squared distance transform of `f` (length n, stride `stride` from `offset`) in place. */
function edt1d(
  grid: Float64Array,
  offset: number,
  stride: number,
  n: number,
  spacing: number,
  f: Float64Array,
  v: Int32Array,
  z: Float64Array,
): void {
  const s2 = spacing * spacing;
  for (let i = 0; i < n; i++) f[i] = grid[offset + i * stride]!;
  let k = 0;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  for (let q = 1; q < n; q++) {
    if (f[q]! >= INF) continue;
    for (;;) {
      const p = v[k]!;
      if (f[p]! >= INF) {
        // The envelope so far holds only an "infinite" parabola: replace it.
        v[k] = q;
        z[k] = -INF;
        z[k + 1] = INF;
        break;
      }
      const s = (f[q]! + s2 * q * q - (f[p]! + s2 * p * p)) / (2 * s2 * (q - p));
      if (s <= z[k]!) {
        if (k === 0) {
          v[0] = q;
          z[0] = -INF;
          z[1] = INF;
          break;
        }
        k--;
        continue;
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = INF;
      break;
    }
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const p = v[k]!;
    const d = q - p;
    grid[offset + q * stride] = f[p]! >= INF ? INF : s2 * d * d + f[p]!;
  }
}

/**
 * Squared Euclidean distance (in mm²) from every pixel to the nearest pixel where
 * `seeds[i] !== 0`, for a `height`×`width` row-major grid with row spacing `dy` and column
 * spacing `dx` (mm). Pixels with no seed anywhere get 1e20.
 */
export function squaredDistanceTransform(
  seeds: Uint8Array,
  width: number,
  height: number,
  dy: number,
  dx: number,
): Float64Array {
  const grid = new Float64Array(width * height);
  for (let i = 0; i < grid.length; i++) grid[i] = seeds[i] !== 0 ? 0 : INF;
  const n = Math.max(width, height);
  const f = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  for (let x = 0; x < width; x++) edt1d(grid, x, width, height, dy, f, v, z);
  for (let y = 0; y < height; y++) edt1d(grid, y * width, 1, width, dx, f, v, z);
  return grid;
}

/**
 * Boundary of a binary mask: mask pixels with at least one 4-neighbour outside the mask (pixels
 * on the image edge count as boundary).
 */
export function maskBoundary(mask: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (mask[i] === 0) continue;
      if (
        x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        mask[i - 1] === 0 ||
        mask[i + 1] === 0 ||
        mask[i - width] === 0 ||
        mask[i + width] === 0
      ) {
        out[i] = 1;
      }
    }
  }
  return out;
}
