// Public API of reconstruct/fe.
export {
  FE_CELL_TYPE,
  FE_NODES_PER_CELL,
  HEX_FACES,
  WEDGE_FACES,
  feCellCount,
  feFacetNodes,
  feNodeCount,
  feRegionCells,
  feSurfaceNodes,
} from './fe-mesh.js';
export type { FeCellType, FeMesh, FeRegion } from './fe-mesh.js';
export { feSurfaceArea, meshLabelmapHex } from './mesh-labelmap-hex.js';
export type {
  FeOpening,
  FePlane,
  FeSmoothingOptions,
  LabelmapHexOptions,
  LabelmapHexResult,
} from './mesh-labelmap-hex.js';
export { feMeshCellQuality, feMeshQuality } from './fe-mesh-quality.js';
export type { FeCellQuality, FeQualityOptions, FeQualityReport } from './fe-mesh-quality.js';
export { sweepOGridMesh } from './sweep-ogrid.js';
export type {
  FeCenterlineBranch,
  FeJunction,
  SweptOGridOptions,
  SweptOGridResult,
} from './sweep-ogrid.js';
export { writeFeMeshVtu } from './write-fe-vtu.js';
export type { FeDataArray, WriteFeVtuOptions } from './write-fe-vtu.js';
export { writeFeMeshFeb } from './write-fe-feb.js';
export type { FebMaterial, WriteFeFebOptions } from './write-fe-feb.js';
export { writeFeMeshInp } from './write-fe-inp.js';
export type { WriteFeInpOptions } from './write-fe-inp.js';
