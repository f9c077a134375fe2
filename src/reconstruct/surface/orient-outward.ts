import type { TriangleMesh } from '../../core/index.js';
import { flipTriangles } from './kernels/label-field.js';
import { makeWindingConsistent, patchSignedVolumes } from './kernels/mesh-edit.js';
import { vertexNormals } from './kernels/vertex-normals.js';

/**
 * Orients a mesh outward: first makes the winding consistent across every edge-connected patch
 * (a breadth-first walk that flips disagreeing neighbours), then turns each patch whose signed
 * volume is negative inside out, so that every closed component encloses a positive volume.
 *
 * @returns A new mesh (normals recomputed when the input had them) and the number of triangles
 *   whose winding changed.
 */
export function orientOutward(mesh: TriangleMesh): { mesh: TriangleMesh; flipped: number } {
  const triangles = mesh.triangles.slice();
  const { patch } = makeWindingConsistent(triangles, mesh.points.length / 3);
  const patches = patch.reduce((m, p) => Math.max(m, p + 1), 0);
  const volumes = patchSignedVolumes(mesh.points, triangles, patch, patches);
  const inverted = patch.map((p) => ((volumes[p] ?? 0) < 0 ? 1 : 0));
  // Flip the triangles of inverted patches: gather, flip, scatter back.
  const mask = new Uint32Array(triangles.length);
  let w = 0;
  inverted.forEach((inv, t) => {
    if (inv === 1) mask.set(triangles.subarray(3 * t, 3 * t + 3), 3 * w++);
  });
  const sub = mask.subarray(0, 3 * w);
  flipTriangles(sub);
  w = 0;
  inverted.forEach((inv, t) => {
    if (inv === 1) triangles.set(sub.subarray(3 * w, 3 * w++ + 3), 3 * t);
  });
  let flipped = 0;
  for (let t = 0; t < triangles.length; t += 3) {
    if (
      triangles[t] !== mesh.triangles[t] ||
      triangles[t + 1] !== mesh.triangles[t + 1] ||
      triangles[t + 2] !== mesh.triangles[t + 2]
    ) {
      flipped++;
    }
  }
  const out: TriangleMesh = { points: mesh.points, triangles };
  return {
    mesh: mesh.normals === undefined ? out : { ...out, normals: vertexNormals(out) },
    flipped,
  };
}
