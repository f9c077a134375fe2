import type { TriangleMesh } from '../../core/index.js';
import { PlatformError } from '../../core/index.js';
import { compactVertices, selectTriangles } from './kernels/mesh-edit.js';
import { triangleComponents } from './kernels/mesh-topology.js';
import { vertexNormals } from './kernels/vertex-normals.js';

/** The connected components of a mesh, largest first. */
export interface MeshComponents {
  /** Triangle count of each component, in decreasing order. */
  readonly sizes: readonly number[];
  /** Component index (into `sizes`) of every triangle. */
  readonly component: Int32Array;
}

/** Connected components (triangles that share a vertex are connected), largest first. */
export function meshComponents(mesh: TriangleMesh): MeshComponents {
  return triangleComponents(mesh.triangles, mesh.points.length / 3);
}

/**
 * The sub-mesh of the chosen components, with unused vertices dropped (and normals carried over
 * when the mesh has them).
 */
export function selectComponents(
  mesh: TriangleMesh,
  keep: (index: number) => boolean,
): TriangleMesh {
  const { component } = meshComponents(mesh);
  const tris = selectTriangles(mesh.triangles, component, keep);
  const c = compactVertices(mesh.points, tris);
  const out: TriangleMesh = { points: c.points, triangles: c.triangles };
  return mesh.normals === undefined ? out : { ...out, normals: vertexNormals(out) };
}

/**
 * The largest connected component: removes islands (a few stray voxels of the label) that
 * segmentation leaves. Throws `ERR_MESH_INPUT` on an empty mesh.
 */
export function keepLargestComponent(mesh: TriangleMesh): TriangleMesh {
  if (mesh.triangles.length === 0) {
    throw new PlatformError('ERR_MESH_INPUT', 'the mesh has no triangles: nothing to keep');
  }
  return selectComponents(mesh, (c) => c === 0);
}
