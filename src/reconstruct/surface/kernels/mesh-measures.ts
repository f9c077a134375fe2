import type { TriangleMesh, Vec3 } from '../../../core/index.js';
import { countEdges, triangleComponents } from './mesh-topology.js';

/**
 * Enclosed volume of a closed mesh in mm³, by the divergence theorem: the sum over triangles of
 * the signed volume `a · (b × c) / 6` of the tetrahedron they span with a reference point.
 * Positive when the triangles are oriented outward. The reference point is the bounding-box
 * centre, so that float rounding does not depend on where the mesh sits in patient space.
 */
export function meshVolume(mesh: TriangleMesh): number {
  const { points: p, triangles: t } = mesh;
  const [lo, hi] = meshBounds(mesh);
  const ox = (lo[0] + hi[0]) / 2;
  const oy = (lo[1] + hi[1]) / 2;
  const oz = (lo[2] + hi[2]) / 2;
  let v = 0;
  for (let i = 0; i < t.length; i += 3) {
    const a = 3 * t[i]!;
    const b = 3 * t[i + 1]!;
    const c = 3 * t[i + 2]!;
    const ax = p[a]! - ox,
      ay = p[a + 1]! - oy,
      az = p[a + 2]! - oz;
    const bx = p[b]! - ox,
      by = p[b + 1]! - oy,
      bz = p[b + 2]! - oz;
    const cx = p[c]! - ox,
      cy = p[c + 1]! - oy,
      cz = p[c + 2]! - oz;
    v += ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
  }
  return v / 6;
}

/** Surface area of a mesh in mm²: the sum of `|(b − a) × (c − a)| / 2` over its triangles. */
export function meshArea(mesh: TriangleMesh): number {
  const { points: p, triangles: t } = mesh;
  let area = 0;
  for (let i = 0; i < t.length; i += 3) {
    const a = 3 * t[i]!;
    const b = 3 * t[i + 1]!;
    const c = 3 * t[i + 2]!;
    const ux = p[b]! - p[a]!,
      uy = p[b + 1]! - p[a + 1]!,
      uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!,
      vy = p[c + 1]! - p[a + 1]!,
      vz = p[c + 2]! - p[a + 2]!;
    area += Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
  }
  return area / 2;
}

/** Axis-aligned bounds `[min, max]` (LPS mm) of the vertices the triangles use. */
export function meshBounds(mesh: TriangleMesh): [Vec3, Vec3] {
  const { points: p, triangles: t } = mesh;
  let x0 = Infinity,
    y0 = Infinity,
    z0 = Infinity;
  let x1 = -Infinity,
    y1 = -Infinity,
    z1 = -Infinity;
  for (const idx of t) {
    const a = 3 * idx;
    const x = p[a]!,
      y = p[a + 1]!,
      z = p[a + 2]!;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (z < z0) z0 = z;
    if (z > z1) z1 = z;
  }
  if (t.length === 0)
    return [
      [0, 0, 0],
      [0, 0, 0],
    ];
  return [
    [x0, y0, z0],
    [x1, y1, z1],
  ];
}

/** Whether a mesh is closed, manifold and consistently oriented, with the edge counts that say why not. */
export interface WatertightReport {
  /** Every edge is shared by exactly two triangles that traverse it in opposite directions. */
  readonly watertight: boolean;
  readonly edges: number;
  /** Edges used by one triangle (holes). */
  readonly boundaryEdges: number;
  /** Edges used by three or more triangles. */
  readonly nonManifoldEdges: number;
  /** Edges whose two triangles disagree on orientation. */
  readonly misorientedEdges: number;
}

/** Checks watertightness: every edge shared by exactly two triangles with opposite windings. */
export function checkWatertight(mesh: TriangleMesh): WatertightReport {
  const c = countEdges(mesh.triangles, mesh.points.length / 3);
  return {
    watertight: c.boundary === 0 && c.nonManifold === 0 && c.misoriented === 0 && c.edges > 0,
    edges: c.edges,
    boundaryEdges: c.boundary,
    nonManifoldEdges: c.nonManifold,
    misorientedEdges: c.misoriented,
  };
}

/**
 * Euler characteristic `V − E + F` of the triangles (vertices counted only when used). A closed
 * surface of genus `g` has `2 − 2g` per component: 2 for a sphere-like surface, 0 for a torus.
 */
export function eulerCharacteristic(mesh: TriangleMesh): number {
  const used = new Uint8Array(mesh.points.length / 3);
  for (const x of mesh.triangles) used[x] = 1;
  let v = 0;
  for (const u of used) v += u;
  const e = countEdges(mesh.triangles, mesh.points.length / 3).edges;
  return v - e + mesh.triangles.length / 3;
}

/** The measures {@link measureMesh} returns. */
export interface MeshMeasures {
  /** Enclosed volume, mm³ (divergence theorem; meaningful for watertight meshes). */
  readonly volume: number;
  /** Surface area, mm². */
  readonly area: number;
  /** Bounding box `[min, max]`, LPS mm. */
  readonly bounds: readonly [Vec3, Vec3];
  /** Size of the bounding box along x, y, z, mm. */
  readonly extent: Vec3;
  readonly vertices: number;
  readonly triangles: number;
  readonly eulerCharacteristic: number;
  /** Connected components (triangles sharing vertices). */
  readonly components: number;
  readonly watertight: WatertightReport;
}

/** All measures of a mesh in one call. */
export function measureMesh(mesh: TriangleMesh): MeshMeasures {
  const bounds = meshBounds(mesh);
  const watertight = checkWatertight(mesh);
  const used = new Uint8Array(mesh.points.length / 3);
  for (const x of mesh.triangles) used[x] = 1;
  let v = 0;
  for (const u of used) v += u;
  const f = mesh.triangles.length / 3;
  return {
    volume: meshVolume(mesh),
    area: meshArea(mesh),
    bounds,
    extent: [bounds[1][0] - bounds[0][0], bounds[1][1] - bounds[0][1], bounds[1][2] - bounds[0][2]],
    vertices: v,
    triangles: f,
    eulerCharacteristic: v - watertight.edges + f,
    components: triangleComponents(mesh.triangles, mesh.points.length / 3).sizes.length,
    watertight,
  };
}
