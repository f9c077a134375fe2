import type { TriangleMesh } from '../../core/index.js';
import {
  absoluteDistances,
  pointToMeshDistances,
  pointToPointDistances,
} from './kernels/distance.js';
import type { SurfaceSample } from './kernels/phantoms.js';

/** Distances between a mesh and a reference surface sample, mm. */
export interface SurfaceDistance {
  /** Largest distance from a mesh vertex to the reference (vertex to nearest sample point). */
  readonly meshToReferenceMax: number;
  /** Largest distance from a reference point to the mesh (point to nearest triangle). */
  readonly referenceToMeshMax: number;
  /** Symmetric Hausdorff distance: the larger of the two. */
  readonly hausdorff: number;
  /** Mean distance from the reference points to the mesh. */
  readonly meanReferenceToMesh: number;
  /**
   * Hausdorff distance over the points (vertices and reference samples) at least `creaseMargin`
   * from any sharp edge; equals `hausdorff` when the reference has no creases.
   */
  readonly hausdorffAwayFromCreases: number;
}

/** The reference surface {@link surfaceDistance} measures against. */
export interface DistanceReference {
  readonly sample: SurfaceSample;
  /** Signed distance to the reference, for exact vertex-to-surface distances. */
  readonly sdf?: (x: number, y: number, z: number) => number;
  /** Distance to the nearest sharp edge (see `AnalyticShape.creaseDistance`). */
  readonly creaseDistance?: (x: number, y: number, z: number) => number;
  /** How far from creases the `hausdorffAwayFromCreases` figure starts, mm (default 1.5). */
  readonly creaseMargin?: number;
}

/**
 * Hausdorff distance between a mesh and a densely sampled reference surface. Reference-to-mesh
 * distances are exact point-to-triangle distances. Vertex-to-reference distances are `|sdf|` at
 * each vertex when the reference's signed distance is given, else the distance to the nearest
 * sample point (an over-estimate by up to about half the sample spacing: sample finely).
 */
export function surfaceDistance(mesh: TriangleMesh, ref: DistanceReference): SurfaceDistance {
  const cell = 1;
  const reference = ref.sample;
  const a =
    ref.sdf === undefined
      ? pointToPointDistances(mesh.points, reference.points, cell)
      : absoluteDistances(mesh.points, ref.sdf);
  const b = pointToMeshDistances(reference.points, mesh.points, mesh.triangles, cell);
  let maxA = 0;
  for (const d of a) maxA = Math.max(maxA, d);
  let maxB = 0;
  let sumB = 0;
  for (const d of b) {
    maxB = Math.max(maxB, d);
    sumB += d;
  }
  let away = 0;
  const crease = ref.creaseDistance;
  const margin = ref.creaseMargin ?? 1.5;
  if (crease === undefined) away = Math.max(maxA, maxB);
  else {
    a.forEach((d, q) => {
      const p = mesh.points;
      if (crease(p[3 * q] ?? 0, p[3 * q + 1] ?? 0, p[3 * q + 2] ?? 0) >= margin)
        away = Math.max(away, d);
    });
    b.forEach((d, q) => {
      const p = reference.points;
      if (crease(p[3 * q] ?? 0, p[3 * q + 1] ?? 0, p[3 * q + 2] ?? 0) >= margin)
        away = Math.max(away, d);
    });
  }
  return {
    hausdorffAwayFromCreases: away,
    meshToReferenceMax: maxA,
    referenceToMeshMax: maxB,
    hausdorff: Math.max(maxA, maxB),
    meanReferenceToMesh: b.length > 0 ? sumB / b.length : 0,
  };
}
