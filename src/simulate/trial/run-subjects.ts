import { isPlatformError, errorMessage } from '../../core/index.js';
import { simulateDrug } from '../drugs/apply-drug.js';
import type { DrugDefinition, DrugScenario } from '../drugs/drug-definition.js';
import type { LvParams } from '../lv/lv-params.js';
import { personalizeLv } from '../lv/personalize-lv.js';
import type { LvFit } from '../lv/personalize-lv.js';
import type { LvResult } from '../lv/simulate-lv.js';
import type { TrialSubject } from './cohort.js';
import { createTrialRandom } from './random.js';

/**
 * How each subject's baseline parameters are obtained: `fit` personalises the model to the
 * subject's measurements (Levenberg–Marquardt from the §1.4 starting values);
 * `sample-parameters` skips the fit and draws parameters around the reference fit (log-normal,
 * CV `parameterCv`), the cheap path for large sampled cohorts.
 */
export type BaselineMode = 'fit' | 'sample-parameters';

/** A batch of subjects for one worker (plain data: it crosses threads). */
export interface TrialJob {
  readonly subjects: readonly TrialSubject[];
  /** Index of the first subject in the whole cohort (seeds each subject's own stream). */
  readonly firstIndex: number;
  readonly drug: DrugDefinition;
  readonly scenario: DrugScenario;
  readonly seed: number;
  /** Sample each effect size from its uncertainty. */
  readonly sampleEffects: boolean;
  /** Post-treatment SBP calibration target [mmHg]. */
  readonly sbpChange?: number;
  readonly baseline: BaselineMode;
  /** Reference parameters (fit of the cohort's median subject): the sampling centre. */
  readonly reference: LvParams;
  /** Coefficient of variation of the sampled parameters (`sample-parameters`). */
  readonly parameterCv: number;
  /** RK4 step [s]. */
  readonly dt: number;
}

/** The outputs kept per subject and state (units as in `LvResult`; volumes indexed when BSA known). */
export interface SubjectState {
  readonly edv: number;
  readonly esv: number;
  readonly sv: number;
  readonly ef: number;
  readonly sbp: number;
  readonly dbp: number;
  readonly map: number;
  readonly pp: number;
  readonly edp: number;
  readonly ea: number;
  readonly ees: number;
  readonly eaOverEes: number;
  readonly co: number;
  readonly strokeWork: number;
  /** EDV/BSA [mL/m²], when BSA is known. */
  readonly edvi?: number;
  /** ESV/BSA [mL/m²], when BSA is known. */
  readonly esvi?: number;
}

/** One subject's trial outcome. */
export type SubjectOutcome =
  | {
      readonly id: string;
      readonly ok: true;
      readonly baseline: SubjectState;
      readonly treated: SubjectState;
      /** Treated − baseline of every field of {@link SubjectState}. */
      readonly delta: Readonly<Record<string, number>>;
      /** Geometry effects (e.g. LV mass index ratio), sampled. */
      readonly geometry: readonly {
        readonly quantity: string;
        readonly value: number;
        readonly unit: string;
        readonly operation: string;
      }[];
      /** Largest fit residual [mL or mmHg] (0 for sampled parameters). */
      readonly fitResidual: number;
      /** Steady-state runs spent on this subject. */
      readonly evaluations: number;
    }
  | {
      readonly id: string;
      readonly ok: false;
      /** Error code, e.g. `ERR_SIMULATE_FIT`. */
      readonly code: string;
      readonly reason: string;
    };

function state(r: LvResult, bsa: number | undefined): SubjectState {
  return {
    edv: r.edv,
    esv: r.esv,
    sv: r.sv,
    ef: r.ef,
    sbp: r.sbp,
    dbp: r.dbp,
    map: r.map,
    pp: r.pp,
    edp: r.edp,
    ea: r.ea,
    ees: r.ees,
    eaOverEes: r.eaOverEes,
    co: r.co,
    strokeWork: r.strokeWork,
    ...(bsa === undefined ? {} : { edvi: r.edv / bsa, esvi: r.esv / bsa }),
  };
}

function delta(a: SubjectState, b: SubjectState): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(b)) {
    const before = (a as unknown as Record<string, number | undefined>)[key];
    if (typeof value === 'number' && before !== undefined) out[key] = value - before;
  }
  return out;
}

/** Runs one subject: baseline parameters (fit or sampled), drug (effects sampled per subject), both steady states. */
export function runSubject(job: TrialJob, subject: TrialSubject, index: number): SubjectOutcome {
  // Stream 2i samples the cohort (sampleCohort), 2i + 1 this subject's parameters and effects.
  const random = createTrialRandom(job.seed, 2 * index + 1);
  const sim = { dt: job.dt, traceEvery: 0 } as const;
  try {
    let params: LvParams;
    let baseline: LvResult | undefined;
    let fitResidual = 0;
    let evaluations = 0;
    if (job.baseline === 'fit') {
      // Start from the §1.4 heuristics. A fit fails mostly when the pulse pressure is small for
      // the stroke volume (PP ≲ 26 mmHg with SV ≳ 60 mL): the default R_c (3.5 % of MAP/CO)
      // alone then makes too much pulse pressure, so retry once with R_c = 0.5 % of MAP/CO.
      let fit: LvFit;
      try {
        fit = personalizeLv(subject, { dt: job.dt });
      } catch (error) {
        if (!isPlatformError(error) || error.code !== 'ERR_SIMULATE_FIT') throw error;
        const map = subject.dbp + (subject.sbp - subject.dbp) / 3;
        const co = ((subject.edv - subject.esv) * subject.hr) / 60;
        fit = personalizeLv(subject, { dt: job.dt, fixed: { rc: (0.005 * map) / co } });
        evaluations += 40; // a rough count of the failed attempt
      }
      params = fit.params;
      baseline = fit.result;
      fitResidual = fit.maxResidual;
      evaluations += fit.evaluations;
    } else {
      const ln = (): number =>
        Math.exp(job.parameterCv * Math.max(-3, Math.min(3, random.normal())));
      const ref = job.reference;
      params = {
        ...ref,
        hr: subject.hr,
        emax: ref.emax * ln(),
        emin: ref.emin * ln(),
        pla: ref.pla * ln(),
        rp: ref.rp * ln(),
        c: ref.c * ln(),
      };
    }
    const outcome = simulateDrug(params, job.drug, {
      scenario: job.scenario,
      ...(job.sampleEffects ? { random } : {}),
      ...(baseline === undefined ? {} : { baseline }),
      ...(job.sbpChange === undefined ? {} : { sbpChange: job.sbpChange }),
      simulate: sim,
    });
    const before = state(outcome.baseline, subject.bsa);
    const after = state(outcome.treated, subject.bsa);
    return {
      id: subject.id,
      ok: true,
      baseline: before,
      treated: after,
      delta: delta(before, after),
      geometry: outcome.applied.geometry.map((g) => ({
        quantity: g.quantity,
        value: g.value,
        unit: g.unit,
        operation: g.operation,
      })),
      fitResidual,
      evaluations: evaluations + (baseline === undefined ? 2 : 1),
    };
  } catch (error) {
    return {
      id: subject.id,
      ok: false,
      code: isPlatformError(error) ? error.code : 'ERR_INTERNAL',
      reason: errorMessage(error),
    };
  }
}

/** Runs a batch (the body of a worker message, or of the in-thread path). */
export function runTrialJob(job: TrialJob): SubjectOutcome[] {
  return job.subjects.map((s, i) => runSubject(job, s, job.firstIndex + i));
}
