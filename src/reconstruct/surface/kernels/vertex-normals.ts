import type { TriangleMesh } from '../../../core/index.js';

/**
 * Unit vertex normals: the sum of the (area-weighted) normals of the triangles around each
 * vertex, normalised. Outward for an outward-oriented mesh. Vertices no triangle uses get 0.
 */
export function vertexNormals(mesh: TriangleMesh): Float32Array {
  const { points: p, triangles: t } = mesh;
  const acc = new Float64Array(p.length);
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
    // The cross product's length is twice the area: an area weighting for free.
    const nx = uy * vz - uz * vy,
      ny = uz * vx - ux * vz,
      nz = ux * vy - uy * vx;
    for (const v of [a, b, c]) {
      acc[v]! += nx;
      acc[v + 1]! += ny;
      acc[v + 2]! += nz;
    }
  }
  const out = new Float32Array(p.length);
  for (let v = 0; v < p.length; v += 3) {
    const l = Math.hypot(acc[v]!, acc[v + 1]!, acc[v + 2]!);
    if (l > 0) {
      out[v] = acc[v]! / l;
      out[v + 1] = acc[v + 1]! / l;
      out[v + 2] = acc[v + 2]! / l;
    }
  }
  return out;
}
