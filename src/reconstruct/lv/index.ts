/**
 * Left-ventricle geometry: volumes from echo masks (biplane method of discs, area–length) and
 * short-axis MR stacks (Simpson's summation), EDV/ESV/SV/EF and myocardial mass over a cycle,
 * truncated-ellipsoid fits, and watertight LV surfaces.
 */
export { findLongAxis } from './lv-long-axis.js';
export type { LvLongAxis, Point2 } from './lv-long-axis.js';
export {
  SIMPSON_DISCS,
  areaLengthVolume,
  biplaneVolume,
  measureDiscs,
  singlePlaneDiscVolume,
} from './method-of-discs.js';
export type { BiplaneVolume, DiscMeasurement, DiscOptions } from './method-of-discs.js';
export { labelMask } from './labels.js';
export { MYOCARDIAL_DENSITY_G_PER_ML, echoLvFunction, shortAxisLvFunction } from './lv-function.js';
export type { EchoLvFunction, LvFunction, LvLabels, LvWall } from './lv-function.js';
export { shortAxisStackVolume, shortAxisSurface } from './short-axis-stack.js';
export type {
  ShortAxisOptions,
  StackSurfaceOptions,
  StackVolume,
  StackVolumeOptions,
} from './short-axis-stack.js';
export {
  fitTruncatedEllipsoid,
  truncatedEllipsoidLength,
  truncatedEllipsoidMesh,
  truncatedEllipsoidVolume,
} from './truncated-ellipsoid.js';
export type {
  EllipsoidFit,
  EllipsoidMeshOptions,
  TruncatedEllipsoid,
} from './truncated-ellipsoid.js';
export { loftContours } from './loft-contours.js';
export type { LoftOptions } from './loft-contours.js';
export { ellipsoidSectionMask } from './ellipsoid-phantom.js';
export type { PhantomLayer, SectionOptions } from './ellipsoid-phantom.js';
