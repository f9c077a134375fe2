/**
 * Hot loop of the left-ventricle model: one cardiac beat of the time-varying elastance LV with
 * diode valves and a three-element Windkessel, integrated with fixed-step classical RK4
 * (science/cardiovascular.md §1.1). Parameters and state are packed in `Float64Array`s so that a
 * step allocates nothing; the activation `En(t)` is tabulated once per (HR, dt), because it is the
 * same for every beat and its two `Math.pow` calls would otherwise dominate a step.
 */

/** Index of each parameter in the packed parameter vector (see {@link packParams} in lv-params). */
export const PI = {
  emax: 0,
  emin: 1,
  v0es: 2,
  v0ed: 3,
  pla: 4,
  rmv: 5,
  rav: 6,
  rc: 7,
  rp: 8,
  c: 9,
  pven: 10,
  /** EDPVR stiffness α [1/mL]; used only when `edpvrBeta > 0`. */
  edpvrAlpha: 11,
  /** EDPVR scale β [mmHg]; 0 selects the linear diastolic term `Emin·(V − V0ed)`. */
  edpvrBeta: 12,
} as const;

/** Length of the packed parameter vector. */
export const PARAM_COUNT = 13;

/** Index of each per-beat statistic written by {@link runBeat}. */
export const SI = {
  /** Maximum LV volume [mL] (EDV). */
  maxV: 0,
  /** Minimum LV volume [mL] (ESV). */
  minV: 1,
  /** Maximum aortic pressure [mmHg] (SBP). */
  maxPao: 2,
  /** Minimum aortic pressure [mmHg] (DBP). */
  minPao: 3,
  /** Time mean of the aortic pressure over the beat [mmHg] (MAP). */
  meanPao: 4,
  /** LV pressure at the sample of maximum volume [mmHg] (EDP). */
  edp: 5,
  /** Loop area `|∮ P dV|` by the shoelace formula over the step samples [mmHg·mL]. */
  strokeWork: 6,
  /** LV pressure at the end-systolic point, the sample maximising `P/(V − V0es)` [mmHg]. */
  pes: 7,
  /** LV volume at the end-systolic point [mL]. */
  ves: 8,
  /** Volume through the mitral valve over the beat, RK4-weighted `∫ Q_mv dt` [mL]. */
  qmvVolume: 9,
  /** Volume through the aortic valve over the beat, RK4-weighted `∫ Q_av dt` [mL]. */
  qavVolume: 10,
  /** Maximum LV pressure [mmHg]. */
  maxPlv: 11,
  /** Time of the maximum volume within the beat [s]. */
  tEd: 12,
  /** Time of the end-systolic point within the beat [s]. */
  tEs: 13,
} as const;

/** Length of the statistics vector. */
export const STAT_COUNT = 14;

/** Channels of a recorded beat, in this order, each `samples` long. */
export const RECORD_CHANNELS = 6;

/**
 * Double-Hill normalised elastance (Stergiopulos 1996, as used by Simaan 2009):
 * `En = 1.55 · [(tn/0.7)^1.9 / (1 + (tn/0.7)^1.9)] · 1 / (1 + (tn/1.17)^21.9)`, maximum ≈ 1.
 *
 * @param tn - time since the start of the beat divided by `Tmax` (dimensionless, ≥ 0)
 */
export function doubleHill(tn: number): number {
  if (tn <= 0) return 0;
  const a = Math.pow(tn / 0.7, 1.9);
  const b = Math.pow(tn / 1.17, 21.9);
  return (1.55 * (a / (1 + a))) / (1 + b);
}

/**
 * Tabulates `En` at every half step of one beat: entry `2k` is `En(k·dt)`, entry `2k + 1` is
 * `En((k + ½)·dt)`, for `k = 0 … steps` (length `2·steps + 1`). `Tmax = 0.2 + 0.15·T`.
 *
 * @param period - beat length T [s]
 * @param steps - RK4 steps per beat; `dt = period / steps`
 */
