import { PlatformError } from '../../core/index.js';
import type { Vec3 } from '../../core/index.js';
import { FE_CELL_TYPE, feSurfaceNodes } from './fe-mesh.js';
import type { FeMesh, FeRegion } from './fe-mesh.js';
import { doubleReflectionFrames } from './kernels/frames.js';
import { buildOGridSection } from './kernels/ogrid-section.js';

/** One vessel branch: a centerline with a lumen radius at each point. */
export interface FeCenterlineBranch {
  /** Branch name (letters, digits, `_`, `-`), used in set names: `outlet_ica`, `branch_ica`. */
  readonly name: string;
  /** Centerline points, LPS, in mm, in flow order (inlet first). */
  readonly points: readonly Vec3[];
  /** Lumen radius at each point, in mm. */
  readonly radii: readonly number[];
  /**
   * Second semi-axis of an elliptic lumen at each point, in mm, along `s = t × r` of the
   * rotation-minimizing frame (`radii` is then the semi-axis along `r`).
   * @defaultValue `radii` (circular)
   */
  readonly minorRadii?: readonly number[];
}

/** Options of {@link sweepOGridMesh}. */
export interface SweptOGridOptions {
  /**
   * Cells around the circumference. A multiple of 4 for the butterfly core; the volume error of
   * the inscribed polygon is about 6.6 / sectors² (0.64 % at 32).
   * @defaultValue 32
   */
  readonly sectors?: number;
  /** Layers of cells from the core to the lumen wall. @defaultValue `max(2, round(sectors / 10))` */
  readonly radialCells?: number;
  /**
   * `'butterfly'`: a square core of hexahedra plus a ring of hexahedra (all-hex O-grid).
   * `'polar'`: wedges (prisms) around the axis, then rings of hexahedra.
   * @defaultValue `'butterfly'`
   */
  readonly core?: 'butterfly' | 'polar';
  /** Half side of the butterfly's core square as a fraction of the radius. @defaultValue 0.5 */
  readonly coreFraction?: number;
  /** Axial element length, in mm. @defaultValue the mean circumferential cell size, 2π·mean radius / sectors */
  readonly axialSizeMm?: number;
  /** Thickness of a vessel-wall layer outside the lumen (a second region), in mm. @defaultValue none */
  readonly wallThicknessMm?: number;
  /** Cells across the wall. @defaultValue 2 */
  readonly wallLayers?: number;
  /**
   * Unit vector that fixes the frame's `r` axis at each branch start (projected onto the plane
   * normal to the tangent); the major axis of an elliptic lumen lies along it.
   * @defaultValue the world axis least aligned with the start tangent
   */
  readonly referenceVector?: Vec3;
}

/** How two branches meet, as {@link sweepOGridMesh} finds it. */
export interface FeJunction {
  /** The branch that ends at the junction (e.g. the common carotid). */
  readonly parent: string;
  /** Branches that start there (e.g. the internal and external carotids). */
  readonly children: readonly string[];
  /**
   * Always `false`: each branch is its own swept O-grid; at the junction the branch meshes
   * overlap and share no nodes (tie them, e.g. FEBio `tied-elastic` or Abaqus `*TIE`, or mesh the
   * bifurcation from the label map instead).
   */
  readonly conforming: false;
}

/** What {@link sweepOGridMesh} returns. */
export interface SweptOGridResult {
  readonly mesh: FeMesh;
  /** Stations (axial cell layers + 1) per branch. */
  readonly stations: readonly number[];
  readonly junctions: readonly FeJunction[];
  /** Total centerline length per branch, in mm. */
  readonly lengthsMm: readonly number[];
}

function bad(message: string): PlatformError {
  return new PlatformError('ERR_MESH_INPUT', message);
}

interface Stations {
  readonly points: Float64Array;
  readonly tangents: Float64Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly length: number;
}

