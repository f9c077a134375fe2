import { PlatformError } from '../../core/index.js';
import { validateLvParams } from '../lv/lv-params.js';
import type { LvParamName, LvParams } from '../lv/lv-params.js';
import { simulateLv } from '../lv/simulate-lv.js';
import type { LvResult, SimulateLvOptions } from '../lv/simulate-lv.js';
import type { DrugDefinition, DrugScenario, EffectOperation } from './drug-definition.js';

/** A source of standard normal variates (seeded in trials). */
export interface NormalSource {
  /** Next N(0, 1) sample. */
  normal(): number;
}

/** Options of {@link applyDrug}. */
export interface ApplyDrugOptions {
  /**
   * Which effects apply.
   * @defaultValue 'chronic'
   */
  readonly scenario?: DrugScenario;
  /**
   * Sample each effect as `value + sd·z` with z from this source, truncated at ±3 SD (one virtual
   * patient); absent: central values.
   */
  readonly random?: NormalSource;
}

/** One parameter change as applied. */
export interface AppliedChange {
  readonly parameter: LvParamName;
  readonly operation: EffectOperation;
  /** The (possibly sampled) ratio or amount applied. */
  readonly value: number;
  /** Parameter before. */
  readonly from: number;
  /** Parameter after. */
  readonly to: number;
  /** Citation of the effect. */
  readonly source: string;
}

/** A geometry (non-0D) effect as applied: reported, not simulated. */
export interface AppliedGeometry {
  readonly quantity: string;
  readonly unit: string;
  readonly operation: EffectOperation;
  /** The (possibly sampled) ratio or amount. */
  readonly value: number;
  readonly source: string;
  readonly note?: string;
}

/** Result of {@link applyDrug}. */
export interface AppliedDrug {
  /** Drug id. */
  readonly drug: string;
  readonly scenario: DrugScenario;
  /** Parameters after treatment. */
  readonly params: LvParams;
  readonly changes: readonly AppliedChange[];
  readonly geometry: readonly AppliedGeometry[];
}

function draw(value: number, sd: number | undefined, random: NormalSource | undefined): number {
  if (random === undefined || sd === undefined || sd === 0) return value;
  const z = Math.max(-3, Math.min(3, random.normal()));
  return value + sd * z;
}

/**
 * Applies a drug's parameter changes for one scenario (science/cardiovascular.md §2.2): each
 * effect multiplies its parameter or adds to it, in the order listed. With `random`, each effect
 * size is sampled from its uncertainty (one virtual patient).
 *
 * @throws `PlatformError` `ERR_SIMULATE_INPUT` when the result is not a valid parameter set
 * (e.g. an EDPVR effect on a model without one).
 */
export function applyDrug(
  params: LvParams,
  drug: DrugDefinition,
  options: ApplyDrugOptions = {},
): AppliedDrug {
  const scenario = options.scenario ?? 'chronic';
  let next: LvParams = params;
  const changes: AppliedChange[] = [];
  for (const effect of drug.effects) {
    if (!effect.scenarios.includes(scenario)) continue;
    const from = next[effect.parameter];
    if (from === undefined) {
      throw new PlatformError(
        'ERR_SIMULATE_INPUT',
        `drug ${drug.id} changes ${effect.parameter}, which this parameter set does not use (no exponential EDPVR)`,
      );
    }
    let value = draw(effect.value, effect.sd, options.random);
    if (effect.operation === 'multiply') value = Math.max(value, 0.05);
    const to = effect.operation === 'multiply' ? from * value : from + value;
    next = { ...next, [effect.parameter]: to };
    changes.push({
      parameter: effect.parameter,
      operation: effect.operation,
      value,
      from,
      to,
      source: effect.source,
    });
  }
  validateLvParams(next);
  const geometry = (drug.geometry ?? [])
    .filter((g) => g.scenarios.includes(scenario))
    .map((g) => ({
      quantity: g.quantity,
      unit: g.unit,
      operation: g.operation,
      value: draw(g.value, g.sd, options.random),
      source: g.source,
      ...(g.note === undefined ? {} : { note: g.note }),
    }));
  return { drug: drug.id, scenario, params: next, changes, geometry };
}

/** Change treated − baseline of the main outputs (same units as {@link LvResult}). */
export interface LvDelta {
  readonly edv: number;
  readonly esv: number;
  readonly sv: number;
  /** Ejection fraction change [percentage points]. */
  readonly ef: number;
  readonly sbp: number;
  readonly dbp: number;
  readonly map: number;
  readonly pp: number;
  readonly edp: number;
  readonly strokeWork: number;
  readonly ea: number;
  readonly ees: number;
  readonly eaOverEes: number;
  readonly co: number;
}

