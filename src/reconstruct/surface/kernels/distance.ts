/**
 * Nearest-distance queries between points and triangles through uniform hash grids. Used to
 * measure how far a mesh is from a densely sampled reference surface (Hausdorff distance).
 */

/** A uniform grid over a bounding box; each cell lists the items whose box touches it. */
interface Grid {
  readonly min: [number, number, number];
  readonly cell: number;
  readonly dims: [number, number, number];
  readonly start: Int32Array;
  readonly items: Int32Array;
}

function buildGrid(
  count: number,
  boxOf: (n: number, out: Float64Array) => void,
  cell: number,
): Grid {
  const box = new Float64Array(6);
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let n = 0; n < count; n++) {
    boxOf(n, box);
    for (let d = 0; d < 3; d++) {
      min[d] = Math.min(min[d]!, box[d]!);
      max[d] = Math.max(max[d]!, box[d + 3]!);
    }
  }
  const dims: [number, number, number] = [0, 1, 2].map((d) =>
    Math.max(1, Math.ceil((max[d]! - min[d]!) / cell) + 1),
  ) as [number, number, number];
  const cellRange = (n: number): number[] => {
    boxOf(n, box);
    const r: number[] = [];
    for (let d = 0; d < 3; d++) {
      r.push(Math.floor((box[d]! - min[d]!) / cell), Math.floor((box[d + 3]! - min[d]!) / cell));
    }
    return r;
  };
  const counts = new Int32Array(dims[0] * dims[1] * dims[2] + 1);
  const forCells = (n: number, f: (c: number) => void): void => {
    const [i0, i1, j0, j1, k0, k1] = cellRange(n) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    for (let k = k0; k <= k1; k++)
      for (let j = j0; j <= j1; j++)
        for (let i = i0; i <= i1; i++) f(i + dims[0] * (j + dims[1] * k));
  };
  for (let n = 0; n < count; n++) forCells(n, (c) => counts[c + 1]!++);
  for (let c = 0; c + 1 < counts.length; c++) counts[c + 1]! += counts[c]!;
  const fill = counts.slice();
  const items = new Int32Array(counts[counts.length - 1]!);
  for (let n = 0; n < count; n++) forCells(n, (c) => (items[fill[c]!++] = n));
  return { min, cell, dims, start: counts, items };
}

/**
 * Smallest `dist2(item)` (a squared distance) over items near `(x, y, z)`, searching rings of cells outwards until the
 * best distance is certainly found.
 */
function nearest(grid: Grid, x: number, y: number, z: number, dist: (n: number) => number): number {
  const { min, cell, dims, start, items } = grid;
  const ci = Math.floor((x - min[0]) / cell);
  const cj = Math.floor((y - min[1]) / cell);
  const ck = Math.floor((z - min[2]) / cell);
  let best = Infinity;
  const maxR = Math.max(dims[0], dims[1], dims[2]) + Math.abs(ci) + Math.abs(cj) + Math.abs(ck);
  for (let r = 0; r <= maxR; r++) {
    for (let k = ck - r; k <= ck + r; k++) {
      if (k < 0 || k >= dims[2]) continue;
      for (let j = cj - r; j <= cj + r; j++) {
        if (j < 0 || j >= dims[1]) continue;
        for (let i = ci - r; i <= ci + r; i++) {
          if (i < 0 || i >= dims[0]) continue;
          // Only the shell of the ring: inner cells were searched before.
          if (r > 0 && Math.abs(i - ci) !== r && Math.abs(j - cj) !== r && Math.abs(k - ck) !== r)
            continue;
          const c = i + dims[0] * (j + dims[1] * k);
          for (let q = start[c]!; q < start[c + 1]!; q++) {
            const d = dist(items[q]!);
            if (d < best) best = d;
          }
        }
      }
    }
    // Everything not yet searched is at least r cells away.
    if (best <= r * r * cell * cell) break;
  }
  return best;
}

/**
 * Squared distance from `p` to triangle `(a, b, c)`, read from `t[o..o + 8]` (Ericson,
 * Real-Time Collision Detection, 5.1.5: closest point by Voronoi regions).
 */
