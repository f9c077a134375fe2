import type { TriangleMesh } from '../../core/index.js';

/** Topology and size of a triangle mesh. */
export interface CarotidMeshStats {
  readonly vertices: number;
  readonly triangles: number;
  /** Enclosed volume by the divergence theorem, mm³ (positive for outward-facing triangles). */
  readonly volumeMm3: number;
  /** Surface area, mm². */
  readonly areaMm2: number;
  /** Undirected edges used by one triangle only (holes). */
  readonly boundaryEdges: number;
  /** Undirected edges used by more than two triangles. */
  readonly nonManifoldEdges: number;
  /** Edges whose two triangles run them the same way (inconsistent orientation). */
  readonly misorientedEdges: number;
  /** V − E + F: 2 for one closed genus-0 surface. */
  readonly eulerCharacteristic: number;
  /** Every edge shared by exactly two consistently oriented triangles. */
  readonly watertight: boolean;
}

/** Counts what makes a mesh closed and measures its volume and area. */
export function carotidMeshStats(mesh: TriangleMesh): CarotidMeshStats {
  const { points: p, triangles: t } = mesh;
  const nv = p.length / 3;
  const directed = new Map<number, number>();
  let volume = 0;
  let area = 0;
  for (let f = 0; f + 2 < t.length; f += 3) {
    const a = t[f] ?? 0;
    const b = t[f + 1] ?? 0;
    const c = t[f + 2] ?? 0;
    const ax = p[3 * a] ?? 0;
    const ay = p[3 * a + 1] ?? 0;
    const az = p[3 * a + 2] ?? 0;
    const bx = p[3 * b] ?? 0;
    const by = p[3 * b + 1] ?? 0;
    const bz = p[3 * b + 2] ?? 0;
    const cx = p[3 * c] ?? 0;
    const cy = p[3 * c + 1] ?? 0;
    const cz = p[3 * c + 2] ?? 0;
    volume += (ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx)) / 6;
    const ux = bx - ax;
    const uy = by - ay;
    const uz = bz - az;
    const vx = cx - ax;
    const vy = cy - ay;
    const vz = cz - az;
    area += Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx) / 2;
    for (const [i, j] of [
      [a, b],
      [b, c],
      [c, a],
    ] as const) {
      const key = i * nv + j;
      directed.set(key, (directed.get(key) ?? 0) + 1);
    }
  }
  let boundary = 0;
  let nonManifold = 0;
  let misoriented = 0;
  let edges = 0;
  for (const [key, count] of directed) {
    const i = Math.floor(key / nv);
    const j = key - i * nv;
    const reverse = directed.get(j * nv + i) ?? 0;
    if (count > 1) misoriented++;
    // Count each undirected edge once, from its smaller end (or from the only direction present).
    if (reverse > 0 && j < i) continue;
    edges++;
    const total = count + reverse;
    if (total === 1) boundary++;
    else if (total > 2) nonManifold++;
  }
  const faces = t.length / 3;
  return {
    vertices: nv,
    triangles: faces,
    volumeMm3: volume,
    areaMm2: area,
    boundaryEdges: boundary,
    nonManifoldEdges: nonManifold,
    misorientedEdges: misoriented,
    eulerCharacteristic: nv - edges + faces,
    watertight: boundary === 0 && nonManifold === 0 && misoriented === 0,
  };
}