/** Resamples a branch at equal arc-length steps, with interpolated tangents and semi-axes. */
function resampleBranch(
  branch: FeCenterlineBranch,
  axialSize: number | undefined,
  sectors: number,
): Stations {
  const n = branch.points.length;
  const arc = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const p = branch.points[i - 1] ?? [0, 0, 0];
    const q = branch.points[i] ?? [0, 0, 0];
    arc[i] = (arc[i - 1] ?? 0) + Math.hypot(q[0] - p[0], q[1] - p[1], q[2] - p[2]);
  }
  const length = arc[n - 1] ?? 0;
  if (!(length > 0)) throw bad(`branch "${branch.name}" has zero length`);
  // Tangents at the input points: derivative of the parabola through each point and its
  // neighbours in arc length (second order, also at the ends); a chord with two points.
  const tIn = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const d = [0, 0, 0];
    if (n === 2) {
      const p = branch.points[0] ?? [0, 0, 0];
      const q = branch.points[1] ?? [0, 0, 0];
      for (let a = 0; a < 3; a++) d[a] = (q[a] ?? 0) - (p[a] ?? 0);
    } else {
      const c = Math.min(n - 2, Math.max(1, i));
      const p0 = branch.points[c - 1] ?? [0, 0, 0];
      const p1 = branch.points[c] ?? [0, 0, 0];
      const p2 = branch.points[c + 1] ?? [0, 0, 0];
      const h1 = (arc[c] ?? 0) - (arc[c - 1] ?? 0);
      const h2 = (arc[c + 1] ?? 0) - (arc[c] ?? 0);
      if (!(h1 > 0 && h2 > 0)) {
        throw bad(`branch "${branch.name}" repeats point ${c}: remove duplicate points`);
      }
      const h = h1 + h2;
      // Weights of p0, p1, p2 in d/ds at s = s_{c-1}, s_c or s_{c+1}.
      const w =
        i < c
          ? [-(2 * h1 + h2) / (h1 * h), h / (h1 * h2), -h1 / (h2 * h)]
          : i > c
            ? [h2 / (h1 * h), -h / (h1 * h2), (2 * h2 + h1) / (h2 * h)]
            : [-h2 / (h1 * h), (h2 - h1) / (h1 * h2), h1 / (h2 * h)];
      for (let a = 0; a < 3; a++) {
        d[a] = (w[0] ?? 0) * (p0[a] ?? 0) + (w[1] ?? 0) * (p1[a] ?? 0) + (w[2] ?? 0) * (p2[a] ?? 0);
      }
    }
    const len = Math.hypot(d[0] ?? 0, d[1] ?? 0, d[2] ?? 0);
    if (!(len > 0)) throw bad(`branch "${branch.name}" has a degenerate tangent at point ${i}`);
    for (let a = 0; a < 3; a++) tIn[3 * i + a] = (d[a] ?? 0) / len;
  }
  const meanRadius = branch.radii.reduce((s, r) => s + r, 0) / branch.radii.length;
  const h = axialSize ?? (2 * Math.PI * meanRadius) / sectors;
  const segments = Math.max(1, Math.round(length / h));
  const m = segments + 1;
  const points = new Float64Array(3 * m);
  const tangents = new Float64Array(3 * m);
  const a = new Float64Array(m);
  const b = new Float64Array(m);
  let seg = 0;
  for (let j = 0; j < m; j++) {
    const s = (length * j) / segments;
    while (seg < n - 2 && (arc[seg + 1] ?? 0) < s) seg++;
    const s0 = arc[seg] ?? 0;
    const s1 = arc[seg + 1] ?? length;
    const f = s1 > s0 ? Math.min(1, Math.max(0, (s - s0) / (s1 - s0))) : 0;
    const p = branch.points[seg] ?? [0, 0, 0];
    const q = branch.points[seg + 1] ?? p;
    let tl = 0;
    for (let k = 0; k < 3; k++) {
      points[3 * j + k] = (p[k] ?? 0) + f * ((q[k] ?? 0) - (p[k] ?? 0));
      const t = (1 - f) * (tIn[3 * seg + k] ?? 0) + f * (tIn[3 * seg + 3 + k] ?? 0);
      tangents[3 * j + k] = t;
      tl += t * t;
    }
    tl = Math.sqrt(tl);
    for (let k = 0; k < 3; k++) tangents[3 * j + k] = (tangents[3 * j + k] ?? 0) / tl;
    const ra = branch.radii;
    const rb = branch.minorRadii ?? branch.radii;
    a[j] = (1 - f) * (ra[seg] ?? 0) + f * (ra[seg + 1] ?? 0);
    b[j] = (1 - f) * (rb[seg] ?? 0) + f * (rb[seg + 1] ?? 0);
  }
  return { points, tangents, a, b, length };
}

