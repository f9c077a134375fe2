/**
 * Carotid bifurcation from ultrasound masks: a generic parametric bifurcation (Bharadvaj et al.
 * 1982 proportions, with a plaque), its adaptation to longitudinal and transversal lumen/wall
 * masks with per-part provenance, watertight lumen and wall surfaces, centerlines with radii and
 * stenosis measurements (NASCET, ECST, plaque length, wall thickness).
 */
export {
  CAROTID_BRANCHES,
  carotidBranch,
  lumenDiameterMm,
  outerDiameterMm,
  sectionMaxWallThicknessMm,
} from './carotid-geometry.js';
export type {
  CarotidBranchGeometry,
  CarotidBranchName,
  CarotidBranchProvenance,
  CarotidGeometry,
  CarotidProvenance,
  CarotidSection,
  CarotidSide,
  CarotidSource,
} from './carotid-geometry.js';
export { CAROTID_MASK_LABELS, checkCarotidViews } from './carotid-views.js';
export type {
  CarotidLongitudinalView,
  CarotidTransversalView,
  CarotidViews,
} from './carotid-views.js';
export { CAROTID_GENERIC_DEFAULTS } from './generic-carotid.js';
export { genericCarotidGeometry } from './generic-carotid-geometry.js';
export type { CarotidGenericParameters, CarotidStenosisParameters } from './generic-carotid.js';
export { rasterizeCarotidViews } from './rasterize-carotid-views.js';
export type {
  RasterizeCarotidOptions,
  RasterLongitudinalSpec,
  RasterTransversalSpec,
} from './rasterize-carotid-views.js';
export { reconstructCarotid } from './reconstruct-carotid.js';
export type {
  CarotidReconstruction,
  CarotidViewReport,
  ReconstructCarotidOptions,
} from './reconstruct-carotid.js';
export { carotidMeasurements } from './carotid-measurements.js';
export type {
  CarotidMeasured,
  CarotidMeasurements,
  CutWallThickness,
} from './carotid-measurements.js';
export { carotidSurfaces } from './carotid-surfaces.js';
export type { CarotidSurfaceOptions, CarotidSurfaces } from './carotid-surfaces.js';
export { carotidCenterlines } from './carotid-centerlines.js';
export type {
  CarotidCenterlineBranch,
  CarotidCenterlineOptions,
  CarotidCenterlines,
} from './carotid-centerlines.js';
export { carotidMeshStats } from './carotid-mesh-stats.js';
export type { CarotidMeshStats } from './carotid-mesh-stats.js';
