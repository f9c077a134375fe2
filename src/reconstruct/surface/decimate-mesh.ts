import { MeshoptSimplifier } from 'meshoptimizer';
import type { TriangleMesh } from '../../core/index.js';
import { PlatformError } from '../../core/index.js';
import { compactVertices } from './kernels/mesh-edit.js';
import { vertexNormals } from './kernels/vertex-normals.js';

/** Options of {@link decimateMesh}. */
export interface DecimateMeshOptions {
  /** Triangle count to aim for (the result may keep more when the error limit stops it). */
  readonly targetTriangles: number;
  /**
   * Largest geometric deviation allowed, in mm (meshoptimizer's absolute error). Default: no
   * limit, so that the target count is reached.
   */
  readonly maxError?: number;
}

/** A decimated mesh and the deviation the simplifier reports, mm. */
export interface DecimatedMesh {
  readonly mesh: TriangleMesh;
  /** meshoptimizer's error estimate of the result, mm. */
  readonly error: number;
}

/**
 * Decimates a mesh to about `targetTriangles` with meshoptimizer's edge-collapse simplifier
 * (quadric error metric, Garland and Heckbert 1997), which keeps the topology of a manifold input
 * (collapses that would fold or split the surface are rejected), then drops unused vertices and
 * recomputes normals. Vertices must be welded (they are, from {@link labelSurface}).
 */
export async function decimateMesh(
  mesh: TriangleMesh,
  options: DecimateMeshOptions,
): Promise<DecimatedMesh> {
  const target = options.targetTriangles;
  if (!Number.isInteger(target) || target < 4) {
    throw new PlatformError(
      'ERR_USAGE',
      `the target triangle count must be an integer ≥ 4, got ${target}`,
    );
  }
  if (target * 3 >= mesh.triangles.length) {
    return { mesh: { ...mesh, normals: mesh.normals ?? vertexNormals(mesh) }, error: 0 };
  }
  await MeshoptSimplifier.ready;
  const maxError = options.maxError ?? Number.MAX_VALUE;
  const [indices, error] = MeshoptSimplifier.simplify(
    mesh.triangles,
    mesh.points,
    3,
    target * 3,
    maxError,
    ['ErrorAbsolute'],
  );
  const c = compactVertices(mesh.points, indices);
  const out: TriangleMesh = { points: c.points, triangles: c.triangles };
  return { mesh: { ...out, normals: vertexNormals(out) }, error };
}
