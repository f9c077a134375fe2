import { PlatformError } from '../../core/index.js';
import { chenSingleBeatEes } from './chen-single-beat.js';
import { H75 } from './lv-params.js';
import type { LvParams } from './lv-params.js';
import { simulateLv } from './simulate-lv.js';
import type { LvResult, LvState } from './simulate-lv.js';

/** Echo and cuff measurements of one patient, the inputs of {@link personalizeLv}. */
export interface LvMeasurements {
  /** End-diastolic volume [mL] (biplane Simpson or 3D). */
  readonly edv: number;
  /** End-systolic volume [mL]. */
  readonly esv: number;
  /** Systolic cuff pressure [mmHg]. */
  readonly sbp: number;
  /** Diastolic cuff pressure [mmHg]. */
  readonly dbp: number;
  /** Heart rate [beats/min]. */
  readonly hr: number;
  /** LV end-diastolic pressure [mmHg] (catheter or estimate); adds EDP to the fitted targets. */
  readonly edp?: number;
  /**
   * Mitral E/e′; used when `edp` is absent through Nagueh's `PCWP ≈ 1.24·(E/e′) + 1.9` mmHg as
   * the EDP target.
   */
  readonly eOverEPrime?: number;
  /**
   * End-systolic elastance [mmHg/mL] measured otherwise (e.g. non-invasive PV analysis): fixes
   * Emax and frees the unstressed volume V0 instead.
   */
  readonly ees?: number;
}

/** Options of {@link personalizeLv}. */
export interface PersonalizeLvOptions {
  /**
   * Values of the parameters that are not fitted. Defaults: H75's valves (R_mv 0.005, R_av 0.001),
   * Emin 0.06, V0es = V0ed = 10 mL, P_ven 0, and R_c = 3.5 % of `MAP/CO` (H75: 0.04/1.15).
   */
  readonly fixed?: Partial<Omit<LvParams, 'hr'>>;
  /**
   * With an EDP target: fit Emin (`'emin'`, single-V0 model) or the EDPVR unstressed volume V0ed
   * with Emin fixed (`'v0ed'`, two-V0 model of §1.1).
   * @defaultValue 'emin'
   */
  readonly diastole?: 'emin' | 'v0ed';
  /**
   * RK4 step [s]. 5e-4 s reproduces H75 within 0.01 mL and 0.01 mmHg of dt = 1e-4 s.
   * @defaultValue 5e-4
   */
  readonly dt?: number;
  /**
   * Largest accepted |model − measurement| [mL or mmHg]; beyond it `ERR_SIMULATE_FIT`.
   * @defaultValue 0.5
   */
  readonly tolerance?: number;
  /**
   * Levenberg–Marquardt iterations at most.
   * @defaultValue 40
   */
  readonly maxIterations?: number;
  /** Starting parameters (e.g. a previous fit); default from the heuristics of §1.4. */
  readonly start?: LvParams;
}

/** Residuals model − measurement of a fit [mL, mmHg]. */
export interface LvFitResiduals {
  readonly edv: number;
  readonly esv: number;
  readonly sbp: number;
  readonly dbp: number;
  /** Present when EDP (or E/e′) was a target. */
  readonly edp?: number;
}

/** Result of {@link personalizeLv}. */
export interface LvFit {
  /** The personalised parameters. */
  readonly params: LvParams;
  /** The steady beat of `params` (no trace). */
  readonly result: LvResult;
  /** Model − measurement. */
  readonly residuals: LvFitResiduals;
  /** Largest absolute residual [mL or mmHg]. */
  readonly maxResidual: number;
  /** Names of the fitted parameters. */
  readonly fitted: readonly string[];
  /** The starting point (§1.4 heuristics). */
  readonly start: LvParams;
  /** Chen single-beat Ees of the measurements [mmHg/mL], for reference (underestimates here). */
  readonly chenEes: number;
  /** EDP target used [mmHg], when one was (given, or from E/e′). */
  readonly edpTarget?: number;
  /** Levenberg–Marquardt iterations. */
  readonly iterations: number;
  /** Model evaluations (steady-state runs). */
  readonly evaluations: number;
}

