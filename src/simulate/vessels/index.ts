/**
 * Reduced-order carotid (and general vessel-tree) hemodynamics: Womersley impedance per harmonic,
 * Young–Tsai stenoses, Windkessel outlets, wall shear stress, TAWSS and OSI. Pure.
 * @packageDocumentation
 */
export type { VesselBranch, VesselPoint, VesselTree } from './vessel-tree.js';
export { arcLengthsMm, parseVesselTree } from './vessel-tree.js';
export type { GenericCarotidOptions } from './generic-carotid.js';
export { genericCarotidBifurcation } from './generic-carotid.js';
export type { StenosisPlacement, StenosisSpec } from './stenosis.js';
export { addStenosis, detectStenoses, referenceRadiusMm } from './stenosis.js';
export type { BloodProperties } from './hemodynamics.js';
export {
  DEFAULT_BLOOD,
  M3_PER_ML,
  M_PER_MM,
  PA_PER_MMHG,
  angularFrequency,
  poiseuillePressureGradient,
  poiseuilleWallShearStress,
  reynoldsNumber,
  taperedPoiseuilleResistance,
  womersleyNumber,
} from './hemodynamics.js';
export type { ComplexValue, WomersleyRatios } from './womersley.js';
export { womersleyImpedance, womersleyRatios, womersleyWallShearStress } from './womersley.js';
export type { StenosisGeometry, YoungTsaiCoefficients } from './young-tsai.js';
export {
  YOUNG_TSAI_KT,
  YOUNG_TSAI_KU,
  youngTsaiCoefficients,
  youngTsaiPressureDrop,
} from './young-tsai.js';
export type { InflowWaveform, InflowWaveformOptions, WaveformHarmonic } from './inflow-waveform.js';
export {
  CAROTID_INFLOW_SHAPE,
  DEFAULT_HEART_RATE_BPM,
  DEFAULT_MEAN_FLOW_ML_PER_S,
  DEFAULT_PULSATILITY_INDEX,
  createInflowWaveform,
  inflowAt,
} from './inflow-waveform.js';
export type { OutletSpec, WindkesselOutlet } from './outlets.js';
export { CCA_WINDKESSEL, DEFAULT_ICA_SHARE, defaultOutletShares, outletNames } from './outlets.js';
export type {
  BranchResult,
  CarotidSimulation,
  CarotidSimulationOptions,
  CarotidSolverInfo,
  CenterlinePointResult,
  SegmentResult,
  StenosisResult,
} from './simulate-carotid.js';
export { simulateCarotid } from './simulate-carotid.js';
export { carotidFlowSvg, carotidTawssOsiSvg, carotidWssSvg } from './carotid-svg.js';
