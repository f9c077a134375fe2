import { PlatformError } from '../../core/index.js';
import { PARAM_COUNT, PI } from './kernels/lv-beat.js';

/**
 * Parameters of the open-loop LV model of science/cardiovascular.md §1.1: time-varying elastance
 * (double-Hill activation) with separate end-systolic and end-diastolic unstressed volumes, diode
 * mitral and aortic valves, a three-element Windkessel and a fixed atrial preload.
 * Units: mmHg, mL, s (elastance mmHg/mL, resistance mmHg·s/mL, compliance mL/mmHg).
 *
 * `P_lv = En·Emax·(V − V0es) + (1 − En)·P_ed(V)`, with `P_ed = Emin·(V − V0ed)` or, when both
 * `edpvrAlpha` and `edpvrBeta` are set, the exponential EDPVR `P_ed = β·(e^{α(V − V0ed)} − 1)`.
 */
export interface LvParams {
  /** Heart rate [beats/min]. */
  readonly hr: number;
  /** End-systolic elastance Emax (= Ees) [mmHg/mL]. */
  readonly emax: number;
  /** Diastolic elastance Emin [mmHg/mL] (linear EDPVR). */
  readonly emin: number;
  /** Unstressed volume of the ESPVR, V0es [mL]. */
  readonly v0es: number;
  /** Unstressed volume of the EDPVR, V0ed [mL]. */
  readonly v0ed: number;
  /** Left-atrial (venous) preload pressure P_la [mmHg]. */
  readonly pla: number;
  /** Mitral valve resistance R_mv [mmHg·s/mL]. */
  readonly rmv: number;
  /** Aortic valve resistance R_av [mmHg·s/mL]. */
  readonly rav: number;
  /** Characteristic impedance R_c [mmHg·s/mL]. */
  readonly rc: number;
  /** Peripheral resistance R_p [mmHg·s/mL]. */
  readonly rp: number;
  /** Total arterial compliance C [mL/mmHg]. */
  readonly c: number;
  /** Pressure downstream of R_p [mmHg]. */
  readonly pven: number;
  /** Exponential EDPVR stiffness α [1/mL] (with `edpvrBeta`, replaces the linear term). */
  readonly edpvrAlpha?: number;
  /** Exponential EDPVR scale β [mmHg] (with `edpvrAlpha`, replaces the linear term). */
  readonly edpvrBeta?: number;
}

/** Names of the numeric parameters of {@link LvParams}, the targets a drug effect can change. */
export const LV_PARAM_NAMES = [
  'hr',
  'emax',
  'emin',
  'v0es',
  'v0ed',
  'pla',
  'rmv',
  'rav',
  'rc',
  'rp',
  'c',
  'pven',
  'edpvrAlpha',
  'edpvrBeta',
] as const;

/** One parameter name of {@link LvParams}. */
export type LvParamName = (typeof LV_PARAM_NAMES)[number];

/**
 * "H75", the healthy reference of science/cardiovascular.md §1.2 (A) with the least-squares fitted
 * values (Emax 2.8466, P_la 6.6794, R_p 1.1135, C 1.5047): EDV 120, ESV 50, 120/80 mmHg at HR 75.
 */
export const H75: LvParams = {
  hr: 75,
  emax: 2.8466,
  emin: 0.06,
  v0es: 10,
  v0ed: 10,
  pla: 6.6794,
  rmv: 0.005,
  rav: 0.001,
  rc: 0.04,
  rp: 1.1135,
  c: 1.5047,
  pven: 0,
};

/** H75 with the rounded values of table A (Emax 2.85, P_la 6.7, R_p 1.11, C 1.50), §1.2–1.3. */
export const H75_ROUNDED: LvParams = { ...H75, emax: 2.85, pla: 6.7, rp: 1.11, c: 1.5 };

/**
 * Simaan et al. 2009 (IEEE TCST 17:15) LV and arterial values (§1.2 B) in this open-loop model:
 * Emax 2.0, Emin 0.06, V0 10, R_c 0.0398, R_p 1.0, C 1.33, HR 75. Simaan's model is closed loop;
 * the fixed preload P_la = 10 mmHg is an assumption of this open-loop variant, not a published value.
 */
export const SIMAAN_OPEN_LOOP: LvParams = {
  hr: 75,
  emax: 2.0,
  emin: 0.06,
  v0es: 10,
  v0ed: 10,
  pla: 10,
  rmv: 0.005,
  rav: 0.001,
  rc: 0.0398,
  rp: 1.0,
  c: 1.33,
  pven: 0,
};

/** Named parameter sets, for `--preset`. */
export const LV_PRESETS: Readonly<Record<string, LvParams>> = {
  h75: H75,
  'h75-rounded': H75_ROUNDED,
  'simaan-open': SIMAAN_OPEN_LOOP,
};

function need(ok: boolean, message: string): void {
  if (!ok) throw new PlatformError('ERR_SIMULATE_INPUT', message);
}

/**
 * Checks that a parameter set can be simulated: finite values, positive resistances, compliance
 * and elastances, HR in 20–250 bpm, EDPVR α and β both given or both absent.
 *
 * @throws `PlatformError` `ERR_SIMULATE_INPUT` naming the offending parameter.
 */
export function validateLvParams(params: LvParams): void {
  for (const name of LV_PARAM_NAMES) {
    const value = params[name];
    if (value === undefined) continue;
    need(Number.isFinite(value), `LV parameter ${name} is ${value}: give a finite number`);
  }
  need(params.hr >= 20 && params.hr <= 250, `heart rate ${params.hr} bpm is outside 20–250`);
  for (const name of ['emax', 'emin', 'rmv', 'rav', 'rp', 'c'] as const) {
    need(params[name] > 0, `LV parameter ${name} is ${params[name]}: it must be positive`);
  }
  need(params.rc >= 0, `LV parameter rc is ${params.rc}: it must not be negative`);
  need(
    (params.edpvrAlpha === undefined) === (params.edpvrBeta === undefined),
    'give both edpvrAlpha and edpvrBeta for the exponential EDPVR, or neither',
  );
  if (params.edpvrAlpha !== undefined && params.edpvrBeta !== undefined) {
    need(
      params.edpvrAlpha > 0 && params.edpvrBeta > 0,
      'edpvrAlpha and edpvrBeta must be positive',
    );
  }
}

/** Packs parameters into the kernel's vector (layout `PI` of kernels/lv-beat). */
export function packParams(params: LvParams, into = new Float64Array(PARAM_COUNT)): Float64Array {
  into[PI.emax] = params.emax;
  into[PI.emin] = params.emin;
  into[PI.v0es] = params.v0es;
  into[PI.v0ed] = params.v0ed;
  into[PI.pla] = params.pla;
  into[PI.rmv] = params.rmv;
  into[PI.rav] = params.rav;
  into[PI.rc] = params.rc;
  into[PI.rp] = params.rp;
  into[PI.c] = params.c;
  into[PI.pven] = params.pven;
  into[PI.edpvrAlpha] = params.edpvrAlpha ?? 0;
  into[PI.edpvrBeta] = params.edpvrAlpha === undefined ? 0 : (params.edpvrBeta ?? 0);
  return into;
}
