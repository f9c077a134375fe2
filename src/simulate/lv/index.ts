/**
 * Left-ventricle model: time-varying elastance with double-Hill activation, diode valves and a
 * three-element Windkessel (science/cardiovascular.md §1), its personalisation to echo and cuff
 * measurements, and the PV-loop chart.
 * @packageDocumentation
 */
export { doubleHill } from './kernels/lv-beat.js';
export {
  H75,
  H75_ROUNDED,
  LV_PARAM_NAMES,
  LV_PRESETS,
  SIMAAN_OPEN_LOOP,
  validateLvParams,
} from './lv-params.js';
export type { LvParamName, LvParams } from './lv-params.js';
export { JOULES_PER_MMHG_ML, simulateLv } from './simulate-lv.js';
export type { LvResult, LvState, LvTrace, SimulateLvOptions } from './simulate-lv.js';
export { chenSingleBeatEes } from './chen-single-beat.js';
export type { ChenSingleBeatInput } from './chen-single-beat.js';
export { pcwpFromEOverEPrime, personalizeLv, validateLvMeasurements } from './personalize-lv.js';
export type {
  LvFit,
  LvFitResiduals,
  LvMeasurements,
  PersonalizeLvOptions,
} from './personalize-lv.js';
export { chartToSvg, pvLoopChart, rasterizeChart } from './pv-loop-chart.js';
export type { PvChart, PvChartPrimitive, PvChartOptions, PvLoopSeries } from './pv-loop-chart.js';
export type { RgbaImage } from './kernels/raster.js';
