import {
  buildMarchingCubesTable,
  CENTRE_EDGE,
  EDGE_CORNERS,
  FACES,
} from './marching-cubes-table.js';
import type { MarchingCubesTable } from './marching-cubes-table.js';

let cachedTable: MarchingCubesTable | undefined;

/** The shared case table, built once (about 2 ms). */
export function marchingCubesTable(): MarchingCubesTable {
  cachedTable ??= buildMarchingCubesTable();
  return cachedTable;
}

/** Vertices in voxel-index coordinates and triangles, as the kernel returns them. */
export interface IndexSpaceSurface {
  /** xyz interleaved, in voxel-index units of the field. */
  readonly points: Float32Array;
  /** Three vertex indices per triangle, counter-clockwise seen from the low-value side. */
  readonly triangles: Uint32Array;
}

// Per edge: which cache plane holds its vertex (0/1: x edges in the bottom/top plane, 2/3: y edges
// bottom/top, 4: z edges of the slab), and its (di, dj) offset from the cube's (i, j).
const EDGE_CACHE = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 4];
const EDGE_DI = [0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1];
const EDGE_DJ = [0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1];
const EDGE_AXIS = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];

/**
 * Marching cubes over a scalar field with an edge-indexed vertex cache: each crossed grid edge
 * gets exactly one vertex, so the output has no duplicate vertices and closed surfaces are
 * watertight. A voxel is inside when its value is `>= iso`; triangles are counter-clockwise seen
 * from outside (from lower values), i.e. normals point down the gradient. Ambiguous faces are
 * decided by the asymptotic decider (Nielsen and Hamann 1991): join the inside corners when the
 * bilinear saddle is inside, i.e. when the product of the inside pair (`v - iso`) is at least the
 * product of the outside pair.
 *
 * Rows whose four surrounding grid rows are all inside or all outside are skipped whole.
 *
 * @param field - Values, i fastest (`i + j*ni + k*ni*nj`).
 */