function fail(message: string): never {
  throw new PlatformError('ERR_SIMULATE_INPUT', message);
}

/**
 * Checks measurements for plausibility before fitting.
 *
 * @throws `PlatformError` `ERR_SIMULATE_INPUT` saying which value is wrong and why.
 */
export function validateLvMeasurements(m: LvMeasurements): void {
  const fields = ['edv', 'esv', 'sbp', 'dbp', 'hr', 'edp', 'eOverEPrime', 'ees'] as const;
  for (const f of fields) {
    const value = m[f];
    if (value !== undefined && !Number.isFinite(value))
      fail(`${f} is ${String(value)}: give a finite number`);
  }
  if (m.edv < 20 || m.edv > 600) fail(`EDV ${m.edv} mL is outside 20–600 mL: check the units`);
  if (m.esv < 5) fail(`ESV ${m.esv} mL is below 5 mL: check the units`);
  if (m.esv >= m.edv)
    fail(`ESV ${m.esv} mL is not below EDV ${m.edv} mL: the ventricle must eject (swap them?)`);
  if (m.dbp >= m.sbp)
    fail(`DBP ${m.dbp} mmHg is not below SBP ${m.sbp} mmHg: swap them or check the reading`);
  const pp = m.sbp - m.dbp;
  if (pp < 10 || pp > 150)
    fail(`pulse pressure ${pp} mmHg (SBP − DBP) is outside 10–150 mmHg: check the cuff values`);
  if (m.sbp > 300 || m.dbp < 20)
    fail(`blood pressure ${m.sbp}/${m.dbp} mmHg is outside 20–300 mmHg`);
  if (m.hr < 30 || m.hr > 200) fail(`heart rate ${m.hr} bpm is outside 30–200 bpm`);
  if (m.edp !== undefined && (m.edp < 1 || m.edp > 60))
    fail(`EDP ${m.edp} mmHg is outside 1–60 mmHg`);
  if (m.eOverEPrime !== undefined && (m.eOverEPrime < 2 || m.eOverEPrime > 40))
    fail(`E/e′ ${m.eOverEPrime} is outside 2–40`);
  if (m.ees !== undefined && (m.ees <= 0.05 || m.ees > 10))
    fail(`Ees ${m.ees} mmHg/mL is outside 0.05–10 mmHg/mL`);
}

/** Nagueh et al.: `PCWP ≈ 1.24·(E/e′) + 1.9` mmHg (science/cardiovascular.md §1.4 step 4). */
export function pcwpFromEOverEPrime(eOverEPrime: number): number {
  return 1.24 * eOverEPrime + 1.9;
}

/** One fitted parameter: how to read and write it and whether it lives in log space. */
interface FreeParam {
  readonly name: string;
  readonly log: boolean;
  get(p: LvParams): number;
  set(p: LvParams, value: number): LvParams;
}

const free = (name: 'emax' | 'emin' | 'pla' | 'rp' | 'c' | 'v0ed'): FreeParam => ({
  name,
  log: name !== 'v0ed',
  get: (p) => p[name],
  set: (p, value) => ({ ...p, [name]: value }),
});

/** The unstressed volume of the single-V0 model: V0es and V0ed move together. */
const V0_TIED: FreeParam = {
  name: 'v0',
  log: false,
  get: (p) => p.v0es,
  set: (p, value) => ({ ...p, v0es: value, v0ed: value }),
};
const V0ES: FreeParam = {
  name: 'v0es',
  log: false,
  get: (p) => p.v0es,
  set: (p, value) => ({ ...p, v0es: value }),
};

