import { PlatformError } from '../../core/index.js';

/** One harmonic of a periodic waveform: `amplitude·cos(n·ωt − phase)`. */
export interface WaveformHarmonic {
  /** Harmonic number n ≥ 1. */
  readonly n: number;
  /** Amplitude, in the waveform's unit. */
  readonly amplitude: number;
  /** Phase lag, rad. */
  readonly phaseRad: number;
}

/**
 * Shape of the shipped common-carotid inflow: `p(τ) = Σ a_n cos(2πnτ − φ_n)` over the cycle
 * τ ∈ [0, 1), zero mean, (max − min) ≈ 1. Built for medscale (not digitised from a figure, as
 * cardiovascular.md §3.2 asks): the first 10 harmonics of a template of a systolic peak at
 * τ = 0.125 (Gaussian, σ = 0.045 cycle), a dicrotic wave at τ = 0.40 (σ = 0.05) and a broad
 * diastolic component at τ = 0.55 (σ = 0.2) on a constant, normalised to unit range. Scaled to
 * the default mean 6.0 mL/s and pulsatility 3.45 it peaks at 23.5 mL/s at τ = 0.125 (Holdsworth
 * et al. 1999, Physiol Meas 20:219: mean ≈ 6.0, peak ≈ 23.5 mL/s), dips to 3.4 mL/s at the
 * dicrotic notch (τ ≈ 0.28), rises to 6.4 mL/s, and falls through diastole to 2.8 mL/s.
 * Amplitudes are dimensionless, phases in rad.
 */
export const CAROTID_INFLOW_SHAPE: readonly WaveformHarmonic[] = [
  { n: 1, amplitude: 0.191744, phaseRad: 1.021909 },
  { n: 2, amplitude: 0.168204, phaseRad: 1.509349 },
  { n: 3, amplitude: 0.168756, phaseRad: 2.243922 },
  { n: 4, amplitude: 0.13214, phaseRad: -3.072166 },
  { n: 5, amplitude: 0.076795, phaseRad: -2.264586 },
  { n: 6, amplitude: 0.050621, phaseRad: -1.66145 },
  { n: 7, amplitude: 0.034692, phaseRad: -0.824983 },
  { n: 8, amplitude: 0.018061, phaseRad: 0.07372 },
  { n: 9, amplitude: 0.008292, phaseRad: 0.792559 },
  { n: 10, amplitude: 0.004166, phaseRad: 1.504408 },
];

/** Default mean common-carotid flow, mL/s (Holdsworth et al. 1999: 6.0 ± 1.3 mL/s). */
export const DEFAULT_MEAN_FLOW_ML_PER_S = 6.0;
/**
 * Default pulsatility index `(Qmax − Qmin)/Qmean`: with {@link CAROTID_INFLOW_SHAPE} and a mean of
 * 6.0 mL/s it gives the Holdsworth peak of 23.5 mL/s (and a minimum of 2.8 mL/s).
 */
export const DEFAULT_PULSATILITY_INDEX = 3.45;
/** Default heart rate, beats per minute. */
export const DEFAULT_HEART_RATE_BPM = 72;

/** Options of {@link createInflowWaveform}. */
export interface InflowWaveformOptions {
  /**
   * Mean flow, mL/s (positive).
   * @defaultValue 6.0
   */
  readonly meanFlowMlPerS?: number;
  /**
   * Pulsatility index `(Qmax − Qmin)/Qmean` (≥ 0; 0 gives steady flow).
   * @defaultValue 3.45
   */
  readonly pulsatilityIndex?: number;
  /**
   * Heart rate, beats per minute (positive).
   * @defaultValue 72
   */
  readonly heartRateBpm?: number;
  /**
   * Shape harmonics (dimensionless, any scale: the waveform is rescaled to the requested PI).
   * @defaultValue {@link CAROTID_INFLOW_SHAPE}
   */
  readonly shape?: readonly WaveformHarmonic[];
}

/** A periodic inflow `Q(t) = Qmean + Σ A_n cos(n·ωt − φ_n)`. */
export interface InflowWaveform {
  /** Mean flow, mL/s. */
  readonly meanFlowMlPerS: number;
  /** Pulsatility index `(Qmax − Qmin)/Qmean`, exactly as requested. */
  readonly pulsatilityIndex: number;
  /** Heart rate, beats per minute. */
  readonly heartRateBpm: number;
  /** Cardiac period, s. */
  readonly periodS: number;
  /** Maximum flow over the cycle, mL/s. */
  readonly maxFlowMlPerS: number;
  /** Minimum flow over the cycle, mL/s (negative when the flow reverses). */
  readonly minFlowMlPerS: number;
  /** Time of the maximum within the cycle, s. */
  readonly peakTimeS: number;
  /** Harmonics, amplitudes in mL/s. */
  readonly harmonics: readonly WaveformHarmonic[];
}

