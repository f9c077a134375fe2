// Analytic phantoms with known truth: an object of intensity S in air, complex Gaussian noise of σ
// on both channels, magnitude taken (Rician in the object, Rayleigh in the air), seeded.
import { describe, expect, it } from 'vitest';
import { IDENTITY_DIRECTION, createVolume } from '../../core/index.js';
import type { Volume } from '../../core/index.js';
import {
  backgroundMask,
  computeSeriesMetrics,
  foregroundMask,
  gradientRatio,
  localNoise,
  sharpness,
  uqi,
} from './index.js';

/** A seeded standard normal stream: mulberry32 uniforms through Box–Muller. */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

const N = 128;
const SLICES = 4;
const SIZE = N * N * SLICES;

/** Noise-free signal: an ellipse (semi-axes 40 along i, 30 along j) of S, optionally an inner one. */
function ellipse(s: number, inner?: { value: number }): Float64Array {
  const out = new Float64Array(SIZE);
  for (let k = 0; k < SLICES; k++)
    for (let j = 0; j < N; j++)
      for (let i = 0; i < N; i++) {
        const r = ((i - 64) / 40) ** 2 + ((j - 64) / 30) ** 2;
        out[i + N * (j + N * k)] = r < 1 ? (inner !== undefined && r < 0.3 ? inner.value : s) : 0;
      }
  return out;
}

/** Magnitude of signal + complex Gaussian noise of σ per channel. */
function magnitude(signal: Float64Array, sigma: number, seed: number): Volume {
  const g = gaussian(seed);
  const data = new Float32Array(SIZE);
  for (let v = 0; v < SIZE; v++) data[v] = Math.hypot(signal[v]! + sigma * g(), sigma * g());
  return createVolume({
    dimensions: [N, N, SLICES],
    spacing: [1, 1, 3],
    origin: [0, 0, 0],
    direction: IDENTITY_DIRECTION,
    data,
  });
}

/** Box blur of length `length` along j (a motion blur along the phase axis), edges clamped. */
function blurJ(signal: Float64Array, length: number): Float64Array {
  const out = new Float64Array(SIZE);
  const h = (length - 1) / 2;
  for (let k = 0; k < SLICES; k++)
    for (let j = 0; j < N; j++)
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let d = -Math.floor(h); d <= Math.ceil(h); d++) {
          const jj = Math.min(N - 1, Math.max(0, j + d));
          s += signal[i + N * (jj + N * k)]!;
        }
        out[i + N * (j + N * k)] = s / (Math.floor(h) + Math.ceil(h) + 1);
      }
  return out;
}

const S = 100;

describe('background SNR on Rician/Rayleigh phantoms', () => {
  it.each([2, 5, 10, 20])('recovers S/σ within 3 percent for σ = %i', (sigma) => {
    const m = computeSeriesMetrics(magnitude(ellipse(S), sigma, sigma), { phaseAxis: 'j' });
    expect(Math.abs(m.snr / (S / sigma) - 1)).toBeLessThan(0.03);
    expect(Math.abs(m.snrMean / (S / sigma) - 1)).toBeLessThan(0.03);
    expect(Math.abs(m.noiseSigma / sigma - 1)).toBeLessThan(0.03);
  });

  it.each([2, 5, 10])('NEMA difference SNR recovers S/σ within 3 percent for σ = %i', (sigma) => {
    const signal = ellipse(S);
    const m = computeSeriesMetrics(magnitude(signal, sigma, 1000 + sigma), {
      phaseAxis: 'j',
      repeat: magnitude(signal, sigma, 2000 + sigma),
    });
    expect(Math.abs(m.snrDifference! / (S / sigma) - 1)).toBeLessThan(0.03);
  });

  it.each([2, 4])(
    'CNR of two compartments recovers |ΔS|/σ within 5 percent for σ = %i',
    (sigma) => {
      const m = computeSeriesMetrics(magnitude(ellipse(S, { value: 60 }), sigma, 3000 + sigma), {
        phaseAxis: 'j',
      });
      expect(Math.abs(m.cnr / (40 / sigma) - 1)).toBeLessThan(0.05);
    },
  );
});