/** Solves the small dense system `A·x = b` (Gaussian elimination, partial pivoting); null if singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(m[r]?.[col] ?? 0) > Math.abs(m[pivot]?.[col] ?? 0)) pivot = r;
    }
    const pr = m[pivot];
    const cr = m[col];
    if (pr === undefined || cr === undefined) return null;
    m[pivot] = cr;
    m[col] = pr;
    const diag = pr[col] ?? 0;
    if (Math.abs(diag) < 1e-300) return null;
    for (let r = col + 1; r < n; r++) {
      const row = m[r];
      if (row === undefined) continue;
      const f = (row[col] ?? 0) / diag;
      for (let c = col; c <= n; c++) row[c] = (row[c] ?? 0) - f * (pr[c] ?? 0);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r];
    if (row === undefined) return null;
    let sum = row[n] ?? 0;
    for (let c = r + 1; c < n; c++) sum -= (row[c] ?? 0) * (x[c] ?? 0);
    x[r] = sum / (row[r] ?? 1);
  }
  return x.every(Number.isFinite) ? x : null;
}

/**
 * Personalises the LV model to one patient's echo volumes and cuff pressures
 * (science/cardiovascular.md §1.4): starting values from the §1.4 heuristics, then a
 * Levenberg–Marquardt least-squares fit of the steady-state model outputs [EDV, ESV, SBP, DBP]
 * (and EDP when given or estimated from E/e′) to the measurements.
 *
 * @remarks
 * Fitted parameters: Emax (or, when `ees` is given, the unstressed volume V0), P_la, R_p, C, and
 * with an EDP target also Emin (or V0ed, `diastole: 'v0ed'`). Positive parameters are fitted in
 * log space so they stay positive; V0 linearly. The Jacobian is by forward differences once,
 * then kept current by Broyden rank-one updates (refreshed when a step fails); each model
 * evaluation is warm-started from the previous steady state and made periodic by Newton shooting.
 * A fit typically costs 8–12 steady-state runs of about 8 beats (a few ms unloaded). Stops when
 * every residual is below 0.005 mL/mmHg.
 *
 * @throws `PlatformError` `ERR_SIMULATE_INPUT` for implausible measurements (see
 * {@link validateLvMeasurements}); `ERR_SIMULATE_FIT` when the best fit misses a target by more
 * than `tolerance`.
 *
 * @example
 * ```ts
 * const fit = personalizeLv({ edv: 120, esv: 50, sbp: 120, dbp: 80, hr: 75 });
 * fit.params.emax; // ≈ 2.85 mmHg/mL
 * ```
 */
