import { SI, STAT_COUNT, runBeat } from './lv-beat.js';

/** Maximum change of EDV, ESV, SBP, DBP between two stat vectors. */
function beatChange(a: Float64Array, b: Float64Array): number {
  return Math.max(
    Math.abs(a[SI.maxV]! - b[SI.maxV]!),
    Math.abs(a[SI.minV]! - b[SI.minV]!),
    Math.abs(a[SI.maxPao]! - b[SI.maxPao]!),
    Math.abs(a[SI.minPao]! - b[SI.minPao]!),
  );
}

/**
 * Runs beats from `state = [V, Pc]` until the periodic steady state: EDV, ESV, SBP and DBP of two
 * consecutive beats differ by less than `tolerance`. With `accelerate`, Newton shooting on the beat
 * map `x ↦ F(x)` (finite-difference Jacobian, 3 beats per iteration) first jumps close to the
 * periodic orbit. On return `state` holds the end of the last beat, `start` its beginning and
 * `stats` its statistics.
 *
 * @param minV - lowest plausible LV volume [mL] for a Newton step (below it the step is refused)
 * @returns beats integrated, negated when `maxBeats` passed without a steady state
 */
export function runToSteadyState(
  p: Float64Array,
  en: Float64Array,
  steps: number,
  period: number,
  state: Float64Array,
  start: Float64Array,
  stats: Float64Array,
  tolerance: number,
  maxBeats: number,
  accelerate: boolean,
  minV: number,
): number {
  const prev = new Float64Array(STAT_COUNT);
  const scratch = new Float64Array(STAT_COUNT);
  const probe = new Float64Array(2);
  let beats = 0;
  if (accelerate) {
    // Newton shooting: solve F(x) = x for the beat map F with a finite-difference Jacobian,
    // kept (chord method, 1 beat per iteration) while the steps shrink at least twofold.
    let j00 = 0;
    let j01 = 0;
    let j10 = 0;
    let j11 = 0;
    let haveJacobian = false;
    let lastSize = Infinity;
    for (let iter = 0; iter < 8 && beats + 3 <= maxBeats; iter++) {
      const x0 = state[0]!;
      const x1 = state[1]!;
      runBeat(p, en, steps, period, state, stats, null, 1);
      beats++;
      const f0 = state[0]!;
      const f1 = state[1]!;
      if (!haveJacobian) {
        const h = 1e-3;
        probe[0] = x0 + h;
        probe[1] = x1;
        runBeat(p, en, steps, period, probe, scratch, null, 1);
        j00 = (probe[0] - f0) / h;
        j10 = (probe[1] - f1) / h;
        probe[0] = x0;
        probe[1] = x1 + h;
        runBeat(p, en, steps, period, probe, scratch, null, 1);
        j01 = (probe[0] - f0) / h;
        j11 = (probe[1] - f1) / h;
        beats += 2;
        haveJacobian = true;
      }
      // (I − J)·δ = F(x) − x
      const a = 1 - j00;
      const b = -j01;
      const c = -j10;
      const d = 1 - j11;
      const det = a * d - b * c;
      const g0 = f0 - x0;
      const g1 = f1 - x1;
      if (!Number.isFinite(det) || Math.abs(det) < 1e-9) break;
      let d0 = (d * g0 - b * g1) / det;
      let d1 = (a * g1 - c * g0) / det;
      // The beat map is only piecewise smooth (valves): cap wild steps, fall back to F(x).
      const cap = 60;
      const size = Math.max(Math.abs(d0), Math.abs(d1));
      if (!Number.isFinite(size)) {
        break;
      } else if (size > cap) {
        d0 *= cap / size;
        d1 *= cap / size;
      }
      const n0 = x0 + d0;
      const n1 = x1 + d1;
      if (!(n0 > minV) || !Number.isFinite(n1)) break; // keep the F(x) state
      state[0] = n0;
      state[1] = n1;
      // Fast convergence: the error left after a step this small is below the tolerance.
      if (size < 0.3 * Math.sqrt(tolerance)) break;
      if (size > 0.5 * lastSize) haveJacobian = false; // slow chord steps: refresh J
      lastSize = size;
    }
  }

  let steady = false;
  let plain = 0;
  while (beats < maxBeats) {
    start[0] = state[0]!;
    start[1] = state[1]!;
    prev.set(stats);
    runBeat(p, en, steps, period, state, stats, null, 1);
    beats++;
    plain++;
    if (!Number.isFinite(state[0]!) || !Number.isFinite(state[1]!)) break;
    if (plain > 1 && beatChange(stats, prev) < tolerance) {
      steady = true;
      break;
    }
  }
  return steady ? beats : -beats;
}