function startReference(t: readonly number[], given: Vec3 | undefined): [number, number, number] {
  const [tx = 0, ty = 0, tz = 0] = t;
  let ref: readonly number[];
  if (given !== undefined) ref = given;
  else {
    const ax = Math.abs(tx);
    const ay = Math.abs(ty);
    const az = Math.abs(tz);
    ref = ax <= ay && ax <= az ? [1, 0, 0] : ay <= az ? [0, 1, 0] : [0, 0, 1];
  }
  const [rx = 0, ry = 0, rz = 0] = ref;
  const along = rx * tx + ry * ty + rz * tz;
  const r = [rx - along * tx, ry - along * ty, rz - along * tz];
  const len = Math.hypot(...r);
  if (!(len > 1e-9)) throw bad('referenceVector is parallel to the centerline start tangent');
  return [(r[0] ?? 0) / len, (r[1] ?? 0) / len, (r[2] ?? 0) / len];
}

const NAME = /^[A-Za-z0-9_-]+$/;

function checkBranches(branches: readonly FeCenterlineBranch[]): void {
  if (branches.length === 0) throw bad('no branches: give at least one centerline');
  const names = new Set<string>();
  for (const branch of branches) {
    if (!NAME.test(branch.name)) {
      throw bad(`branch name "${branch.name}" must be letters, digits, _ or - only`);
    }
    if (names.has(branch.name)) throw bad(`branch name "${branch.name}" is used twice`);
    names.add(branch.name);
    const n = branch.points.length;
    if (n < 2) throw bad(`branch "${branch.name}" needs at least 2 points, has ${n}`);
    if (branch.radii.length !== n) {
      throw bad(`branch "${branch.name}" has ${n} points but ${branch.radii.length} radii`);
    }
    if (branch.minorRadii !== undefined && branch.minorRadii.length !== n) {
      throw bad(
        `branch "${branch.name}" has ${n} points but ${branch.minorRadii.length} minorRadii`,
      );
    }
    for (const p of branch.points) {
      if (!p.every(Number.isFinite)) {
        throw bad(`branch "${branch.name}" has a point that is not 3 finite numbers`);
      }
    }
    for (const r of [...branch.radii, ...(branch.minorRadii ?? [])]) {
      if (!(r > 0) || !Number.isFinite(r)) {
        throw bad(`branch "${branch.name}" has radius ${r}: radii must be positive mm`);
      }
    }
  }
}

const distance = (p: Vec3, q: Vec3): number => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);

/**
 * Sweeps an O-grid cross-section along each branch's centerline: a structured mesh of
 * hexahedra (and, with the polar core, wedges) whose sections stay untwisted because the frames
 * are rotation-minimizing (double reflection, Wang et al. 2008). Each section is the lumen
 * ellipse or circle of the branch's radii, plus an optional wall layer of given thickness as a
 * second region.
 *
 * Named sets (surfaces and their node sets): `inlet` (lumen cap at the start of every branch that
 * does not start at another branch's end; `inlet_<name>` if several do), `outlet_<name>` (lumen cap
 * at each free branch end), `wall` (outer surface: the wall layer's outside, or the lumen boundary
 * without one), with a wall layer also `lumen_surface` (the lumen–wall interface) and
 * `wall_ends` (the wall layer's end rings at inlets and outlets). Element sets `lumen`, `wall`
 * (when a wall layer is asked for) and `branch_<name>`; regions 1 (lumen) and 2 (wall).
 *
 * @remarks
 * Bifurcations: branches whose start lies within the radius of another branch's end are children
 * of that junction. Each branch is meshed on its own, so the junction is **non-conforming**: the
 * meshes overlap there and share no nodes (reported in `junctions`).
 *
 * @example
 * ```ts
 * const { mesh } = sweepOGridMesh(
 *   [{ name: 'cca', points: [[0, 0, 0], [0, 0, 40]], radii: [4, 4] }],
 *   { sectors: 32, wallThicknessMm: 0.8 },
 * );
 * ```
 */
