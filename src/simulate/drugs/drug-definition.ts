import type { LvParamName } from '../lv/lv-params.js';

/**
 * When an effect applies: `acute` (haemodynamic effects on starting the drug) or `chronic`
 * (months: the acute effects plus reverse remodelling).
 */
export type DrugScenario = 'acute' | 'chronic';

/** The scenarios, for validation and help texts. */
export const DRUG_SCENARIOS: readonly DrugScenario[] = ['acute', 'chronic'];

/** How an effect changes its parameter: `value` multiplies it, or is added to it (in its unit). */
export type EffectOperation = 'multiply' | 'add';

/** One change of one LV model parameter. */
export interface DrugEffect {
  /** The `LvParams` field changed. */
  readonly parameter: LvParamName;
  /** Multiply by `value`, or add `value` (in the parameter's unit). */
  readonly operation: EffectOperation;
  /** Central value: a ratio for `multiply`, an amount for `add`. */
  readonly value: number;
  /**
   * Between-patient standard deviation of `value`, sampled normally in trials (same unit as
   * `value`); 0 or absent: no spread.
   */
  readonly sd?: number;
  /** Scenarios that include this effect. */
  readonly scenarios: readonly DrugScenario[];
  /** Where the size comes from (citation). */
  readonly source: string;
  /** Why this parameter stands for the clinical change, and any caveat. */
  readonly note?: string;
}

/** A change outside the 0D model, reported as is (e.g. LV mass for the 3D geometry). */
export interface GeometryEffect {
  /** Quantity, e.g. `lvMassIndex`. */
  readonly quantity: string;
  /** Unit of `value` for `add`, of the quantity otherwise (e.g. `g/m²`). */
  readonly unit: string;
  /** Multiply by `value` or add `value`. */
  readonly operation: EffectOperation;
  /** Central value. */
  readonly value: number;
  /** Between-patient standard deviation of `value`. */
  readonly sd?: number;
  /** Scenarios that include this effect. */
  readonly scenarios: readonly DrugScenario[];
  /** Citation. */
  readonly source: string;
  /** Caveats (population, how to apply it). */
  readonly note?: string;
}

/** A published mean change, for the side-by-side table of a trial report. */
export interface ReportedOutcome {
  /** Study name, e.g. `PROVE-HF`. */
  readonly study: string;
  /** Output compared: a field of the trial's per-patient deltas (`ef`, `edvi`, `esv`, `map`, …). */
  readonly metric: string;
  /** Reported mean (or median) change, in the metric's unit. */
  readonly delta: number;
  /** Unit of `delta`. */
  readonly unit: string;
  /** Scenario the comparison applies to. */
  readonly scenario: DrugScenario;
  /** Citation, and whether the value is a mean, a median or a between-group difference. */
  readonly source: string;
}

/** A drug of the effect library: parameter changes with sources, uncertainty and scenarios. */
export interface DrugDefinition {
  /** Identifier used on the command line (lower case, kebab-case). */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** Other names accepted by lookup (e.g. the brand name). */
  readonly aliases?: readonly string[];
  /** One paragraph: what the drug is and how its effects were mapped. */
  readonly description: string;
  /** LV model parameter changes. */
  readonly effects: readonly DrugEffect[];
  /** Non-0D effects, reported beside the simulation. */
  readonly geometry?: readonly GeometryEffect[];
  /**
   * Typical SBP change on treatment [mmHg], the default target of post-treatment BP calibration
   * (science/cardiovascular.md §2.3 lesson).
   */
  readonly typicalSbpChange?: { readonly value: number; readonly source: string };
  /** Published outcomes to compare simulated trials with. */
  readonly reported?: readonly ReportedOutcome[];
}
