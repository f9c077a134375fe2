/**
 * Mesh file formats: binary/ASCII STL, PLY, OBJ, VTK legacy polydata and VTK XML polydata
 * (`.vtp`), each with a reader. Coordinates are written as they are in the mesh: millimetres, LPS.
 */
import type { TriangleMesh } from '../../core/index.js';
import { PlatformError } from '../../core/index.js';
import { readObj, writeObj } from './kernels/obj.js';
import { readPly, writePly } from './kernels/ply.js';
import { readStl, writeStl, writeStlAscii } from './kernels/stl.js';
import { readVtkLegacy, writeVtkLegacy } from './kernels/vtk-legacy.js';
import { readVtp, writeVtp } from './kernels/vtp.js';

export { readObj, writeObj } from './kernels/obj.js';
export { readPly, writePly } from './kernels/ply.js';
export { readStl, writeStl, writeStlAscii } from './kernels/stl.js';
export { readVtkLegacy, writeVtkLegacy } from './kernels/vtk-legacy.js';
export { readVtp, writeVtp } from './kernels/vtp.js';

/** The mesh formats medscale reads and writes. */
export const MESH_FORMATS = ['stl', 'ply', 'obj', 'vtk', 'vtp'] as const;

/** One of {@link MESH_FORMATS}. */
export type MeshFormat = (typeof MESH_FORMATS)[number];

/** The format a file name's extension names (case-insensitive), or `undefined`. */
export function meshFormatFromPath(path: string): MeshFormat | undefined {
  const ext = /\.([A-Za-z]+)$/.exec(path)?.[1]?.toLowerCase();
  return MESH_FORMATS.find((f) => f === ext);
}

/** Options of {@link writeMesh}. */
export interface WriteMeshOptions {
  /** Binary encoding where the format has one (default true; OBJ is always text). */
  readonly binary?: boolean;
}

/** Encodes a mesh in `format`. */
export function writeMesh(
  mesh: TriangleMesh,
  format: MeshFormat,
  options: WriteMeshOptions = {},
): Uint8Array {
  const binary = options.binary ?? true;
  switch (format) {
    case 'stl':
      return binary ? writeStl(mesh) : writeStlAscii(mesh);
    case 'ply':
      return writePly(mesh, binary);
    case 'obj':
      return writeObj(mesh);
    case 'vtk':
      return writeVtkLegacy(mesh, binary);
    case 'vtp':
      return writeVtp(mesh, binary);
  }
}

/** Decodes a mesh in `format` (binary or text, whichever the file is). */
export function readMesh(bytes: Uint8Array, format: MeshFormat): TriangleMesh {
  switch (format) {
    case 'stl':
      return readStl(bytes);
    case 'ply':
      return readPly(bytes);
    case 'obj':
      return readObj(bytes);
    case 'vtk':
      return readVtkLegacy(bytes);
    case 'vtp':
      return readVtp(bytes);
  }
}

/** Throws `ERR_USAGE` for a path whose extension is not a mesh format. */
export function requireMeshFormat(path: string): MeshFormat {
  const format = meshFormatFromPath(path);
  if (format === undefined) {
    throw new PlatformError(
      'ERR_USAGE',
      `cannot tell the mesh format of "${path}": end the name with ${MESH_FORMATS.map((f) => `.${f}`).join(', ')}`,
    );
  }
  return format;
}
