import type { TriangleMesh } from '../../core/index.js';
import { PlatformError } from '../../core/index.js';
import { vertexNeighbours } from './kernels/mesh-topology.js';
import { vertexNormals } from './kernels/vertex-normals.js';
import { windowedSinc, windowedSincCoefficients } from './kernels/windowed-sinc.js';

/** Options of {@link smoothMesh}. */
export interface SmoothMeshOptions {
  /** Chebyshev order = passes over the mesh (default 20, as `vtkWindowedSincPolyDataFilter`). */
  readonly iterations?: number;
  /**
   * Pass band `k_PB` on the Laplacian spectrum `[0, 2]` (default 0.1): lower smooths more.
   * Slicer's "smoothing factor" `f` maps to `10^(−4 f)`.
   */
  readonly passBand?: number;
}

/**
 * Windowed-sinc low-pass smoothing (Taubin, Zhang and Golub 1996; the algorithm of VTK's
 * `vtkWindowedSincPolyDataFilter`): removes the voxel staircase without the shrinkage of
 * Laplacian smoothing, because the filter's gain at zero frequency is exactly 1. Topology is
 * unchanged; normals are recomputed. Coordinates are filtered in float64 about the mesh centroid.
 */
export function smoothMesh(mesh: TriangleMesh, options: SmoothMeshOptions = {}): TriangleMesh {
  const iterations = options.iterations ?? 20;
  const passBand = options.passBand ?? 0.1;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new PlatformError(
      'ERR_USAGE',
      `smoothing iterations must be an integer ≥ 1, got ${iterations}`,
    );
  }
  if (!(passBand > 0 && passBand < 2)) {
    throw new PlatformError('ERR_USAGE', `the pass band must be in (0, 2), got ${passBand}`);
  }
  const points = windowedSinc(
    mesh.points,
    vertexNeighbours(mesh.triangles, mesh.points.length / 3),
    windowedSincCoefficients(iterations, passBand),
  );
  const out: TriangleMesh = { points, triangles: mesh.triangles };
  return { ...out, normals: vertexNormals(out) };
}