export function activationTable(period: number, steps: number): Float64Array {
  const dt = period / steps;
  const tmax = 0.2 + 0.15 * period;
  const table = new Float64Array(2 * steps + 1);
  for (let i = 0; i <= 2 * steps; i++) table[i] = doubleHill((i * 0.5 * dt) / tmax);
  return table;
}

/**
 * Integrates one beat from `state = [V, Pc]` (updated in place to the state at the end of the
 * beat), writing the beat's statistics ({@link SI}) into `stats`. When `record` is given (length
 * `RECORD_CHANNELS · samples`, `samples = floor(steps / every) + 1`), it receives the channels
 * t [s], P_lv [mmHg], V [mL], P_ao [mmHg], Q_mv [mL/s], Q_av [mL/s] at every `every`-th step,
 * both beat ends included.
 *
 * Stats are taken at the step points (k = 0 … steps − 1, the beat being periodic at steady state);
 * flow volumes use the RK4 weights, so `qmvVolume − qavVolume` equals the volume change exactly.
 */
export function runBeat(
  p: Float64Array,
  en: Float64Array,
  steps: number,
  period: number,
  state: Float64Array,
  stats: Float64Array,
  record: Float64Array | null,
  every: number,
): void {
  const dt = period / steps;
  const pla = p[PI.pla]!;
  const gmv = 1 / p[PI.rmv]!;
  const gav = 1 / (p[PI.rav]! + p[PI.rc]!);
  const rc = p[PI.rc]!;
  const grp = 1 / p[PI.rp]!;
  const invC = 1 / p[PI.c]!;
  const pven = p[PI.pven]!;
  const v0es = p[PI.v0es]!;
  const emax = p[PI.emax]!;
  const emin = p[PI.emin]!;
  const v0ed = p[PI.v0ed]!;
  const alpha = p[PI.edpvrAlpha]!;
  const beta = p[PI.edpvrBeta]!;
  // LV pressure [mmHg] at volume v and activation e: separate V0es/V0ed, linear or exponential
  // EDPVR (§1.1). Parameters live in locals; V8 inlines this closure.
  const pres = (v: number, e: number): number =>
    e * emax * (v - v0es) +
    (1 - e) * (beta > 0 ? beta * (Math.exp(alpha * (v - v0ed)) - 1) : emin * (v - v0ed));
  const samples = record === null ? 0 : Math.floor(steps / every) + 1;

  let v = state[0]!;
  let pc = state[1]!;
  let maxV = -Infinity;
  let minV = Infinity;
  let maxPao = -Infinity;
  let minPao = Infinity;
  let sumPao = 0;
  let edp = 0;
  let tEd = 0;
  let maxPlv = -Infinity;
  let bestE = -Infinity;
  let pes = 0;
  let ves = 0;
  let tEs = 0;
  let shoelace = 0;
  let qmvVol = 0;
  let qavVol = 0;
  let prevV = 0;
  let prevP = 0;
  let firstV = 0;
  let firstP = 0;

  for (let k = 0; k <= steps; k++) {
    // Sample the state at the step point (k = steps only closes the recording).
    const e0 = en[2 * k]!;
    const plv = pres(v, e0);
    const qmv = plv < pla ? (pla - plv) * gmv : 0;
    const qav = plv > pc ? (plv - pc) * gav : 0;
    const pao = pc + rc * qav;
    if (record !== null && k % every === 0) {
      const j = k / every;
      record[j] = k * dt;
      record[samples + j] = plv;
      record[2 * samples + j] = v;
      record[3 * samples + j] = pao;
      record[4 * samples + j] = qmv;
      record[5 * samples + j] = qav;
    }
    if (k === steps) break;
    if (v > maxV) {
      maxV = v;
      edp = plv;
      tEd = k * dt;
    }
    if (v < minV) minV = v;
    if (pao > maxPao) maxPao = pao;
    if (pao < minPao) minPao = pao;
    if (plv > maxPlv) maxPlv = plv;
    sumPao += pao;
    const dv0 = v - v0es;
    if (dv0 > 1e-9) {
      const ratio = plv / dv0;
      if (ratio > bestE) {
        bestE = ratio;
        pes = plv;
        ves = v;
        tEs = k * dt;
      }
    }
    if (k === 0) {
      firstV = v;
      firstP = plv;
    } else {
      shoelace += prevV * plv - v * prevP;
    }
    prevV = v;
    prevP = plv;

    // Classical RK4 on dV/dt = Q_mv − Q_av, C·dPc/dt = Q_av − (Pc − Pven)/Rp.
    const k1v = qmv - qav;
    const k1p = (qav - (pc - pven) * grp) * invC;

    const eh = en[2 * k + 1]!;
    let v2 = v + 0.5 * dt * k1v;
    let pc2 = pc + 0.5 * dt * k1p;
    let pl = pres(v2, eh);
    const qmv2 = pl < pla ? (pla - pl) * gmv : 0;
    const qav2 = pl > pc2 ? (pl - pc2) * gav : 0;
    const k2v = qmv2 - qav2;
    const k2p = (qav2 - (pc2 - pven) * grp) * invC;

    v2 = v + 0.5 * dt * k2v;
    pc2 = pc + 0.5 * dt * k2p;
    pl = pres(v2, eh);
    const qmv3 = pl < pla ? (pla - pl) * gmv : 0;
    const qav3 = pl > pc2 ? (pl - pc2) * gav : 0;
    const k3v = qmv3 - qav3;
    const k3p = (qav3 - (pc2 - pven) * grp) * invC;

    v2 = v + dt * k3v;
    pc2 = pc + dt * k3p;
    pl = pres(v2, en[2 * k + 2]!);
    const qmv4 = pl < pla ? (pla - pl) * gmv : 0;
    const qav4 = pl > pc2 ? (pl - pc2) * gav : 0;
    const k4v = qmv4 - qav4;
    const k4p = (qav4 - (pc2 - pven) * grp) * invC;

    const w = dt / 6;
    qmvVol += w * (qmv + 2 * qmv2 + 2 * qmv3 + qmv4);
    qavVol += w * (qav + 2 * qav2 + 2 * qav3 + qav4);
    v += w * (k1v + 2 * k2v + 2 * k3v + k4v);
    pc += w * (k1p + 2 * k2p + 2 * k3p + k4p);
  }
  shoelace += prevV * firstP - firstV * prevP;

  state[0] = v;
  state[1] = pc;
  stats[SI.maxV] = maxV;
  stats[SI.minV] = minV;
  stats[SI.maxPao] = maxPao;
  stats[SI.minPao] = minPao;
  stats[SI.meanPao] = sumPao / steps;
  stats[SI.edp] = edp;
  stats[SI.strokeWork] = Math.abs(0.5 * shoelace);
  stats[SI.pes] = pes;
  stats[SI.ves] = ves;
  stats[SI.qmvVolume] = qmvVol;
  stats[SI.qavVolume] = qavVol;
  stats[SI.maxPlv] = maxPlv;
  stats[SI.tEd] = tEd;
  stats[SI.tEs] = tEs;
}

/** The statistics of one beat by name (units as in {@link SI}). */
export interface BeatStats {
  readonly maxV: number;
  readonly minV: number;
  readonly maxPao: number;
  readonly minPao: number;
  readonly meanPao: number;
  readonly edp: number;
  readonly strokeWork: number;
  readonly pes: number;
  readonly ves: number;
  readonly qmvVolume: number;
  readonly qavVolume: number;
  readonly maxPlv: number;
  readonly tEd: number;
  readonly tEs: number;
}

/** Reads a statistics vector written by {@link runBeat}. */
export function readBeatStats(s: Float64Array): BeatStats {
  return {
    maxV: s[SI.maxV]!,
    minV: s[SI.minV]!,
    maxPao: s[SI.maxPao]!,
    minPao: s[SI.minPao]!,
    meanPao: s[SI.meanPao]!,
    edp: s[SI.edp]!,
    strokeWork: s[SI.strokeWork]!,
    pes: s[SI.pes]!,
    ves: s[SI.ves]!,
    qmvVolume: s[SI.qmvVolume]!,
    qavVolume: s[SI.qavVolume]!,
    maxPlv: s[SI.maxPlv]!,
    tEd: s[SI.tEd]!,
    tEs: s[SI.tEs]!,
  };
}
