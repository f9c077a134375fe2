/**
 * Surfaces from label volumes: crack-free marching cubes, windowed-sinc smoothing, decimation,
 * topology checks and measures, plus analytic phantoms to validate them. Mesh file formats are in
 * `../mesh-io/` and re-exported here.
 */
export {
  extractIsosurface,
  labelSurface,
  labelSurfaces,
  labelsOf,
  LABEL_SURFACE_DEFAULTS,
} from './isosurface.js';
export type { LabelledSurface, LabelSurfaceOptions } from './isosurface.js';
export { smoothMesh } from './smooth-mesh.js';
export type { SmoothMeshOptions } from './smooth-mesh.js';
export { decimateMesh } from './decimate-mesh.js';
export type { DecimatedMesh, DecimateMeshOptions } from './decimate-mesh.js';
export { keepLargestComponent, meshComponents, selectComponents } from './mesh-components.js';
export type { MeshComponents } from './mesh-components.js';
export { orientOutward } from './orient-outward.js';
export {
  checkWatertight,
  eulerCharacteristic,
  measureMesh,
  meshArea,
  meshBounds,
  meshVolume,
} from './kernels/mesh-measures.js';
export type { MeshMeasures, WatertightReport } from './kernels/mesh-measures.js';
export { vertexNormals } from './kernels/vertex-normals.js';
export {
  cylinderShape,
  ellipsoidShape,
  phantomLabelmap,
  sampleMeasures,
  sphereShape,
  tubeUnionShape,
} from './kernels/phantoms.js';
export type {
  AnalyticShape,
  CapsuleSegment,
  PhantomGrid,
  SurfaceSample,
} from './kernels/phantoms.js';
export { surfaceDistance } from './surface-distance.js';
export type { DistanceReference, SurfaceDistance } from './surface-distance.js';
export * from '../mesh-io/index.js';
