/**
 * Synthetic carotid ultrasound with exact lumen and wall masks: `synthesizeCarotidUs` and the
 * 3D bifurcation model its views cut. Re-exported by `synth/index.ts`.
 * @packageDocumentation
 */
export { CAROTID_US_LAYOUT, synthesizeCarotidUs } from './synthesize-carotid-us.js';
export type { SynthCarotidUsOptions, SynthCarotidUsSummary } from './synthesize-carotid-us.js';
export { CAROTID_US_LABELS } from './carotid-truth.js';
export type {
  CarotidUsGroundTruth,
  CarotidUsImageTruth,
  CarotidUsPatientTruth,
} from './carotid-truth.js';
export { drawCarotidModel } from './carotid-model.js';
export type {
  CarotidArteryModel,
  CarotidBranch,
  CarotidBranchModel,
  CarotidPlaque,
  CarotidSide,
  JugularVeinModel,
  PlaqueEchogenicity,
} from './carotid-model.js';
export { ULTRASOUND_SCANNERS } from './scanners.js';
export type { ColourMap, UltrasoundScanner } from './scanners.js';
export { US_IMAGE_STORAGE, US_MULTIFRAME_IMAGE_STORAGE } from './us-headers.js';
export type { ViewKind, ViewTarget, ViewMeasurements, LongitudinalDiameter } from './views.js';
export type { FrameMotion } from './render-image.js';
export type { BmodeSettings } from './kernels/bmode.js';