describe('UQI on phantoms', () => {
  it('drops with noise and with blur, relative to the noise-free reference', () => {
    const signal = ellipse(S, { value: 60 });
    const reference = magnitude(signal, 0.5, 1);
    const mask = foregroundMask(reference);
    const q = (v: Volume) => uqi(reference, v, mask).uqi;
    const low = q(magnitude(signal, 2, 2));
    const high = q(magnitude(signal, 8, 3));
    const blurred = q(magnitude(blurJ(signal, 7), 2, 2));
    expect(q(reference)).toBeCloseTo(1, 12);
    expect(high).toBeLessThan(low);
    expect(blurred).toBeLessThan(low);
  });

  it('aligns a translated previous visit by centre of mass', () => {
    const signal = ellipse(S, { value: 60 });
    const visit = magnitude(signal, 2, 4);
    const previous = magnitude(signal, 2, 5);
    const moved: Volume = { ...previous, origin: [7.5, -4, 3] };
    const aligned = computeSeriesMetrics(visit, { phaseAxis: 'j', reference: moved }).uqi!;
    const raw = computeSeriesMetrics(visit, {
      phaseAxis: 'j',
      reference: moved,
      referenceAlignment: 'scanner',
    }).uqi!;
    const same = computeSeriesMetrics(visit, { phaseAxis: 'j', reference: previous }).uqi!;
    expect(raw).toBeLessThan(aligned);
    expect(Math.abs(aligned - same)).toBeLessThan(0.05);
  });
});

describe('ghostingRatio on phantoms', () => {
  it('rises by about 0.1 when a 10 % N/2 ghost is added along the phase axis', () => {
    const signal = ellipse(S);
    const ghosted = new Float64Array(signal);
    // The N/2 ghost: the object shifted by half the FOV along j, at 10 % intensity.
    for (let k = 0; k < SLICES; k++)
      for (let j = 0; j < N; j++)
        for (let i = 0; i < N; i++)
          ghosted[i + N * (j + N * k)]! += 0.1 * signal[i + N * (((j + N / 2) % N) + N * k)]!;
    const clean = computeSeriesMetrics(magnitude(signal, 3, 6), { phaseAxis: 'j' });
    const ghost = computeSeriesMetrics(magnitude(ghosted, 3, 6), { phaseAxis: 'j' });
    const wrongAxis = computeSeriesMetrics(magnitude(ghosted, 3, 6), { phaseAxis: 'i' });
    expect(Math.abs(clean.ghostingRatio)).toBeLessThan(0.01);
    expect(ghost.ghostingRatio).toBeGreaterThan(0.06);
    expect(ghost.ghostingRatio).toBeLessThan(0.11);
    expect(ghost.ghostingRatio - wrongAxis.ghostingRatio).toBeGreaterThan(0.04);
  });
});

describe('sharpness on phantoms', () => {
  const measure = (signal: Float64Array, sigma: number, seed: number) => {
    const vol = magnitude(signal, sigma, seed);
    const fg = foregroundMask(vol);
    return sharpness(vol, fg, backgroundMask(vol, fg));
  };

  it.each([
    [5, 2],
    [7, 2],
    [5, 5],
    [7, 5],
  ])(
    'drops by more than 30 percent under a %i-voxel motion blur along j (σ = %i)',
    (length, sigma) => {
      const signal = ellipse(S);
      const sharp = measure(signal, sigma, 7);
      const blurred = measure(blurJ(signal, length), sigma, 7);
      expect(blurred.sharpness / sharp.sharpness).toBeLessThan(0.7);
      expect(blurred.sharpness).toBe(blurred.sharpnessJ);
    },
  );

  // At S/σ = 5 (σ = 20) the foreground edge itself wanders with the noise; 15 % there.
  it.each([
    [2, 4, 0.1],
    [5, 10, 0.1],
    [10, 20, 0.15],
  ])(
    'changes by less than the bound when σ doubles from %i to %i (bound %f)',
    (sigma, doubled, bound) => {
      for (const signal of [ellipse(S), blurJ(ellipse(S), 5)]) {
        const a = measure(signal, sigma, 8).sharpness;
        const b = measure(signal, doubled, 9).sharpness;
        expect(Math.abs(b / a - 1)).toBeLessThan(bound);
      }
    },
  );
});