function shapeValue(
  shape: readonly WaveformHarmonic[],
  tau: number,
  derivative: 0 | 1 | 2,
): number {
  let v = 0;
  for (const h of shape) {
    const w = 2 * Math.PI * h.n;
    const x = w * tau - h.phaseRad;
    if (derivative === 0) v += h.amplitude * Math.cos(x);
    else if (derivative === 1) v -= h.amplitude * w * Math.sin(x);
    else v -= h.amplitude * w * w * Math.cos(x);
  }
  return v;
}

/** Maximum and minimum of a trigonometric polynomial over one cycle: grid search, then Newton. */
function extremes(shape: readonly WaveformHarmonic[]): {
  max: number;
  min: number;
  argMax: number;
} {
  const grid = 2048;
  let iMax = 0;
  let iMin = 0;
  let vMax = -Infinity;
  let vMin = Infinity;
  for (let i = 0; i < grid; i++) {
    const v = shapeValue(shape, i / grid, 0);
    if (v > vMax) [vMax, iMax] = [v, i];
    if (v < vMin) [vMin, iMin] = [v, i];
  }
  const refine = (i: number): number => {
    let tau = i / grid;
    for (let k = 0; k < 30; k++) {
      const d2 = shapeValue(shape, tau, 2);
      if (d2 === 0) break;
      const step = shapeValue(shape, tau, 1) / d2;
      // Newton on p'(τ) = 0, kept within the grid cell it started in
      tau = Math.min(Math.max(tau - step, (i - 1) / grid), (i + 1) / grid);
      if (Math.abs(step) < 1e-15) break;
    }
    return tau;
  };
  const tMax = refine(iMax);
  const tMin = refine(iMin);
  return {
    max: Math.max(vMax, shapeValue(shape, tMax, 0)),
    min: Math.min(vMin, shapeValue(shape, tMin, 0)),
    argMax: ((tMax % 1) + 1) % 1,
  };
}

/**
 * The parametric inflow: the shape harmonics scaled so that the mean and the pulsatility index are
 * exactly those requested (the extremes of the truncated series are found by a grid search and
 * Newton's method on `Q'(t) = 0`), and the cycle stretched to the heart rate (waveform
 * transformation as Geers et al., J Biomech 2014). Throws `ERR_SIMULATE_INPUT` for a non-positive
 * mean or heart rate, a negative PI, or a constant shape with a positive PI.
 */
export function createInflowWaveform(options: InflowWaveformOptions = {}): InflowWaveform {
  const mean = options.meanFlowMlPerS ?? DEFAULT_MEAN_FLOW_ML_PER_S;
  const pi = options.pulsatilityIndex ?? DEFAULT_PULSATILITY_INDEX;
  const hr = options.heartRateBpm ?? DEFAULT_HEART_RATE_BPM;
  const shape = options.shape ?? CAROTID_INFLOW_SHAPE;
  if (!(mean > 0 && Number.isFinite(mean)))
    throw new PlatformError('ERR_SIMULATE_INPUT', `mean flow must be > 0 mL/s, got ${mean}`);
  if (!(pi >= 0 && Number.isFinite(pi)))
    throw new PlatformError('ERR_SIMULATE_INPUT', `pulsatility index must be ≥ 0, got ${pi}`);
  if (!(hr > 0 && Number.isFinite(hr)))
    throw new PlatformError('ERR_SIMULATE_INPUT', `heart rate must be > 0 bpm, got ${hr}`);
  for (const h of shape) {
    if (!(Number.isInteger(h.n) && h.n >= 1 && Number.isFinite(h.amplitude + h.phaseRad)))
      throw new PlatformError(
        'ERR_SIMULATE_INPUT',
        `shape harmonics need an integer n ≥ 1 and finite amplitude and phase, got n = ${h.n}`,
      );
  }
  const periodS = 60 / hr;
  if (pi === 0) {
    return {
      meanFlowMlPerS: mean,
      pulsatilityIndex: 0,
      heartRateBpm: hr,
      periodS,
      maxFlowMlPerS: mean,
      minFlowMlPerS: mean,
      peakTimeS: 0,
      harmonics: [],
    };
  }
  const e = extremes(shape);
  const range = e.max - e.min;
  if (!(range > 0))
    throw new PlatformError(
      'ERR_SIMULATE_INPUT',
      'the shape is constant: give a shape with harmonics',
    );
  const scale = (mean * pi) / range;
  return {
    meanFlowMlPerS: mean,
    pulsatilityIndex: pi,
    heartRateBpm: hr,
    periodS,
    maxFlowMlPerS: mean + scale * e.max,
    minFlowMlPerS: mean + scale * e.min,
    peakTimeS: e.argMax * periodS,
    harmonics: shape.map((h) => ({ n: h.n, amplitude: h.amplitude * scale, phaseRad: h.phaseRad })),
  };
}

/** The inflow at time t (s), mL/s. */
export function inflowAt(waveform: InflowWaveform, timeS: number): number {
  const w = (2 * Math.PI) / waveform.periodS;
  let q = waveform.meanFlowMlPerS;
  for (const h of waveform.harmonics) q += h.amplitude * Math.cos(h.n * w * timeS - h.phaseRad);
  return q;
}
