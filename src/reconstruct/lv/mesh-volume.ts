import type { TriangleMesh } from '../../core/index.js';

/**
 * Signed volume enclosed by a closed triangle mesh, by the divergence theorem:
 * `V = 1/6 · Σ p₀ · (p₁ × p₂)` over triangles (p₀, p₁, p₂), in mm³ for a mesh in mm; positive
 * when the triangles are counter-clockwise seen from outside (outward normals).
 *
 * @remarks
 * Exact for any closed (watertight) mesh, whatever the origin; for an open mesh the result
 * depends on the origin and means nothing. Accumulates in double precision.
 */
export function meshVolume(mesh: TriangleMesh): number {
  const p = mesh.points;
  const t = mesh.triangles;
  let sum = 0;
  for (let i = 0; i + 2 < t.length; i += 3) {
    const a = 3 * (t[i] ?? 0);
    const b = 3 * (t[i + 1] ?? 0);
    const c = 3 * (t[i + 2] ?? 0);
    const ax = p[a] ?? 0;
    const ay = p[a + 1] ?? 0;
    const az = p[a + 2] ?? 0;
    const bx = p[b] ?? 0;
    const by = p[b + 1] ?? 0;
    const bz = p[b + 2] ?? 0;
    const cx = p[c] ?? 0;
    const cy = p[c + 1] ?? 0;
    const cz = p[c + 2] ?? 0;
    sum += ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
  }
  return sum / 6;
}

/**
 * Whether every edge of a triangle mesh is shared by exactly two triangles, once in each
 * direction: a closed, consistently oriented (watertight, 2-manifold) surface.
 */
export function isWatertight(mesh: TriangleMesh): boolean {
  const t = mesh.triangles;
  const n = mesh.points.length / 3;
  const edges = new Map<number, number>();
  for (let i = 0; i + 2 < t.length; i += 3) {
    for (let e = 0; e < 3; e++) {
      const a = t[i + e] ?? 0;
      const b = t[i + ((e + 1) % 3)] ?? 0;
      const key = a * n + b;
      edges.set(key, (edges.get(key) ?? 0) + 1);
    }
  }
  for (const [key, count] of edges) {
    if (count !== 1) return false;
    const a = Math.floor(key / n);
    const b = key - a * n;
    if (edges.get(b * n + a) !== 1) return false;
  }
  return true;
}
