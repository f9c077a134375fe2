/**
 * Drug-effect library: drugs as data (parameter changes of the LV model with sources,
 * uncertainty and scenarios), user drug files, and before/after simulation.
 * @packageDocumentation
 */
export { DRUG_SCENARIOS } from './drug-definition.js';
export type {
  DrugDefinition,
  DrugEffect,
  DrugScenario,
  EffectOperation,
  GeometryEffect,
  ReportedOutcome,
} from './drug-definition.js';
export { BUILTIN_DRUGS, ENTRESTO, VALSARTAN } from './builtin-drugs.js';
export { findDrug, parseDrugDefinition, parseDrugText } from './parse-drug.js';
export { applyDrug, lvDelta, simulateDrug } from './apply-drug.js';
export type {
  AppliedChange,
  AppliedDrug,
  AppliedGeometry,
  ApplyDrugOptions,
  DrugOutcome,
  LvDelta,
  NormalSource,
  SbpCalibration,
  SimulateDrugOptions,
} from './apply-drug.js';
