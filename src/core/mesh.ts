/**
 * A triangle surface in patient coordinates (LPS, millimetres). Same layout as vtk.js's polydata
 * points and a flat triangle index list, and as meshoptimizer's inputs, so the data pass to both
 * without copies.
 */
export interface TriangleMesh {
  /** Vertex coordinates, xyz interleaved, in millimetres (LPS). */
  readonly points: Float32Array;
  /** Vertex indices, three per triangle, counter-clockwise seen from outside (outward normals). */
  readonly triangles: Uint32Array;
  /** Optional per-vertex unit normals, xyz interleaved. */
  readonly normals?: Float32Array;
}

/** Number of vertices of a mesh. */
export function vertexCount(mesh: TriangleMesh): number {
  return mesh.points.length / 3;
}

/** Number of triangles of a mesh. */
export function triangleCount(mesh: TriangleMesh): number {
  return mesh.triangles.length / 3;
}
