/**
 * Per-cell geometry of linear hexahedra and wedges: corner scaled Jacobians, edge ratio and exact
 * volume. Cells are passed as a scratch array of corner coordinates (xyz interleaved, 8 corners
 * for a hexahedron, 6 for a wedge) so the smoothing kernel can test a moved node without copying
 * the mesh.
 *
 * Scaled Jacobian: at each corner, the determinant of the three edge vectors leaving it, in the
 * right-handed order, divided by the product of their lengths (Knupp 2000, "Achieving finite
 * element mesh quality via optimization of the Jacobian matrix norm and associated quantities",
 * IJNME 48:1165; the corner-based form of the Verdict library, Stimpson et al. 2007). 1 for a
 * cube, 0 for a degenerate corner, negative for an inverted one.
 */

/** For each hexahedron corner, its three neighbours in right-handed order (VTK node order). */
// prettier-ignore
const HEX_CORNER_EDGES = new Int8Array([
  1, 3, 4, 2, 0, 5, 3, 1, 6, 0, 2, 7, 7, 5, 0, 4, 6, 1, 5, 7, 2, 6, 4, 3,
]);

/** For each wedge corner (Abaqus C3D6 order), its three neighbours in right-handed order. */
// prettier-ignore
const WEDGE_CORNER_EDGES = new Int8Array([1, 2, 3, 2, 0, 4, 0, 1, 5, 5, 4, 0, 3, 5, 1, 4, 3, 2]);

// prettier-ignore
const HEX_EDGES = new Int8Array([0, 1, 1, 2, 2, 3, 3, 0, 4, 5, 5, 6, 6, 7, 7, 4, 0, 4, 1, 5, 2, 6, 3, 7]);
// prettier-ignore
const WEDGE_EDGES = new Int8Array([0, 1, 1, 2, 2, 0, 3, 4, 4, 5, 5, 3, 0, 3, 1, 4, 2, 5]);

/** An equilateral wedge corner has det / (|a||b||c|) = sin 60°; Verdict rescales it to 1. */
const WEDGE_SCALE = 2 / Math.sqrt(3);

function minCornerJacobian(x: Float64Array, table: Int8Array, corners: number): number {
  let min = Infinity;
  for (let c = 0; c < corners; c++) {
    const o = 3 * c;
    const a = 3 * table[3 * c]!;
    const b = 3 * table[3 * c + 1]!;
    const d = 3 * table[3 * c + 2]!;
    const ax = x[a]! - x[o]!;
    const ay = x[a + 1]! - x[o + 1]!;
    const az = x[a + 2]! - x[o + 2]!;
    const bx = x[b]! - x[o]!;
    const by = x[b + 1]! - x[o + 1]!;
    const bz = x[b + 2]! - x[o + 2]!;
    const cx = x[d]! - x[o]!;
    const cy = x[d + 1]! - x[o + 1]!;
    const cz = x[d + 2]! - x[o + 2]!;
    const det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
    const norm = Math.sqrt(
      (ax * ax + ay * ay + az * az) * (bx * bx + by * by + bz * bz) * (cx * cx + cy * cy + cz * cz),
    );
    const sj = norm > 0 ? det / norm : -1;
    if (sj < min) min = sj;
  }
  return min;
}

/** Minimum corner scaled Jacobian of a hexahedron whose 8 corners are in `x` (24 numbers). */
export function hexMinScaledJacobian(x: Float64Array): number {
  return minCornerJacobian(x, HEX_CORNER_EDGES, 8);
}

/**
 * Minimum corner scaled Jacobian of a wedge whose 6 corners are in `x` (18 numbers), scaled by
 * 2/√3 so an equilateral prism scores 1 (as Verdict does), and capped at 1.
 */
export function wedgeMinScaledJacobian(x: Float64Array): number {
  return Math.min(1, WEDGE_SCALE * minCornerJacobian(x, WEDGE_CORNER_EDGES, 6));
}

function edgeRatio(x: Float64Array, edges: Int8Array): number {
  let lo = Infinity;
  let hi = 0;
  for (let e = 0; e < edges.length; e += 2) {
    const a = 3 * edges[e]!;
    const b = 3 * edges[e + 1]!;
    const dx = x[a]! - x[b]!;
    const dy = x[a + 1]! - x[b + 1]!;
    const dz = x[a + 2]! - x[b + 2]!;
    const l2 = dx * dx + dy * dy + dz * dz;
    if (l2 < lo) lo = l2;
    if (l2 > hi) hi = l2;
  }
  return lo > 0 ? Math.sqrt(hi / lo) : Infinity;
}