export function marchingCubes(
  field: Float32Array,
  ni: number,
  nj: number,
  nk: number,
  iso: number,
): IndexSpaceSurface {
  const table = marchingCubesTable();
  const { ambiguous, offsets, edges, centreLoop } = table;
  const plane = ni * nj;
  // Vertex caches: five planes of ni*nj slots (x bottom, x top, y bottom, y top, z). Instead of
  // clearing them for every slab, a slot counts only when its vertex id is recent enough: ids
  // grow, so vertices made before the current slab (z and top caches) or before the previous one
  // (bottom caches, filled as the previous slab's top) are stale.
  const cache = new Int32Array(5 * plane).fill(-1);
  const base = [0, plane, 2 * plane, 3 * plane, 4 * plane];
  // Inside flags of the two grid planes of the slab, and per-row state (0 none, 2 all, 1 mixed).
  let inLo = new Uint8Array(plane);
  let inHi = new Uint8Array(plane);
  let rowLo = new Uint8Array(nj);
  let rowHi = new Uint8Array(nj);
  // First and last inside voxel of each row (ni and -1 when none): cubes outside the union of
  // the four rows' spans are empty and are not visited.
  let firstLo = new Int32Array(nj).fill(ni);
  let firstHi = new Int32Array(nj).fill(ni);
  let lastLo = new Int32Array(nj).fill(-1);
  let lastHi = new Int32Array(nj).fill(-1);
  const flagPlane = (
    k: number,
    flags: Uint8Array,
    rows: Uint8Array,
    first: Int32Array,
    last: Int32Array,
  ): void => {
    const off = k * plane;
    for (let j = 0; j < nj; j++) {
      const r = j * ni;
      const o = off + r;
      // Flags are only ever set within a row's span: clear the span the buffer held before.
      for (let i = first[j]!; i <= last[j]!; i++) flags[r + i] = 0;
      // Tight scans from both ends (most rows are empty): the span of inside voxels.
      let lo = 0;
      while (lo < ni && !(field[o + lo]! >= iso)) lo++;
      let hi = ni - 1;
      if (lo === ni) {
        hi = -1;
        rows[j] = 0;
      } else {
        while (!(field[o + hi]! >= iso)) hi--;
        let all = lo === 0 && hi === ni - 1;
        for (let i = lo; i <= hi; i++) {
          const f = field[o + i]! >= iso ? 1 : 0;
          flags[r + i] = f;
          if (f === 0) all = false;
        }
        rows[j] = all ? 2 : 1;
      }
      first[j] = lo;
      last[j] = hi;
    }
  };

  let pts = new Float32Array(3 * 4096);
  let nPts = 0;
  let tris = new Uint32Array(3 * 8192);
  let nTri = 0;
  const v = new Float64Array(8);
  const vid = new Int32Array(13);
  const cornerOffset = [0, 1, ni, ni + 1, plane, plane + 1, plane + ni, plane + ni + 1];

  if (nk < 2 || nj < 2 || ni < 2)
    return { points: new Float32Array(0), triangles: new Uint32Array(0) };
  flagPlane(0, inLo, rowLo, firstLo, lastLo);
  let prevSlabStart = 0;
  for (let k = 0; k + 1 < nk; k++) {
    flagPlane(k + 1, inHi, rowHi, firstHi, lastHi);
    const slabStart = nPts;
    for (let j = 0; j + 1 < nj; j++) {
      const s0 = rowLo[j]!;
      if (s0 !== 1 && s0 === rowLo[j + 1] && s0 === rowHi[j] && s0 === rowHi[j + 1]) continue;
      const r0 = j * ni;
      const r1 = r0 + ni;
      const from = Math.max(
        0,
        Math.min(firstLo[j]!, firstLo[j + 1]!, firstHi[j]!, firstHi[j + 1]!) - 1,
      );
      const to = Math.min(ni - 2, Math.max(lastLo[j]!, lastLo[j + 1]!, lastHi[j]!, lastHi[j + 1]!));
      for (let i = from; i <= to; i++) {
        const cubeCase =
          inLo[r0 + i]! |
          (inLo[r0 + i + 1]! << 1) |
          (inLo[r1 + i]! << 2) |
          (inLo[r1 + i + 1]! << 3) |
          (inHi[r0 + i]! << 4) |
          (inHi[r0 + i + 1]! << 5) |
          (inHi[r1 + i]! << 6) |
          (inHi[r1 + i + 1]! << 7);
        if (cubeCase === 0 || cubeCase === 255) continue;
        const g = k * plane + r0 + i;
        for (let c = 0; c < 8; c++) v[c] = field[g + cornerOffset[c]!]! - iso;
        let bits = 0;
        const amb = ambiguous[cubeCase]!;
        if (amb !== 0) {
          for (let f = 0; f < 6; f++) {
            if (((amb >> f) & 1) === 0) continue;
            const q = FACES[f]!.corners;
            const a = v[q[0]]! * v[q[2]]!;
            const b = v[q[1]]! * v[q[3]]!;
            // The inside pair is the one with non-negative values.
            const insideIsA = v[q[0]]! >= 0;
            if (insideIsA ? a >= b : b >= a) bits |= 1 << f;
          }
        }
        const config = cubeCase * 64 + bits;
        const start = offsets[config]!;
        const end = offsets[config + 1]!;
        vid.fill(-1);
        for (let t = start; t < end; t++) {
          const e = edges[t]!;
          if (vid[e] !== -1 || e === CENTRE_EDGE) continue;
          const slot = base[EDGE_CACHE[e]!]! + (j + EDGE_DJ[e]!) * ni + i + EDGE_DI[e]!;
          let id = cache[slot]!;
          const kind = EDGE_CACHE[e]!;
          if (id < (kind === 0 || kind === 2 ? prevSlabStart : slabStart)) {
            const [ca, cb] = EDGE_CORNERS[e]!;
            const va = v[ca]!;
            const tt = va / (va - v[cb]!);
            if (3 * nPts + 3 > pts.length) {
              const grown = new Float32Array(pts.length * 2);
              grown.set(pts);
              pts = grown;
            }
            const p = 3 * nPts;
            pts[p] = i + (ca & 1);
            pts[p + 1] = j + ((ca >> 1) & 1);
            pts[p + 2] = k + ((ca >> 2) & 1);
            const axis = p + EDGE_AXIS[e]!;
            pts[axis] = pts[axis]! + tt;
            id = nPts++;
            cache[slot] = id;
          }
          vid[e] = id;
        }
        const loop = centreLoop[config]!;
        if (loop !== 0) {
          // The centre vertex of an ambiguous loop: the mean of its edge points (cube-local).
          if (3 * nPts + 3 > pts.length) {
            const grown = new Float32Array(pts.length * 2);
            grown.set(pts);
            pts = grown;
          }
          let cx = 0;
          let cy = 0;
          let cz = 0;
          let n = 0;
          for (let e = 0; e < 12; e++) {
            if (((loop >> e) & 1) === 0) continue;
            const p = 3 * vid[e]!;
            cx += pts[p]!;
            cy += pts[p + 1]!;
            cz += pts[p + 2]!;
            n++;
          }
          const p = 3 * nPts;
          pts[p] = cx / n;
          pts[p + 1] = cy / n;
          pts[p + 2] = cz / n;
          vid[CENTRE_EDGE] = nPts++;
        }
        if (3 * nTri + (end - start) > tris.length) {
          const grown = new Uint32Array(tris.length * 2 + (end - start));
          grown.set(tris);
          tris = grown;
        }
        for (let t = start; t < end; t++) tris[3 * nTri + (t - start)] = vid[edges[t]!]!;
        nTri += (end - start) / 3;
      }
    }
    // The top plane becomes the bottom one: swap flags and x/y vertex caches.
    [inLo, inHi] = [inHi, inLo];
    [rowLo, rowHi] = [rowHi, rowLo];
    [firstLo, firstHi] = [firstHi, firstLo];
    [lastLo, lastHi] = [lastHi, lastLo];
    [base[0], base[1]] = [base[1]!, base[0]!];
    [base[2], base[3]] = [base[3]!, base[2]!];
    prevSlabStart = slabStart;
  }
  return { points: pts.slice(0, 3 * nPts), triangles: tris.slice(0, 3 * nTri) };
}