export function sweepOGridMesh(
  branches: readonly FeCenterlineBranch[],
  options: SweptOGridOptions = {},
): SweptOGridResult {
  checkBranches(branches);
  const core = options.core ?? 'butterfly';
  const sectors = options.sectors ?? 32;
  if (!Number.isInteger(sectors) || sectors < 8 || (core === 'butterfly' && sectors % 4 !== 0)) {
    throw bad(
      `sectors ${sectors} must be an integer ≥ 8${core === 'butterfly' ? ' and a multiple of 4 (butterfly core)' : ''}`,
    );
  }
  const radialCells = options.radialCells ?? Math.max(2, Math.round(sectors / 10));
  if (!Number.isInteger(radialCells) || radialCells < 1) {
    throw bad(`radialCells ${radialCells} must be a positive integer`);
  }
  const coreFraction = options.coreFraction ?? 0.5;
  if (!(coreFraction > 0 && coreFraction < 0.8)) {
    throw bad(`coreFraction ${coreFraction} must lie between 0 and 0.8`);
  }
  const thickness = options.wallThicknessMm ?? 0;
  if (!(thickness >= 0) || !Number.isFinite(thickness)) {
    throw bad(`wall thickness ${thickness} mm must be ≥ 0`);
  }
  const wallLayers = thickness > 0 ? (options.wallLayers ?? 2) : 0;
  if (!Number.isInteger(wallLayers) || (thickness > 0 && wallLayers < 1)) {
    throw bad(`wallLayers ${wallLayers} must be a positive integer`);
  }
  if (options.axialSizeMm !== undefined && !(options.axialSizeMm > 0)) {
    throw bad(`axial size ${options.axialSizeMm} mm must be positive`);
  }
  const section = buildOGridSection({
    sectors,
    radialCells,
    wallLayers,
    coreFraction,
    core,
  });
  const perStation = section.wallLayer.length;
  const perLayer = section.region.length;

  // Junctions: a branch start near another branch's end.
  const parentOf = new Map<string, string>();
  const hasChild = new Set<string>();
  for (const child of branches) {
    const start = child.points[0] ?? [0, 0, 0];
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const parent of branches) {
      if (parent === child) continue;
      const end = parent.points[parent.points.length - 1] ?? [0, 0, 0];
      const d = distance(start, end);
      const reach = Math.max(child.radii[0] ?? 0, parent.radii[parent.radii.length - 1] ?? 0);
      if (d <= reach && d < bestDistance) {
        best = parent.name;
        bestDistance = d;
      }
    }
    if (best !== undefined) {
      parentOf.set(child.name, best);
      hasChild.add(best);
    }
  }
  const junctions: FeJunction[] = [...hasChild].map((parent) => ({
    parent,
    children: branches.filter((b) => parentOf.get(b.name) === parent).map((b) => b.name),
    conforming: false,
  }));
  const inlets = branches.filter((b) => !parentOf.has(b.name));
  if (inlets.length === 0) throw bad('every branch starts at another branch: no inlet (a cycle?)');

  const resampled = branches.map((b) => resampleBranch(b, options.axialSizeMm, sectors));
  let nodeTotal = 0;
  let cellTotal = 0;
  for (const s of resampled) {
    const m = s.a.length;
    nodeTotal += m * perStation;
    cellTotal += (m - 1) * perLayer;
  }
  const points = new Float64Array(3 * nodeTotal);
  const cells = new Uint32Array(8 * cellTotal);
  const cellTypes = new Uint8Array(cellTotal);
  const regions = new Uint16Array(cellTotal);
  const surfaces: Record<string, number[]> = { wall: [] };
  const elementSets: Record<string, Uint32Array> = {};
  if (thickness > 0) {
    surfaces['lumen_surface'] = [];
    surfaces['wall_ends'] = [];
  }

  let nodeBase = 0;
  let cellBase = 0;
  branches.forEach((branch, bi) => {
    const st = resampled[bi];
    if (st === undefined) return;
    const m = st.a.length;
    const t0 = [st.tangents[0] ?? 0, st.tangents[1] ?? 0, st.tangents[2] ?? 0];
    const r = doubleReflectionFrames(
      st.points,
      st.tangents,
      startReference(t0, options.referenceVector),
    );
    for (let j = 0; j < m; j++) {
      const [cx = 0, cy = 0, cz = 0] = st.points.subarray(3 * j, 3 * j + 3);
      const [tx = 0, ty = 0, tz = 0] = st.tangents.subarray(3 * j, 3 * j + 3);
      const [rx = 0, ry = 0, rz = 0] = r.subarray(3 * j, 3 * j + 3);
      const sx = ty * rz - tz * ry;
      const sy = tz * rx - tx * rz;
      const sz = tx * ry - ty * rx;
      const a = st.a[j] ?? 0;
      const b = st.b[j] ?? 0;
      for (let k = 0; k < perStation; k++) {
        const w = (section.wallLayer[k] ?? 0) * thickness;
        const u = (section.uv[2 * k] ?? 0) * (a + w);
        const v = (section.uv[2 * k + 1] ?? 0) * (b + w);
        const o = 3 * (nodeBase + j * perStation + k);
        points[o] = cx + u * rx + v * sx;
        points[o + 1] = cy + u * ry + v * sy;
        points[o + 2] = cz + u * rz + v * sz;
      }
    }
    const startCap: number[] = [];
    const endCap: number[] = [];
    const wallStart: number[] = [];
    const wallEnd: number[] = [];
    for (let j = 0; j + 1 < m; j++) {
      const lo = nodeBase + j * perStation;
      const hi = lo + perStation;
      for (let q = 0; q < perLayer; q++) {
        const cell = cellBase + j * perLayer + q;
        const o = 8 * cell;
        const tri = section.triangle[q] === 1;
        const qa = section.quads[4 * q] ?? 0;
        const qb = section.quads[4 * q + 1] ?? 0;
        const qc = section.quads[4 * q + 2] ?? 0;
        const qd = section.quads[4 * q + 3] ?? 0;
        const reg = section.region[q] ?? 1;
        if (tri) {
          cells.set([lo + qa, lo + qb, lo + qc, hi + qa, hi + qb, hi + qc, hi + qc, hi + qc], o);
          cellTypes[cell] = FE_CELL_TYPE.wedge;
        } else {
          cells.set([lo + qa, lo + qb, lo + qc, lo + qd, hi + qa, hi + qb, hi + qc, hi + qd], o);
          cellTypes[cell] = FE_CELL_TYPE.hexahedron;
        }
        regions[cell] = reg;
        // Side b–c: local face 3 for both cell kinds.
        if (section.onOuterBoundary[q] === 1) surfaces['wall']?.push(cell, 3);
        if (thickness > 0 && section.onLumenBoundary[q] === 1) {
          surfaces['lumen_surface']?.push(cell, 3);
        }
        if (j === 0) (reg === 1 ? startCap : wallStart).push(cell, 0);
        if (j === m - 2) (reg === 1 ? endCap : wallEnd).push(cell, 1);
      }
    }
    if (!parentOf.has(branch.name)) {
      surfaces[inlets.length === 1 ? 'inlet' : `inlet_${branch.name}`] = startCap;
      surfaces['wall_ends']?.push(...wallStart);
    }
    if (!hasChild.has(branch.name)) {
      surfaces[`outlet_${branch.name}`] = endCap;
      surfaces['wall_ends']?.push(...wallEnd);
    }
    const branchCells = new Uint32Array((m - 1) * perLayer);
    for (let c = 0; c < branchCells.length; c++) branchCells[c] = cellBase + c;
    elementSets[`branch_${branch.name}`] = branchCells;
    nodeBase += m * perStation;
    cellBase += (m - 1) * perLayer;
  });

  const regionList: FeRegion[] = [{ id: 1, name: 'lumen' }];
  if (thickness > 0) regionList.push({ id: 2, name: 'wall' });
  for (const region of regionList) {
    const list: number[] = [];
    for (let c = 0; c < cellTotal; c++) if (regions[c] === region.id) list.push(c);
    elementSets[region.name] = Uint32Array.from(list);
  }
  const surfaceArrays: Record<string, Uint32Array> = {};
  for (const [name, list] of Object.entries(surfaces)) surfaceArrays[name] = Uint32Array.from(list);
  const partial: FeMesh = {
    points,
    cells,
    cellTypes,
    regions,
    regionList,
    nodeSets: {},
    elementSets,
    surfaces: surfaceArrays,
  };
  const nodeSets: Record<string, Uint32Array> = {};
  for (const [name, facets] of Object.entries(surfaceArrays)) {
    nodeSets[name] = feSurfaceNodes(partial, facets);
  }
  return {
    mesh: { ...partial, nodeSets },
    stations: resampled.map((s) => s.a.length),
    junctions,
    lengthsMm: resampled.map((s) => s.length),
  };
}