/** Longest over shortest edge of a hexahedron (Verdict's edge ratio; 1 for a cube). */
export function hexEdgeRatio(x: Float64Array): number {
  return edgeRatio(x, HEX_EDGES);
}

/** Longest over shortest edge of a wedge. */
export function wedgeEdgeRatio(x: Float64Array): number {
  return edgeRatio(x, WEDGE_EDGES);
}

// Natural coordinates of the hexahedron's corners (VTK order).
const HR = new Int8Array([-1, 1, 1, -1, -1, 1, 1, -1]);
const HS = new Int8Array([-1, -1, 1, 1, -1, -1, 1, 1]);
const HT = new Int8Array([-1, -1, -1, -1, 1, 1, 1, 1]);
const GAUSS = 1 / Math.sqrt(3);

const coefficients = new Float64Array(21);

/**
 * Volume of a trilinear hexahedron, in mm³: ∫ det J over the reference cube by 2×2×2 Gauss
 * quadrature, which is exact because det J has degree ≤ 2 in each natural coordinate. The map is
 * first written as `x = a0 + a1·r + a2·s + a3·t + a4·rs + a5·rt + a6·st + a7·rst` so each Gauss
 * point costs a handful of multiplications.
 */
export function hexVolume(x: Float64Array): number {
  const a = coefficients;
  a.fill(0);
  for (let n = 0; n < 8; n++) {
    const r = HR[n]!;
    const s = HS[n]!;
    const t = HT[n]!;
    const rs = r * s;
    const rt = r * t;
    const st = s * t;
    const rst = rs * t;
    for (let c = 0; c < 3; c++) {
      const v = x[3 * n + c]! / 8;
      a[c] = a[c]! + r * v; // a1
      a[3 + c] = a[3 + c]! + s * v; // a2
      a[6 + c] = a[6 + c]! + t * v; // a3
      a[9 + c] = a[9 + c]! + rs * v; // a4
      a[12 + c] = a[12 + c]! + rt * v; // a5
      a[15 + c] = a[15 + c]! + st * v; // a6
      a[18 + c] = a[18 + c]! + rst * v; // a7
    }
  }
  let volume = 0;
  for (let g = 0; g < 8; g++) {
    const r = (g & 1 ? 1 : -1) * GAUSS;
    const s = (g & 2 ? 1 : -1) * GAUSS;
    const t = (g & 4 ? 1 : -1) * GAUSS;
    const st = s * t;
    const rt = r * t;
    const rs = r * s;
    const j00 = a[0]! + a[9]! * s + a[12]! * t + a[18]! * st;
    const j10 = a[1]! + a[10]! * s + a[13]! * t + a[19]! * st;
    const j20 = a[2]! + a[11]! * s + a[14]! * t + a[20]! * st;
    const j01 = a[3]! + a[9]! * r + a[15]! * t + a[18]! * rt;
    const j11 = a[4]! + a[10]! * r + a[16]! * t + a[19]! * rt;
    const j21 = a[5]! + a[11]! * r + a[17]! * t + a[20]! * rt;
    const j02 = a[6]! + a[12]! * r + a[15]! * s + a[18]! * rs;
    const j12 = a[7]! + a[13]! * r + a[16]! * s + a[19]! * rs;
    const j22 = a[8]! + a[14]! * r + a[17]! * s + a[20]! * rs;
    volume +=
      j00 * (j11 * j22 - j12 * j21) - j01 * (j10 * j22 - j12 * j20) + j02 * (j10 * j21 - j11 * j20);
  }
  return volume;
}

/**
 * Whether the corners of a hexahedron that involve corner `corner` (the corner itself and its
 * three edge neighbours) all have a scaled Jacobian of at least `guard` (\> 0): the test after
 * moving one node, at half the cost of {@link hexMinScaledJacobian} and without square roots.
 */
