/**
 * Simulation stage: the left-ventricle time-varying elastance model and its personalization, the
 * drug-effect library, in-silico trials, and reduced-order carotid hemodynamics. Pure.
 */
export * from './lv/index.js';
export * from './drugs/index.js';
export * from './trial/index.js';
export * from './vessels/index.js';
