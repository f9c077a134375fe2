/**
 * Image-quality metrics of MR magnitude volumes: pure functions from `Volume`s (and 0/1 masks laid
 * out like `Volume.data`) to numbers. Definitions follow MRIQC, NEMA MS 1 and Wang & Bovik; each
 * function documents its exact formula, its degenerate cases and its sources.
 * @packageDocumentation
 */
export { otsuThreshold, OTSU_BINS } from './otsu.js';
export type { OtsuOptions, OtsuResult } from './otsu.js';
export { foregroundMask, foregroundOfObjects, backgroundMask, objectMask } from './masks.js';
export type { BackgroundMaskOptions } from './masks.js';
export { snrBackground, snrDifference, DIETRICH_FACTOR, RAYLEIGH_MEAN_FACTOR } from './snr.js';
export type { SnrBackgroundResult, SnrDifferenceResult } from './snr.js';
export { cnr } from './cnr.js';
export type { CnrResult } from './cnr.js';
export { efc } from './efc.js';
export { fber } from './fber.js';
export { ghostingRatio, MIN_GHOST_BAND_FRACTION } from './ghosting.js';
export { gradientRatio, localNoise } from './kernels/local-noise.js';
export type { LocalNoiseResult } from './kernels/local-noise.js';
export type { GhostingOptions, PhaseEncodingAxis } from './ghosting.js';
export { sharpness } from './sharpness.js';
export type { SharpnessResult } from './sharpness.js';
export { uqi } from './uqi.js';
export type { UqiOptions, UqiResult } from './uqi.js';
export { resampleToGrid, centreOfMass } from './resample.js';
export type { VolumeGeometry } from './resample.js';
export { computeSeriesMetrics } from './series-metrics.js';
export type { ReferenceAlignment, SeriesMetrics, SeriesMetricsOptions } from './series-metrics.js';