export function personalizeLv(m: LvMeasurements, options: PersonalizeLvOptions = {}): LvFit {
  validateLvMeasurements(m);
  const dt = options.dt ?? 5e-4;
  const tolerance = options.tolerance ?? 0.5;
  const maxIterations = options.maxIterations ?? 40;
  const edpTarget =
    m.edp ?? (m.eOverEPrime === undefined ? undefined : pcwpFromEOverEPrime(m.eOverEPrime));
  const diastole = options.diastole ?? 'emin';

  // §1.4 step 1: derived values.
  const sv = m.edv - m.esv;
  const ef = sv / m.edv;
  const map = m.dbp + (m.sbp - m.dbp) / 3;
  const coMlPerS = (sv * m.hr) / 60;
  const rTotal = map / coMlPerS;
  const pes = 0.9 * m.sbp;
  const chenEes = chenSingleBeatEes({ sbp: m.sbp, dbp: m.dbp, sv, ef });

  const fixed = options.fixed ?? {};
  const rc = fixed.rc ?? 0.035 * rTotal;
  let v0es = fixed.v0es ?? 10;
  let v0ed = fixed.v0ed ?? 10;
  let emax: number;
  if (m.ees === undefined) {
    // ESPVR through the end-systolic point (Pes ≈ 0.9·SBP) with V0 fixed; Chen underestimates here.
    emax = pes / Math.max(m.esv - v0es, 5);
  } else {
    emax = m.ees;
    // §1.4 step 3: V0 = ESV − Pes/Ees (may be negative in dilated ventricles).
    v0es = fixed.v0es ?? m.esv - pes / m.ees;
    if (diastole === 'emin' && fixed.v0ed === undefined) v0ed = v0es;
  }
  let emin = fixed.emin ?? H75.emin;
  let pla: number;
  if (edpTarget === undefined) {
    pla = Math.max(emin * (m.edv - v0ed), 1);
  } else {
    pla = edpTarget;
    if (diastole === 'emin') emin = fixed.emin ?? edpTarget / Math.max(m.edv - v0ed, 10);
    else v0ed = fixed.v0ed ?? m.edv - edpTarget / emin;
  }
  const start: LvParams = {
    hr: m.hr,
    emax,
    emin,
    v0es,
    v0ed,
    pla,
    rmv: fixed.rmv ?? H75.rmv,
    rav: fixed.rav ?? H75.rav,
    rc,
    rp: Math.max(rTotal - rc, 0.05),
    // §1.4 step 5: SV/PP overestimates C (H75: 1.75 against 1.50).
    c: (0.86 * sv) / (m.sbp - m.dbp),
    pven: fixed.pven ?? 0,
    ...(fixed.edpvrAlpha === undefined ? {} : { edpvrAlpha: fixed.edpvrAlpha }),
    ...(fixed.edpvrBeta === undefined ? {} : { edpvrBeta: fixed.edpvrBeta }),
  };

  const params: FreeParam[] = [];
  if (m.ees === undefined) params.push(free('emax'));
  else params.push(diastole === 'emin' && options.fixed?.v0ed === undefined ? V0_TIED : V0ES);
  params.push(free('pla'), free('rp'), free('c'));
  if (edpTarget !== undefined) params.push(diastole === 'emin' ? free('emin') : free('v0ed'));
  const targets = [m.edv, m.esv, m.sbp, m.dbp];
  if (edpTarget !== undefined) targets.push(edpTarget);

  const toTheta = (p: LvParams): number[] =>
    params.map((f) => (f.log ? Math.log(f.get(p)) : f.get(p)));
  const fromTheta = (theta: readonly number[]): LvParams =>
    params.reduce<LvParams>((p, f, i) => {
      const t = theta[i] ?? 0;
      return f.set(p, f.log ? Math.exp(t) : t);
    }, options.start ?? start);

  let evaluations = 0;
  let warm: LvState | undefined;
  const evaluate = (theta: readonly number[]): { r: number[]; result: LvResult } | null => {
    evaluations++;
    try {
      const result = simulateLv(fromTheta(theta), {
        dt,
        tolerance: 1e-5,
        traceEvery: 0,
        maxBeats: 300,
        ...(warm === undefined ? {} : { initialState: warm }),
      });
      const out = [result.edv, result.esv, result.sbp, result.dbp, result.edp];
      return { r: targets.map((t, i) => (out[i] ?? 0) - t), result };
    } catch (error) {
      if (error instanceof PlatformError && error.code === 'ERR_SIMULATE_NOT_STEADY') return null;
      throw error;
    }
  };
  const cost = (r: readonly number[]): number => r.reduce((s, x) => s + x * x, 0);

  let theta = toTheta(options.start ?? start);
  let current = evaluate(theta);
  if (current === null) {
    throw new PlatformError(
      'ERR_SIMULATE_FIT',
      'the starting parameters of the fit give no steady state: check the measurements',
    );
  }
  warm = current.result.finalState;
  let lambda = 1e-3;
  let iterations = 0;
  const n = params.length;
  const m2 = targets.length;
  // Forward-difference Jacobian in θ; between refreshes it is kept current by Broyden updates,
  // which saves n model runs per iteration near the solution.
  const jacobian = (r0: readonly number[]): number[][] | null => {
    const jac: number[][] = targets.map(() => new Array<number>(n).fill(0));
    for (let j = 0; j < n; j++) {
      const h = params[j]?.log === true ? 1e-4 : 1e-3;
      const probe = [...theta];
      probe[j] = (probe[j] ?? 0) + h;
      const e = evaluate(probe);
      if (e === null) return null;
      for (let i = 0; i < m2; i++) {
        const row = jac[i];
        if (row !== undefined) row[j] = ((e.r[i] ?? 0) - (r0[i] ?? 0)) / h;
      }
    }
    return jac;
  };
  let jac: number[][] | null = null;
  let fresh = false;
  for (; iterations < maxIterations; iterations++) {
    const r0 = current.r;
    if (Math.max(...r0.map(Math.abs)) < 0.005) break;
    if (jac === null) {
      jac = jacobian(r0);
      fresh = true;
      if (jac === null) break;
    }
    const jt = jac;
    const jtj = Array.from({ length: n }, (_, a) =>
      Array.from({ length: n }, (_, b) =>
        jt.reduce((sum, row) => sum + (row[a] ?? 0) * (row[b] ?? 0), 0),
      ),
    );
    const jtr = Array.from({ length: n }, (_, a) =>
      jt.reduce((sum, row, i) => sum + (row[a] ?? 0) * (r0[i] ?? 0), 0),
    );
    let improved = false;
    for (let attempt = 0; attempt < (fresh ? 8 : 2); attempt++) {
      const damped = jtj.map((row, a) =>
        row.map((v, b) => (a === b ? v * (1 + lambda) + 1e-12 : v)),
      );
      const step = solve(
        damped,
        jtr.map((v) => -v),
      );
      if (step === null) {
        lambda *= 10;
        continue;
      }
      // Keep each log-step within ×/÷ 2 and V0 steps within 40 mL: the model is only piecewise smooth.
      const scale = Math.min(
        1,
        ...step.map((x, j) => (params[j]?.log === true ? 0.7 : 40) / Math.max(Math.abs(x), 1e-300)),
      );
      const dTheta = step.map((x) => scale * x);
      const trial = theta.map((t, j) => t + (dTheta[j] ?? 0));
      const next = evaluate(trial);
      if (next !== null && cost(next.r) < cost(r0)) {
        // Broyden's rank-one update: J += (Δr − J·Δθ)·Δθᵀ / (Δθᵀ·Δθ).
        const norm2 = dTheta.reduce((sum, x) => sum + x * x, 0);
        if (norm2 > 0) {
          for (let i = 0; i < m2; i++) {
            const row = jt[i];
            if (row === undefined) continue;
            const predicted = row.reduce((sum, v, j) => sum + v * (dTheta[j] ?? 0), 0);
            const miss = (next.r[i] ?? 0) - (r0[i] ?? 0) - predicted;
            for (let j = 0; j < n; j++) row[j] = (row[j] ?? 0) + (miss * (dTheta[j] ?? 0)) / norm2;
          }
        }
        fresh = false;
        theta = trial;
        current = next;
        warm = next.result.finalState;
        lambda = Math.max(lambda / 5, 1e-7);
        improved = true;
        break;
      }
      lambda *= 8;
    }
    if (!improved) {
      if (fresh) break;
      jac = null; // a stale Broyden Jacobian: refresh it and try again
    }
  }

  const best = fromTheta(theta);
  const r = current.r;
  const residuals: LvFitResiduals = {
    edv: r[0] ?? 0,
    esv: r[1] ?? 0,
    sbp: r[2] ?? 0,
    dbp: r[3] ?? 0,
    ...(edpTarget === undefined ? {} : { edp: r[4] ?? 0 }),
  };
  const maxResidual = Math.max(...r.map(Math.abs));
  if (!(maxResidual <= tolerance)) {
    const names = ['EDV', 'ESV', 'SBP', 'DBP', 'EDP'];
    const detail = r.map((x, i) => `${names[i] ?? '?'} ${x.toFixed(2)}`).join(', ');
    throw new PlatformError(
      'ERR_SIMULATE_FIT',
      `the LV model cannot reproduce the measurements within ${tolerance} mL/mmHg (residuals ${detail}); check them, or raise the tolerance`,
    );
  }
  return {
    params: best,
    result: current.result,
    residuals,
    maxResidual,
    fitted: params.map((f) => f.name),
    start,
    chenEes,
    ...(edpTarget === undefined ? {} : { edpTarget }),
    iterations,
    evaluations,
  };
}
