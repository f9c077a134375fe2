/**
 * VTK cell type codes of the cells an {@link FeMesh} holds (VTK file formats, "Cell types";
 * `vtkCellType.h`): an 8-node hexahedron and a 6-node wedge (triangular prism).
 */
export const FE_CELL_TYPE = { hexahedron: 12, wedge: 13 } as const;

/** One of the {@link FE_CELL_TYPE} codes. */
export type FeCellType = (typeof FE_CELL_TYPE)[keyof typeof FE_CELL_TYPE];

/** Node slots per cell in {@link FeMesh.cells}: 8 for every cell, a wedge uses the first 6. */
export const FE_NODES_PER_CELL = 8;

/** A material region of an {@link FeMesh}: the id stored per cell, and its name. */
export interface FeRegion {
  /** Region id as stored in {@link FeMesh.regions} (for voxel meshes: the label value). */
  readonly id: number;
  /** Name used for element sets, FEBio parts and Abaqus element sets (`label_1`, `lumen`, `wall`). */
  readonly name: string;
}

/**
 * A volumetric finite-element mesh of linear hexahedra (and wedges), in patient coordinates
 * (LPS, millimetres).
 *
 * @remarks
 * Node order per cell is the VTK / Abaqus C3D8 order for hexahedra: nodes 0–3 one face,
 * counter-clockwise seen from the opposite face 4–7 (node `i + 4` above node `i`), so every cell has
 * a positive Jacobian. Wedges are stored in the Abaqus C3D6 / gmsh / FEBio `penta6` order (the
 * triangle 0–2 counter-clockwise seen from the triangle 3–5); the VTK writer permutes them to VTK's
 * order, whose first triangle faces outward.
 *
 * Surfaces are lists of (cell, local face) pairs; {@link HEX_FACES} and {@link WEDGE_FACES} give
 * the nodes of each local face with its normal pointing out of the cell. Local face `f` is Abaqus
 * face `S(f + 1)`.
 */
export interface FeMesh {
  /** Node coordinates, xyz interleaved, in millimetres (LPS). */
  readonly points: Float64Array;
  /** Node indices (0-based), {@link FE_NODES_PER_CELL} slots per cell. */
  readonly cells: Uint32Array;
  /** VTK cell type per cell ({@link FE_CELL_TYPE}). */
  readonly cellTypes: Uint8Array;
  /** Region id per cell (see {@link FeMesh.regionList}). */
  readonly regions: Uint16Array;
  /** The regions present, in id order. */
  readonly regionList: readonly FeRegion[];
  /** Named node sets: sorted 0-based node indices. */
  readonly nodeSets: Readonly<Record<string, Uint32Array>>;
  /** Named element sets: sorted 0-based cell indices. */
  readonly elementSets: Readonly<Record<string, Uint32Array>>;
  /** Named surfaces: (cell, local face) pairs, two entries per facet. */
  readonly surfaces: Readonly<Record<string, Uint32Array>>;
}

/**
 * Local faces of a hexahedron, outward normals (counter-clockwise seen from outside). Face `f` is
 * Abaqus C3D8 face `S(f + 1)`: bottom, top, then the sides 0-1, 1-2, 2-3, 3-0.
 */
// prettier-ignore
export const HEX_FACES: readonly (readonly number[])[] = [
  [0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7],
];

/**
 * Local faces of a wedge (Abaqus C3D6 order), outward normals. Face `f` is Abaqus face `S(f + 1)`:
 * the triangles 0-1-2 and 3-4-5, then the quadrilaterals on edges 0-1, 1-2, 2-0.
 */
// prettier-ignore
export const WEDGE_FACES: readonly (readonly number[])[] = [
  [0, 2, 1], [3, 4, 5], [0, 1, 4, 3], [1, 2, 5, 4], [2, 0, 3, 5],
];

/** Number of cells of a mesh. */
export function feCellCount(mesh: FeMesh): number {
  return mesh.cellTypes.length;
}

/** Number of nodes of a mesh. */
export function feNodeCount(mesh: FeMesh): number {
  return mesh.points.length / 3;
}

/** Node indices of one facet of a surface: 4 for a quadrilateral, 3 for a wedge's triangle. */
export function feFacetNodes(mesh: FeMesh, cell: number, face: number): number[] {
  const table = mesh.cellTypes[cell] === FE_CELL_TYPE.wedge ? WEDGE_FACES : HEX_FACES;
  const local = table[face] ?? [];
  const base = cell * FE_NODES_PER_CELL;
  return local.map((l) => mesh.cells[base + l] ?? 0);
}

/** The sorted, distinct nodes of a surface (its node set). */
export function feSurfaceNodes(mesh: FeMesh, surface: Uint32Array): Uint32Array {
  const seen = new Uint8Array(feNodeCount(mesh));
  for (let f = 0; f + 1 < surface.length; f += 2) {
    for (const n of feFacetNodes(mesh, surface[f] ?? 0, surface[f + 1] ?? 0)) seen[n] = 1;
  }
  let count = 0;
  for (const s of seen) count += s;
  const out = new Uint32Array(count);
  let k = 0;
  for (let n = 0; n < seen.length; n++) if (seen[n] === 1) out[k++] = n;
  return out;
}

/** The sorted cells whose region id is `regionId` (an element set). */
export function feRegionCells(mesh: FeMesh, regionId: number): Uint32Array {
  let count = 0;
  for (const r of mesh.regions) if (r === regionId) count++;
  const out = new Uint32Array(count);
  let k = 0;
  for (let c = 0; c < mesh.regions.length; c++) if (mesh.regions[c] === regionId) out[k++] = c;
  return out;
}