export function hexCornersKeep(x: Float64Array, corner: number, guard: number): boolean {
  const g2 = guard * guard;
  for (let k = -1; k < 3; k++) {
    const c = k < 0 ? corner : HEX_CORNER_EDGES[3 * corner + k]!;
    const o = 3 * c;
    const a = 3 * HEX_CORNER_EDGES[3 * c]!;
    const b = 3 * HEX_CORNER_EDGES[3 * c + 1]!;
    const d = 3 * HEX_CORNER_EDGES[3 * c + 2]!;
    const ax = x[a]! - x[o]!;
    const ay = x[a + 1]! - x[o + 1]!;
    const az = x[a + 2]! - x[o + 2]!;
    const bx = x[b]! - x[o]!;
    const by = x[b + 1]! - x[o + 1]!;
    const bz = x[b + 2]! - x[o + 2]!;
    const cx = x[d]! - x[o]!;
    const cy = x[d + 1]! - x[o + 1]!;
    const cz = x[d + 2]! - x[o + 2]!;
    const det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
    if (!(det > 0)) return false;
    const n2 =
      (ax * ax + ay * ay + az * az) * (bx * bx + by * by + bz * bz) * (cx * cx + cy * cy + cz * cz);
    if (det * det < g2 * n2) return false;
  }
  return true;
}

/**
 * Volume of a linear wedge, in mm³: det J is linear in the triangle coordinates and quadratic in
 * the axial one, so the centroid rule times 2-point Gauss is exact.
 */
export function wedgeVolume(x: Float64Array): number {
  let volume = 0;
  for (let g = 0; g < 2; g++) {
    const t = (g === 0 ? -1 : 1) * GAUSS;
    const lo = (1 - t) / 2;
    const hi = (1 + t) / 2;
    // d/dr and d/ds of the triangle shape functions (1 - r - s, r, s) at any (r, s).
    const drx = lo * (x[3]! - x[0]!) + hi * (x[12]! - x[9]!);
    const dry = lo * (x[4]! - x[1]!) + hi * (x[13]! - x[10]!);
    const drz = lo * (x[5]! - x[2]!) + hi * (x[14]! - x[11]!);
    const dsx = lo * (x[6]! - x[0]!) + hi * (x[15]! - x[9]!);
    const dsy = lo * (x[7]! - x[1]!) + hi * (x[16]! - x[10]!);
    const dsz = lo * (x[8]! - x[2]!) + hi * (x[17]! - x[11]!);
    // d/dt at the centroid r = s = 1/3.
    const dtx = (x[9]! + x[12]! + x[15]! - x[0]! - x[3]! - x[6]!) / 6;
    const dty = (x[10]! + x[13]! + x[16]! - x[1]! - x[4]! - x[7]!) / 6;
    const dtz = (x[11]! + x[14]! + x[17]! - x[2]! - x[5]! - x[8]!) / 6;
    const det =
      drx * (dsy * dtz - dsz * dty) - dsx * (dry * dtz - drz * dty) + dtx * (dry * dsz - drz * dsy);
    // Reference triangle area 1/2, Gauss weight 1 per point.
    volume += det / 2;
  }
  return volume;
}

/** Copies the corners of cell `cell` into `out` (24 numbers; a wedge fills the first 18). */
export function gatherCell(
  points: Float64Array,
  cells: Uint32Array,
  cell: number,
  corners: number,
  out: Float64Array,
): void {
  const base = cell * 8;
  for (let c = 0; c < corners; c++) {
    const n = 3 * cells[base + c]!;
    out[3 * c] = points[n]!;
    out[3 * c + 1] = points[n + 1]!;
    out[3 * c + 2] = points[n + 2]!;
  }
}

/** Per-cell quality arrays filled by {@link cellQualityKernel}. */
export interface CellQualityArrays {
  readonly minScaledJacobian: Float32Array;
  readonly edgeRatio: Float32Array;
  readonly volume: Float64Array;
}

/**
 * Minimum corner scaled Jacobian, edge ratio and volume of every cell.
 *
 * @param wedgeType - The cell type code of a wedge (13); any other code is taken as a hexahedron.
 */
export function cellQualityKernel(
  points: Float64Array,
  cells: Uint32Array,
  cellTypes: Uint8Array,
  wedgeType: number,
): CellQualityArrays {
  const n = cellTypes.length;
  const minScaledJacobian = new Float32Array(n);
  const ratio = new Float32Array(n);
  const volume = new Float64Array(n);
  const x = new Float64Array(24);
  for (let c = 0; c < n; c++) {
    if (cellTypes[c] === wedgeType) {
      gatherCell(points, cells, c, 6, x);
      minScaledJacobian[c] = wedgeMinScaledJacobian(x);
      ratio[c] = wedgeEdgeRatio(x);
      volume[c] = wedgeVolume(x);
    } else {
      gatherCell(points, cells, c, 8, x);
      minScaledJacobian[c] = hexMinScaledJacobian(x);
      ratio[c] = hexEdgeRatio(x);
      volume[c] = hexVolume(x);
    }
  }
  return { minScaledJacobian, edgeRatio: ratio, volume };
}