/** Treated − baseline for each output of {@link LvDelta}. */
export function lvDelta(baseline: LvResult, treated: LvResult): LvDelta {
  return {
    edv: treated.edv - baseline.edv,
    esv: treated.esv - baseline.esv,
    sv: treated.sv - baseline.sv,
    ef: treated.ef - baseline.ef,
    sbp: treated.sbp - baseline.sbp,
    dbp: treated.dbp - baseline.dbp,
    map: treated.map - baseline.map,
    pp: treated.pp - baseline.pp,
    edp: treated.edp - baseline.edp,
    strokeWork: treated.strokeWork - baseline.strokeWork,
    ea: treated.ea - baseline.ea,
    ees: treated.ees - baseline.ees,
    eaOverEes: treated.eaOverEes - baseline.eaOverEes,
    co: treated.co - baseline.co,
  };
}

/** Options of {@link simulateDrug}. */
export interface SimulateDrugOptions extends ApplyDrugOptions {
  /** Options of both steady-state runs (trace, dt, tolerance). */
  readonly simulate?: SimulateLvOptions;
  /** The baseline's steady beat, when already computed (skips the baseline run). */
  readonly baseline?: LvResult;
  /**
   * Post-treatment BP calibration (§2.3 lesson): refit R_p after the drug so that SBP changes by
   * this much [mmHg] against baseline (e.g. the trial-average −4), instead of trusting the
   * R_p multiplier.
   */
  readonly sbpChange?: number;
}

/** BP calibration done by {@link simulateDrug}. */
export interface SbpCalibration {
  /** Target SBP change [mmHg]. */
  readonly targetSbpChange: number;
  /** R_p after the drug's own effects [mmHg·s/mL]. */
  readonly rpFromEffects: number;
  /** R_p after calibration [mmHg·s/mL]. */
  readonly rpCalibrated: number;
}

/** Result of {@link simulateDrug}. */
export interface DrugOutcome {
  readonly applied: AppliedDrug;
  readonly baseline: LvResult;
  readonly treated: LvResult;
  readonly delta: LvDelta;
  readonly calibration?: SbpCalibration;
}

/**
 * Simulates a patient before and after a drug: baseline steady state, {@link applyDrug}, optional
 * SBP calibration of R_p (secant iteration on log R_p, to 0.01 mmHg), treated steady state.
 *
 * @throws `PlatformError` `ERR_SIMULATE_FIT` when the SBP target cannot be reached by R_p.
 *
 * @example
 * ```ts
 * const out = simulateDrug(fit.params, ENTRESTO, { scenario: 'chronic', sbpChange: -4 });
 * out.delta.ef; // EF change, percentage points
 * ```
 */
export function simulateDrug(
  params: LvParams,
  drug: DrugDefinition,
  options: SimulateDrugOptions = {},
): DrugOutcome {
  const run = options.simulate ?? {};
  const baseline = options.baseline ?? simulateLv(params, run);
  const applied = applyDrug(params, drug, options);
  const warm = { ...run, initialState: baseline.finalState };
  if (options.sbpChange === undefined) {
    const treated = simulateLv(applied.params, warm);
    return { applied, baseline, treated, delta: lvDelta(baseline, treated) };
  }
  const target = baseline.sbp + options.sbpChange;
  const quiet = { ...warm, traceEvery: 0 };
  let x0 = Math.log(applied.params.rp);
  let r0 = simulateLv(applied.params, quiet);
  let x1 = x0 + 0.05;
  let r1 = simulateLv(
    { ...applied.params, rp: Math.exp(x1) },
    { ...quiet, initialState: r0.finalState },
  );
  for (let i = 0; i < 30 && Math.abs(r1.sbp - target) > 0.01; i++) {
    const slope = (r1.sbp - r0.sbp) / (x1 - x0);
    if (!(slope > 0)) break;
    const x2 = x1 + Math.max(-0.7, Math.min(0.7, (target - r1.sbp) / slope));
    x0 = x1;
    r0 = r1;
    x1 = x2;
    r1 = simulateLv(
      { ...applied.params, rp: Math.exp(x1) },
      { ...quiet, initialState: r0.finalState },
    );
  }
  if (Math.abs(r1.sbp - target) > 0.05) {
    throw new PlatformError(
      'ERR_SIMULATE_FIT',
      `cannot reach an SBP change of ${options.sbpChange} mmHg by refitting R_p (best ${(r1.sbp - baseline.sbp).toFixed(2)}): choose a smaller change`,
    );
  }
  const calibratedParams: LvParams = { ...applied.params, rp: Math.exp(x1) };
  const treated = simulateLv(calibratedParams, { ...warm, initialState: r1.finalState });
  return {
    applied: { ...applied, params: calibratedParams },
    baseline,
    treated,
    delta: lvDelta(baseline, treated),
    calibration: {
      targetSbpChange: options.sbpChange,
      rpFromEffects: applied.params.rp,
      rpCalibrated: calibratedParams.rp,
    },
  };
}