export function pointTriangleDistance2(
  px: number,
  py: number,
  pz: number,
  t: Float64Array,
  o: number,
): number {
  const ax = t[o]!,
    ay = t[o + 1]!,
    az = t[o + 2]!;
  const abx = t[o + 3]! - ax,
    aby = t[o + 4]! - ay,
    abz = t[o + 5]! - az;
  const acx = t[o + 6]! - ax,
    acy = t[o + 7]! - ay,
    acz = t[o + 8]! - az;
  const apx = px - ax,
    apy = py - ay,
    apz = pz - az;
  const d1 = abx * apx + aby * apy + abz * apz;
  const d2 = acx * apx + acy * apy + acz * apz;
  let v: number;
  let w: number;
  if (d1 <= 0 && d2 <= 0) {
    v = 0;
    w = 0;
  } else {
    const bpx = apx - abx,
      bpy = apy - aby,
      bpz = apz - abz;
    const d3 = abx * bpx + aby * bpy + abz * bpz;
    const d4 = acx * bpx + acy * bpy + acz * bpz;
    const cpx = apx - acx,
      cpy = apy - acy,
      cpz = apz - acz;
    const d5 = abx * cpx + aby * cpy + abz * cpz;
    const d6 = acx * cpx + acy * cpy + acz * cpz;
    const vc = d1 * d4 - d3 * d2;
    const vb = d5 * d2 - d1 * d6;
    const va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) {
      v = 1;
      w = 0;
    } else if (vc <= 0 && d1 >= 0 && d3 <= 0) {
      v = d1 / (d1 - d3);
      w = 0;
    } else if (d6 >= 0 && d5 <= d6) {
      v = 0;
      w = 1;
    } else if (vb <= 0 && d2 >= 0 && d6 <= 0) {
      v = 0;
      w = d2 / (d2 - d6);
    } else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      w = (d4 - d3) / (d4 - d3 + (d5 - d6));
      v = 1 - w;
    } else {
      const denom = 1 / (va + vb + vc);
      v = vb * denom;
      w = vc * denom;
    }
  }
  const dx = apx - abx * v - acx * w;
  const dy = apy - aby * v - acy * w;
  const dz = apz - abz * v - acz * w;
  return dx * dx + dy * dy + dz * dz;
}

/**
 * For every query point, the distance to the nearest of `targets` (xyz interleaved).
 *
 * @param cell - Grid cell size, mm: about the expected distance or the point spacing.
 */
export function pointToPointDistances(
  queries: ArrayLike<number>,
  targets: ArrayLike<number>,
  cell: number,
): Float64Array {
  const grid = buildGrid(
    targets.length / 3,
    (n, out) => {
      for (let d = 0; d < 3; d++) out[d] = out[d + 3] = targets[3 * n + d]!;
    },
    cell,
  );
  const out = new Float64Array(queries.length / 3);
  for (let q = 0; q < out.length; q++) {
    const x = queries[3 * q]!,
      y = queries[3 * q + 1]!,
      z = queries[3 * q + 2]!;
    out[q] = Math.sqrt(
      nearest(grid, x, y, z, (n) => {
        const dx = targets[3 * n]! - x,
          dy = targets[3 * n + 1]! - y,
          dz = targets[3 * n + 2]! - z;
        return dx * dx + dy * dy + dz * dz;
      }),
    );
  }
  return out;
}

/** For every query point, the distance to the nearest triangle of a mesh. */
export function pointToMeshDistances(
  queries: ArrayLike<number>,
  points: ArrayLike<number>,
  triangles: Uint32Array,
  cell: number,
): Float64Array {
  // Triangle corners gathered once: nine coordinates per triangle.
  const tri = new Float64Array(3 * triangles.length);
  for (let t = 0; t < triangles.length; t++) {
    const p = 3 * triangles[t]!;
    tri[3 * t] = points[p]!;
    tri[3 * t + 1] = points[p + 1]!;
    tri[3 * t + 2] = points[p + 2]!;
  }
  const grid = buildGrid(
    triangles.length / 3,
    (n, out) => {
      const o = 9 * n;
      for (let d = 0; d < 3; d++) {
        out[d] = Math.min(tri[o + d]!, tri[o + d + 3]!, tri[o + d + 6]!);
        out[d + 3] = Math.max(tri[o + d]!, tri[o + d + 3]!, tri[o + d + 6]!);
      }
    },
    cell,
  );
  const out = new Float64Array(queries.length / 3);
  for (let q = 0; q < out.length; q++) {
    const x = queries[3 * q]!,
      y = queries[3 * q + 1]!,
      z = queries[3 * q + 2]!;
    out[q] = Math.sqrt(nearest(grid, x, y, z, (n) => pointTriangleDistance2(x, y, z, tri, 9 * n)));
  }
  return out;
}

/** `|sdf(p)|` for every point `p` (xyz interleaved). */
export function absoluteDistances(
  points: ArrayLike<number>,
  sdf: (x: number, y: number, z: number) => number,
): Float64Array {
  const out = new Float64Array(points.length / 3);
  for (let q = 0; q < out.length; q++) {
    out[q] = Math.abs(sdf(points[3 * q]!, points[3 * q + 1]!, points[3 * q + 2]!));
  }
  return out;
}
