import { PlatformError } from '../../core/index.js';
import type { TriangleMesh, Vec3 } from '../../core/index.js';
import { meshVolume } from './mesh-volume.js';
import { ringTriangles } from './truncated-ellipsoid.js';

/** Options of {@link loftContours}. */
export interface LoftOptions {
  /**
   * Apex point, in mm: the last contour is joined to it by a fan. Without it, the last contour
   * is closed flat (a fan to its centroid).
   */
  readonly apex?: Vec3;
}

function centroid(ring: readonly Vec3[]): Vec3 {
  let x = 0;
  let y = 0;
  let z = 0;
  for (const p of ring) {
    x += p[0];
    y += p[1];
    z += p[2];
  }
  const n = ring.length;
  return [x / n, y / n, z / n];
}

/**
 * A closed surface through stacked contours (e.g. the LV cavity on the short-axis slices of a
 * cine MR stack, base first): consecutive contours are joined by a band of triangles, point
 * `k` to point `k` (contours must have one point count and start at matching angles), the first
 * contour is closed flat and the last one by a fan to `apex` or flat. The result is watertight,
 * with triangles counter-clockwise seen from outside whatever way the contours run.
 *
 * @param contours - Closed contours in order, each as its points in mm (at least 3, the last
 *   not repeating the first); at least one contour.
 */
export function loftContours(
  contours: readonly (readonly Vec3[])[],
  options?: LoftOptions,
): TriangleMesh {
  const first = contours[0];
  if (first === undefined) throw new PlatformError('ERR_RECONSTRUCT_INPUT', 'no contours to loft');
  const segments = first.length;
  if (segments < 3)
    throw new PlatformError('ERR_RECONSTRUCT_INPUT', 'contours need at least 3 points');
  for (const [i, c] of contours.entries()) {
    if (c.length !== segments) {
      throw new PlatformError(
        'ERR_RECONSTRUCT_INPUT',
        `contour ${i} has ${c.length} points, contour 0 has ${segments}: resample them to one count`,
      );
    }
  }
  // Layout of ringTriangles: the tip first, rings from the tip end, the cap last.
  const rings = [...contours].reverse();
  const last = rings[0] ?? first;
  const tip = options?.apex ?? centroid(last);
  const cap = centroid(first);
  const points = new Float32Array(3 * (2 + rings.length * segments));
  points.set(tip, 0);
  rings.forEach((ring, j) => {
    ring.forEach((p, k) => {
      points.set(p, 3 * (1 + j * segments + k));
    });
  });
  const capIndex = 1 + rings.length * segments;
  points.set(cap, 3 * capIndex);
  const triangles = ringTriangles(rings.length, segments, 0, capIndex);
  const mesh = { points, triangles };
  if (meshVolume(mesh) < 0) {
    for (let i = 0; i < triangles.length; i += 3) {
      const b = triangles[i + 1] ?? 0;
      triangles[i + 1] = triangles[i + 2] ?? 0;
      triangles[i + 2] = b;
    }
  }
  return mesh;
}