describe('localNoise (Immerkaer, MAD) on phantoms', () => {
  // The edges (border and inner compartment) lift the median a little: the estimate is biased
  // high by some per cent, the price of needing no air.
  it.each([4, 8, 16])(
    'recovers σ = %i inside the object within 10 percent, with no air needed',
    (sigma) => {
      // An object with an inner compartment: edges inside as well as at the border.
      const vol = magnitude(ellipse(S * 4, { value: S * 2 }), sigma, 21);
      const fg = foregroundMask(vol);
      const result = localNoise(vol, fg);
      expect(result.noiseSigma / sigma).toBeGreaterThan(0.97);
      expect(result.noiseSigma / sigma).toBeLessThan(1.1);
      expect(result.snrLocal).toBeCloseTo(result.signalMean / result.noiseSigma, 12);
    },
  );

  it('equals 1.4826 · median|L| / 6 and the foreground mean, computed with plain loops', () => {
    const vol = magnitude(ellipse(S), 7, 5);
    const fg = foregroundMask(vol);
    const responses: number[] = [];
    let sum = 0;
    let count = 0;
    const kernel = [1, -2, 1, -2, 4, -2, 1, -2, 1];
    for (let k = 0; k < SLICES; k++)
      for (let j = 0; j < N; j++)
        for (let i = 0; i < N; i++) {
          const p = i + N * (j + N * k);
          if (!fg[p]) continue;
          sum += vol.data[p]!;
          count++;
          if (i === 0 || j === 0 || i === N - 1 || j === N - 1) continue;
          let inside = true;
          let r = 0;
          for (let b = -1; b <= 1; b++)
            for (let a = -1; a <= 1; a++) {
              const q = p + a + N * b;
              if (!fg[q]) inside = false;
              r += kernel[(b + 1) * 3 + (a + 1)]! * vol.data[q]!;
            }
          if (inside) responses.push(Math.abs(r));
        }
    responses.sort((a, b) => a - b);
    const n = responses.length;
    const med = n % 2 ? responses[(n - 1) / 2]! : (responses[n / 2 - 1]! + responses[n / 2]!) / 2;
    const got = localNoise(vol, fg);
    expect(got.count).toBe(n);
    expect(Math.abs(got.noiseSigma / ((1.482602218505602 * med) / 6) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(got.signalMean / (sum / count) - 1)).toBeLessThan(1e-9);
  });
});

describe('gradientRatio on phantoms', () => {
  it('equals the phase-over-readout mean squared neighbour difference, with plain loops', () => {
    const vol = magnitude(blurJ(ellipse(S), 3), 5, 6);
    const fg = foregroundMask(vol);
    let ei = 0;
    let ni = 0;
    let ej = 0;
    let nj = 0;
    for (let k = 0; k < SLICES; k++)
      for (let j = 0; j < N; j++)
        for (let i = 0; i < N; i++) {
          const p = i + N * (j + N * k);
          if (!fg[p]) continue;
          if (i + 1 < N && fg[p + 1]) {
            ei += (vol.data[p + 1]! - vol.data[p]!) ** 2;
            ni++;
          }
          if (j + 1 < N && fg[p + N]) {
            ej += (vol.data[p + N]! - vol.data[p]!) ** 2;
            nj++;
          }
        }
    expect(Math.abs(gradientRatio(vol, fg, 'j') / (ej / nj / (ei / ni)) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(gradientRatio(vol, fg, 'i') / (ei / ni / (ej / nj)) - 1)).toBeLessThan(1e-9);
  });

  // On this two-compartment phantom the blur lowers the ratio by 9–15 %; anatomy with more inner
  // edges shows more (the synthetic knee series: z of −14 to −21 against its site's history).
  it.each([
    [5, 1, 0.95],
    [7, 1, 0.9],
    [5, 4, 0.95],
    [7, 4, 0.9],
  ])(
    'falls under a %i-voxel blur along the phase axis (σ = %i: below %f of the clean value)',
    (length, sigma, bound) => {
      // A textured object: two compartments, so there are edges inside for the blur to smear.
      const clean = magnitude(ellipse(S * 4, { value: S * 2 }), sigma, 8);
      const blurred = magnitude(blurJ(ellipse(S * 4, { value: S * 2 }), length), sigma, 8);
      const r0 = gradientRatio(clean, foregroundMask(clean), 'j');
      const r1 = gradientRatio(blurred, foregroundMask(blurred), 'j');
      expect(r1 / r0).toBeLessThan(bound);
      // Along the readout axis the blur is invisible: the ratio the other way round rises.
      expect(gradientRatio(blurred, foregroundMask(blurred), 'i')).toBeGreaterThan(
        gradientRatio(clean, foregroundMask(clean), 'i'),
      );
    },
  );
});
