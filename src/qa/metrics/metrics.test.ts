// Each metric against an independent, deliberately plain computation written here (loops, sorts,
// two-pass statistics, the published formulas as written), on small random volumes and masks.
import { describe, expect, it } from 'vitest';
import { IDENTITY_DIRECTION, createVolume } from '../../core/index.js';
import type { Mat3, Vec3, Volume } from '../../core/index.js';
import {
  backgroundMask,
  centreOfMass,
  cnr,
  computeSeriesMetrics,
  efc,
  fber,
  foregroundMask,
  ghostingRatio,
  otsuThreshold,
  resampleToGrid,
  sharpness,
  snrBackground,
  snrDifference,
  uqi,
} from './index.js';

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function volumeOf(
  dims: readonly [number, number, number],
  data: Float32Array,
  geometry: { spacing?: Vec3; origin?: Vec3; direction?: Mat3 } = {},
): Volume {
  return createVolume({
    dimensions: dims,
    spacing: geometry.spacing ?? [1, 1, 1],
    origin: geometry.origin ?? [0, 0, 0],
    direction: geometry.direction ?? IDENTITY_DIRECTION,
    data,
  });
}

function randomVolume(dims: readonly [number, number, number], seed: number, lo = 0, hi = 100) {
  const next = rng(seed);
  const data = new Float32Array(dims[0] * dims[1] * dims[2]);
  for (let v = 0; v < data.length; v++) data[v] = lo + (hi - lo) * next();
  return volumeOf(dims, data);
}

function randomMask(n: number, seed: number, p = 0.4): Uint8Array {
  const next = rng(seed);
  const mask = new Uint8Array(n);
  for (let v = 0; v < n; v++) mask[v] = next() < p ? 1 : 0;
  return mask;
}

/** A disc of `value` (radius r, centre c) in every slice over `air`, plus uniform jitter. */
function discVolume(
  dims: readonly [number, number, number],
  seed: number,
  r = 7,
  value = 100,
  air = 5,
): Volume {
  const [ni, nj, nk] = dims;
  const next = rng(seed);
  const data = new Float32Array(ni * nj * nk);
  for (let k = 0; k < nk; k++)
    for (let j = 0; j < nj; j++)
      for (let i = 0; i < ni; i++) {
        const inside = (i - ni / 2) ** 2 + (j - nj / 2) ** 2 < r * r;
        data[i + ni * (j + nj * k)] = (inside ? value + 20 * (i / ni) : air) + 4 * next();
      }
  return volumeOf(dims, data);
}

function expectRel(actual: number, expected: number, rel = 1e-9): void {
  expect(Number.isFinite(expected)).toBe(true);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-300);
}

function values(data: Float32Array, mask: Uint8Array): number[] {
  const out: number[] = [];
  for (let v = 0; v < data.length; v++) if (mask[v]) out.push(data[v]!);
  return out;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
function sampleSd(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Plain Otsu: 256 bins over [min, max], bin-centre class means, first maximum. */
function plainOtsu(xs: readonly number[]): { threshold: number; lo: number[]; hi: number[] } {
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  const width = (max - min) / 256;
  const binOf = (x: number) => Math.min(255, Math.floor((x - min) / width));
  const counts = new Array<number>(256).fill(0);
  for (const x of xs) counts[binOf(x)]!++;
  let best = -1;
  let bestVar = -1;
  for (let k = 0; k < 255; k++) {
    let w0 = 0;
    let m0 = 0;
    let w1 = 0;
    let m1 = 0;
    for (let b = 0; b < 256; b++) {
      const c = min + (b + 0.5) * width;
      if (b <= k) {
        w0 += counts[b]!;
        m0 += counts[b]! * c;
      } else {
        w1 += counts[b]!;
        m1 += counts[b]! * c;
      }
    }
    if (w0 === 0 || w1 === 0) continue;
    const variance = w0 * w1 * (m0 / w0 - m1 / w1) ** 2;
    if (variance > bestVar) {
      bestVar = variance;
      best = k;
    }
  }
  return {
    threshold: min + (best + 1) * width,
    lo: xs.filter((x) => binOf(x) <= best),
    hi: xs.filter((x) => binOf(x) > best),
  };
}

function numpyMedian(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

describe('otsuThreshold', () => {
  it('equals a plain Otsu on random data', () => {
    const vol = randomVolume([17, 13, 3], 1);
    const plain = plainOtsu([...vol.data]);
    const result = otsuThreshold(vol.data);
    expectRel(result.threshold, plain.threshold);
    expectRel(result.lowMean, mean(plain.lo));
    expectRel(result.highMean, mean(plain.hi));
  });

  it('has no split (threshold Infinity) for a constant image', () => {
    expect(otsuThreshold(new Float32Array(10).fill(3)).threshold).toBe(Infinity);
    expect(otsuThreshold(new Float32Array(0)).threshold).toBe(Infinity);
  });
});

describe('foregroundMask', () => {
  it('is the Otsu mask, with enclosed holes filled and isolated specks removed', () => {
    const dims = [32, 30, 3] as const;
    const vol = discVolume(dims, 2, 9);
    const [ni, nj] = dims;
    // A dark hole inside the disc and a bright speck in the air of slice 1.
    vol.data[16 + ni * 15 + ni * nj] = 5;
    vol.data[17 + ni * 15 + ni * nj] = 5;
    vol.data[2 + ni * 2 + ni * nj] = 120;
    const threshold = plainOtsu([...vol.data]).threshold;
    const mask = foregroundMask(vol);
    for (let v = 0; v < mask.length; v++) {
      const i = v % ni;
      const j = Math.floor(v / ni) % nj;
      const inDisc = (i - ni / 2) ** 2 + (j - nj / 2) ** 2 < 81;
      expect(mask[v], `voxel ${v}`).toBe(inDisc ? 1 : 0);
      if (inDisc && vol.data[v]! > 50) expect(vol.data[v]! >= threshold).toBe(true);
    }
  });
});

describe('backgroundMask', () => {
  it('keeps a second bright object out of the air, but not noise specks', () => {
    const [ni, nj, nk] = [40, 30, 4];
    const data = new Float32Array(ni * nj * nk).fill(1);
    const at = (i: number, j: number, k: number): number => i + ni * (j + nj * k);
    for (let k = 0; k < nk; k++) {
      for (let j = 5; j < 25; j++) for (let i = 5; i < 25; i++) data[at(i, j, k)] = 100;
      for (let j = 10; j < 14; j++) for (let i = 32; i < 36; i++) data[at(i, j, k)] = 90;
    }
    data[at(2, 27, 1)] = 100; // one speck in the air
    const vol = { ...randomVolume([ni, nj, nk], 1), data };
    const fg = foregroundMask(vol);
    expect(fg[at(33, 11, 2)]).toBe(0); // the arm is not the foreground…
    const bg = backgroundMask(vol, fg, { marginVoxels: 1 });
    expect(bg[at(33, 11, 2)]).toBe(0); // …nor background
    expect(bg[at(36, 11, 2)]).toBe(0); // nor its margin
    expect(bg[at(37, 11, 2)]).toBe(1);
    expect(bg[at(2, 27, 1)]).toBe(1); // a speck stays air
  });

  it('is every voxel farther than the margin (square, in-plane) from the foreground', () => {
    const dims = [15, 12, 3] as const;
    // Constant air: no other object crosses the threshold, so only the margin rule acts.
    const vol = { ...randomVolume(dims, 3), data: new Float32Array(15 * 12 * 3) };
    const fg = randomMask(vol.data.length, 4, 0.03);
    const [ni, nj, nk] = dims;
    for (const m of [0, 1, 3]) {
      const bg = backgroundMask(vol, fg, { marginVoxels: m });
      for (let k = 0; k < nk; k++)
        for (let j = 0; j < nj; j++)
          for (let i = 0; i < ni; i++) {
            let near = false;
            for (let dj = -m; dj <= m; dj++)
              for (let di = -m; di <= m; di++) {
                const a = i + di;
                const b = j + dj;
                if (a >= 0 && a < ni && b >= 0 && b < nj && fg[a + ni * (b + nj * k)]) near = true;
              }
            expect(bg[i + ni * (j + nj * k)]).toBe(near ? 0 : 1);
          }
    }
  });
});

describe('snrBackground and snrDifference', () => {
  it('equal two-pass statistics on random data and masks', () => {
    const vol = randomVolume([11, 9, 4], 5, 50, 150);
    const fg = randomMask(vol.data.length, 6);
    const bg = randomMask(vol.data.length, 7);
    const f = values(vol.data, fg);
    const b = values(vol.data, bg);
    const r = snrBackground(vol, fg, bg);
    expectRel(r.snr, (0.6551364 * mean(f)) / sampleSd(b));
    expectRel(r.snrMean, (Math.sqrt(Math.PI / 2) * mean(f)) / mean(b));
    expectRel(r.noiseSigma, sampleSd(b) / 0.6551364);

    const other = randomVolume([11, 9, 4], 8, 50, 150);
    const d = snrDifference(vol, other, fg);
    const sums: number[] = [];
    const diffs: number[] = [];
    for (let v = 0; v < fg.length; v++) {
      if (!fg[v]) continue;
      sums.push((vol.data[v]! + other.data[v]!) / 2);
      diffs.push(vol.data[v]! - other.data[v]!);
    }
    expectRel(d.snr, (Math.SQRT2 * mean(sums)) / sampleSd(diffs));
  });

  it('throw ERR_QA_METRIC_INPUT for a mask of the wrong size', () => {
    const vol = randomVolume([4, 4, 1], 1);
    expect(() => snrBackground(vol, new Uint8Array(3), new Uint8Array(16))).toThrow(
      expect.objectContaining({ code: 'ERR_QA_METRIC_INPUT' }),
    );
  });
});

describe('cnr', () => {
  it('equals |μ_hi − μ_lo| of a plain Otsu split of the foreground over the Rayleigh σ', () => {
    const vol = randomVolume([13, 11, 3], 9);
    const fg = randomMask(vol.data.length, 10);
    const bg = randomMask(vol.data.length, 11);
    const split = plainOtsu(values(vol.data, fg));
    const sigma = sampleSd(values(vol.data, bg)) / 0.6551364;
    const r = cnr(vol, fg, bg);
    expectRel(r.threshold, split.threshold);
    expectRel(r.cnr, Math.abs(mean(split.hi) - mean(split.lo)) / sigma);
  });
});

describe('efc', () => {
  it("equals MRIQC's formula evaluated term by term", () => {
    const vol = randomVolume([9, 8, 5], 12, 0, 300);
    vol.data[3] = 0;
    const x = [...vol.data];
    const n = x.length;
    const efcMax = n * (1 / Math.sqrt(n)) * Math.log(1 / Math.sqrt(n));
    const bMax = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
    const e = x.reduce((s, v) => s + (v / bMax) * Math.log((v + 1e-16) / bMax), 0) / efcMax;
    expectRel(efc(vol), e);
  });

  it('is 1 for a constant volume and NaN for an all-zero one', () => {
    expectRel(efc(volumeOf([4, 4, 2], new Float32Array(32).fill(7))), 1, 1e-12);
    expect(efc(volumeOf([4, 4, 2], new Float32Array(32)))).toBeNaN();
  });
});

describe('fber', () => {
  it('equals numpy-style median(|F|²)/median(|B|²), for odd and even counts', () => {
    const vol = randomVolume([10, 9, 3], 13, -20, 100);
    for (const seed of [14, 15, 16]) {
      const fg = randomMask(vol.data.length, seed);
      const bg = randomMask(vol.data.length, seed + 100);
      const f = values(vol.data, fg).map((x) => x * x);
      const b = values(vol.data, bg).map((x) => x * x);
      expectRel(fber(vol, fg, bg), numpyMedian(f) / numpyMedian(b));
    }
  });

  it('is −1 without background', () => {
    const vol = randomVolume([4, 4, 1], 1);
    expect(fber(vol, new Uint8Array(16).fill(1), new Uint8Array(16))).toBe(-1);
  });
});

describe('ghostingRatio', () => {
  it('equals (μ_G − μ_NG)/μ_S with the foreground rolled by ⌊n/2⌋ (numpy.roll)', () => {
    const dims = [13, 11, 2] as const;
    const [ni, nj, nk] = dims;
    const vol = randomVolume(dims, 17);
    const fg = randomMask(vol.data.length, 18, 0.2);
    const bg = randomMask(vol.data.length, 19, 0.5);
    for (let v = 0; v < bg.length; v++) if (fg[v]) bg[v] = 0;
    for (const axis of ['i', 'j'] as const) {
      const ghost: number[] = [];
      const rest: number[] = [];
      for (let k = 0; k < nk; k++)
        for (let j = 0; j < nj; j++)
          for (let i = 0; i < ni; i++) {
            const v = i + ni * (j + nj * k);
            if (!bg[v]) continue;
            const si = axis === 'i' ? (i - (ni >> 1) + ni) % ni : i;
            const sj = axis === 'j' ? (j - (nj >> 1) + nj) % nj : j;
            (fg[si + ni * (sj + nj * k)] ? ghost : rest).push(vol.data[v]!);
          }
      const expected = (mean(ghost) - mean(rest)) / mean(values(vol.data, fg));
      expectRel(ghostingRatio(vol, fg, axis, { background: bg }), expected);
    }
  });
});

describe('sharpness', () => {
  it('equals the edge-band definition computed with plain loops', () => {
    const dims = [20, 18, 3] as const;
    const [ni, nj, nk] = dims;
    const vol = discVolume(dims, 20, 6);
    const fg = foregroundMask(vol);
    const bg = backgroundMask(vol, fg, { marginVoxels: 2 });
    const at = (i: number, j: number, k: number) => vol.data[i + ni * (j + nj * k)]!;
    const inF = (i: number, j: number, k: number) =>
      i >= 0 && i < ni && j >= 0 && j < nj && fg[i + ni * (j + nj * k)] === 1;
    const boundary = (i: number, j: number, k: number) =>
      inF(i, j, k) &&
      ((i > 0 && !inF(i - 1, j, k)) ||
        (i < ni - 1 && !inF(i + 1, j, k)) ||
        (j > 0 && !inF(i, j - 1, k)) ||
        (j < nj - 1 && !inF(i, j + 1, k)));
    const b = values(vol.data, bg);
    const sdB = sampleSd(b);
    const sigma = sdB / 0.6551364;
    const variance = (i: number, j: number, k: number) => (inF(i, j, k) ? sigma ** 2 : sdB ** 2);
    let ei = 0;
    let ej = 0;
    let count = 0;
    for (let k = 0; k < nk; k++)
      for (let j = 1; j < nj - 1; j++)
        for (let i = 1; i < ni - 1; i++) {
          let near = false;
          for (let dj = -3; dj <= 3; dj++)
            for (let di = -3; di <= 3; di++) if (boundary(i + di, j + dj, k)) near = true;
          if (!near) continue;
          count++;
          ei += ((at(i + 1, j, k) - at(i - 1, j, k)) / 2) ** 2;
          ei -= (variance(i + 1, j, k) + variance(i - 1, j, k)) / 4;
          ej += ((at(i, j + 1, k) - at(i, j - 1, k)) / 2) ** 2;
          ej -= (variance(i, j + 1, k) + variance(i, j - 1, k)) / 4;
        }
    const step = mean(values(vol.data, fg)) - mean(b);
    const axis = (e: number) => (2 * e) / ((count / 7) * step * step);
    const r = sharpness(vol, fg, bg);
    expect(r.bandPixels).toBe(count);
    expectRel(r.sharpnessI, axis(ei));
    expectRel(r.sharpnessJ, axis(ej));
    expectRel(r.sharpness, Math.min(axis(ei), axis(ej)));
  });
});

describe('uqi', () => {
  /** Plain UQI: windows by explicit loops, Q from means, variances and covariance. */
  function plainUqi(x: Volume, y: Volume, mask: Uint8Array, b: number) {
    const [ni, nj, nk] = x.dimensions;
    let sum = 0;
    let windows = 0;
    for (let k = 0; k < nk; k++)
      for (let j0 = 0; j0 + b <= nj; j0++)
        for (let i0 = 0; i0 + b <= ni; i0++) {
          const xs: number[] = [];
          const ys: number[] = [];
          let inside = true;
          for (let j = j0; j < j0 + b; j++)
            for (let i = i0; i < i0 + b; i++) {
              const v = i + ni * (j + nj * k);
              if (!mask[v]) inside = false;
              xs.push(x.data[v]!);
              ys.push(y.data[v]!);
            }
          if (!inside) continue;
          const mx = mean(xs);
          const my = mean(ys);
          let vx = 0;
          let vy = 0;
          let cxy = 0;
          for (let n = 0; n < xs.length; n++) {
            vx += (xs[n]! - mx) ** 2;
            vy += (ys[n]! - my) ** 2;
            cxy += (xs[n]! - mx) * (ys[n]! - my);
          }
          const m = xs.length;
          const den = ((vx + vy) / m) * (mx * mx + my * my);
          if (den === 0) continue;
          sum += (4 * (cxy / m) * mx * my) / den;
          windows++;
        }
    return { uqi: sum / windows, windows };
  }

  it('equals the windowed statistical form on random images inside a mask', () => {
    const dims = [21, 19, 3] as const;
    const x = discVolume(dims, 21, 8);
    const y = discVolume(dims, 22, 8);
    const mask = foregroundMask(x);
    for (const block of [3, 4, 8]) {
      const plain = plainUqi(x, y, mask, block);
      const r = uqi(x, y, mask, { block });
      expect(r.windows).toBe(plain.windows);
      expect(r.windows).toBeGreaterThan(0);
      expectRel(r.uqi, plain.uqi);
    }
  });

  it('is exactly the closed form for y = a·x + b', () => {
    const dims = [16, 16, 2] as const;
    const next = rng(23);
    const x = volumeOf(
      dims,
      Float32Array.from({ length: 512 }, () => Math.floor(100 * next())),
    );
    const mask = new Uint8Array(512).fill(1);
    // b = 0: Q = 4a²/(1 + a²)² in every window.
    const y = volumeOf(
      dims,
      x.data.map((v) => 2 * v),
    );
    expectRel(uqi(x, y, mask).uqi, 16 / 25);
    // a = 2, b = 3: correlation 1, contrast 2a/(1 + a²), luminance 2x̄ȳ/(x̄² + ȳ²) per window.
    const z = volumeOf(
      dims,
      x.data.map((v) => 2 * v + 3),
    );
    let sum = 0;
    let windows = 0;
    for (let k = 0; k < 2; k++)
      for (let j0 = 0; j0 <= 8; j0++)
        for (let i0 = 0; i0 <= 8; i0++) {
          let s = 0;
          for (let j = j0; j < j0 + 8; j++)
            for (let i = i0; i < i0 + 8; i++) s += x.data[i + 16 * (j + 16 * k)]!;
          const mx = s / 64;
          const my = 2 * mx + 3;
          sum += 0.8 * ((2 * mx * my) / (mx * mx + my * my));
          windows++;
        }
    expectRel(uqi(x, z, mask).uqi, sum / windows);
  });

  it('is 1 for identical images and counts flat windows as skipped', () => {
    const x = discVolume([20, 20, 2], 24, 9);
    const mask = new Uint8Array(x.data.length).fill(1);
    expectRel(uqi(x, x, mask).uqi, 1, 1e-12);
    const flat = volumeOf([10, 10, 1], new Float32Array(100).fill(5));
    const r = uqi(flat, flat, new Uint8Array(100).fill(1));
    expect(r.windows).toBe(0);
    expect(r.skippedWindows).toBe(9);
    expect(r.uqi).toBeNaN();
  });
});

describe('resampleToGrid and centreOfMass', () => {
  /** Inverse by Cramer's rule, on a column-major direction × spacing map. */
  function toIndex(g: Volume, p: Vec3): Vec3 {
    const d = g.direction;
    const s = g.spacing;
    const m = [0, 1, 2].map((r) => [0, 1, 2].map((c) => d[c * 3 + r]! * s[c]!));
    const b = [p[0] - g.origin[0], p[1] - g.origin[1], p[2] - g.origin[2]];
    const det = (a: number[][]) =>
      a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) -
      a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) +
      a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
    const d0 = det(m);
    const col = (c: number) => det(m.map((row, r) => row.map((v, cc) => (cc === c ? b[r]! : v))));
    return [col(0) / d0, col(1) / d0, col(2) / d0];
  }

  function plainTrilinear(src: Volume, [x, y, z]: Vec3): number {
    const [ni, nj, nk] = src.dimensions;
    if (x < -0.5 || x >= ni - 0.5 || y < -0.5 || y >= nj - 0.5 || z < -0.5 || z >= nk - 0.5)
      return 0;
    const c = (u: number, n: number) => Math.min(Math.max(u, 0), n - 1);
    const [cx, cy, cz] = [c(x, ni), c(y, nj), c(z, nk)];
    let s = 0;
    for (const [i, wi] of [
      [Math.floor(cx), 1 - (cx - Math.floor(cx))],
      [Math.floor(cx) + 1, cx - Math.floor(cx)],
    ] as const)
      for (const [j, wj] of [
        [Math.floor(cy), 1 - (cy - Math.floor(cy))],
        [Math.floor(cy) + 1, cy - Math.floor(cy)],
      ] as const)
        for (const [k, wk] of [
          [Math.floor(cz), 1 - (cz - Math.floor(cz))],
          [Math.floor(cz) + 1, cz - Math.floor(cz)],
        ] as const) {
          const w = wi * wj * wk;
          if (w === 0) continue;
          s +=
            w *
            src.data[Math.min(i, ni - 1) + ni * (Math.min(j, nj - 1) + nj * Math.min(k, nk - 1))]!;
        }
    return s;
  }

  it('equals per-voxel LPS mapping and trilinear interpolation across rotated grids', () => {
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const source = randomVolume([12, 10, 6], 25);
    const src = volumeOf(source.dimensions, source.data, {
      spacing: [1.2, 0.9, 2],
      origin: [-5, 3, 10],
      direction: [c, s, 0, -s, c, 0, 0, 0, 1],
    });
    const target = volumeOf([9, 11, 5], new Float32Array(495), {
      spacing: [1, 1.1, 1.5],
      origin: [-6, 10, 11],
      direction: [1, 0, 0, 0, 0, 1, 0, -1, 0],
    });
    const t: Vec3 = [0.4, -0.7, 1.3];
    const out = resampleToGrid(src, target, t);
    const [ni, nj] = target.dimensions;
    let inside = 0;
    for (let v = 0; v < out.data.length; v++) {
      const i = v % ni;
      const j = Math.floor(v / ni) % nj;
      const k = Math.floor(v / (ni * nj));
      const d = target.direction;
      const p: Vec3 = [0, 1, 2].map(
        (r) =>
          target.origin[r]! +
          d[r]! * i * target.spacing[0] +
          d[3 + r]! * j * target.spacing[1] +
          d[6 + r]! * k * target.spacing[2] -
          t[r]!,
      ) as unknown as Vec3;
      const expected = plainTrilinear(src, toIndex(src, p));
      if (expected !== 0) inside++;
      // The result is stored as Float32: compare at single precision.
      expect(Math.abs(out.data[v]! - expected)).toBeLessThanOrEqual(
        1e-6 * Math.abs(expected) + 1e-9,
      );
    }
    expect(inside).toBeGreaterThan(50);
  });

  it('reproduces the source on its own grid, and a ramp exactly under a voxel shift', () => {
    const vol = randomVolume([7, 6, 5], 26);
    expect(resampleToGrid(vol, vol).data).toEqual(vol.data);
    const ramp = volumeOf(
      [8, 8, 4],
      Float32Array.from({ length: 256 }, (_, v) => v % 8),
    );
    const shifted = resampleToGrid(ramp, ramp, [2, 0, 0]);
    expect(shifted.data[5]).toBe(3);
    expect(shifted.data[0]).toBe(0); // from outside the source
  });

  it('centreOfMass is the intensity-weighted mean voxel centre in LPS', () => {
    const vol = volumeOf([6, 5, 4], randomVolume([6, 5, 4], 27).data, {
      spacing: [2, 3, 4],
      origin: [10, -20, 30],
      direction: [0, 1, 0, -1, 0, 0, 0, 0, 1],
    });
    const mask = randomMask(120, 28);
    let w = 0;
    const acc = [0, 0, 0];
    for (let v = 0; v < 120; v++) {
      if (!mask[v]) continue;
      const x = vol.data[v]!;
      const [i, j, k] = [v % 6, Math.floor(v / 6) % 5, Math.floor(v / 30)];
      const p = [10 - 3 * j, -20 + 2 * i, 30 + 4 * k];
      w += x;
      for (let r = 0; r < 3; r++) acc[r]! += x * p[r]!;
    }
    const com = centreOfMass(vol, mask);
    for (let r = 0; r < 3; r++) expectRel(com[r]!, acc[r]! / w);
    expect(centreOfMass(vol, new Uint8Array(120))).toEqual([NaN, NaN, NaN]);
  });
});

describe('computeSeriesMetrics', () => {
  it('equals the standalone metrics on the masks it makes', () => {
    const dims = [40, 36, 4] as const;
    const vol = discVolume(dims, 29, 11);
    const repeat = discVolume(dims, 30, 11);
    const fg = foregroundMask(vol);
    const bg = backgroundMask(vol, fg);
    for (const phaseAxis of ['i', 'j'] as const) {
      const m = computeSeriesMetrics(vol, { phaseAxis, repeat, reference: repeat });
      const s = snrBackground(vol, fg, bg);
      expectRel(m.snr, s.snr);
      expectRel(m.snrMean, s.snrMean);
      expectRel(m.noiseSigma, s.noiseSigma);
      expectRel(m.cnr, cnr(vol, fg, bg).cnr);
      expectRel(m.efc, efc(vol));
      expectRel(m.fber, fber(vol, fg, bg));
      expectRel(m.ghostingRatio, ghostingRatio(vol, fg, phaseAxis, { background: bg }));
      expectRel(m.sharpness, sharpness(vol, fg, bg).sharpness);
      expectRel(m.foregroundFraction, values(vol.data, fg).length / vol.data.length);
      expect(m.uqi).toBeGreaterThan(0.3);
      expect(m.snrDifference).toBeGreaterThan(1);
    }
  });

  it('returns documented values, not exceptions, for an all-zero volume', () => {
    const m = computeSeriesMetrics(volumeOf([8, 8, 2], new Float32Array(128)), {
      phaseAxis: 'j',
      reference: volumeOf([8, 8, 2], new Float32Array(128)),
      repeat: volumeOf([8, 8, 2], new Float32Array(128)),
    });
    expect(m.foregroundFraction).toBe(0);
    expect(m.fber).toBe(-1);
    for (const key of ['snr', 'snrMean', 'cnr', 'efc', 'ghostingRatio', 'sharpness'] as const)
      expect(m[key], key).toBeNaN();
    expect(m.uqi).toBeNaN();
    expect(m.snrDifference).toBeNaN();
  });

  it('returns documented values when the foreground leaves no background', () => {
    // A disc whose margin covers the whole field of view.
    const vol = discVolume([16, 16, 2], 31, 6);
    const m = computeSeriesMetrics(vol, { phaseAxis: 'i', marginVoxels: 8 });
    expect(m.foregroundFraction).toBeGreaterThan(0.3);
    expect(m.fber).toBe(-1);
    expect(m.snr).toBeNaN();
    expect(m.cnr).toBeNaN();
    expect(m.ghostingRatio).toBeNaN();
    expect(Number.isFinite(m.efc)).toBe(true);
    expect(Number.isFinite(m.sharpness)).toBe(true);
  });

  it('rejects a repeat on another grid', () => {
    const vol = discVolume([16, 16, 2], 32);
    expect(() =>
      computeSeriesMetrics(vol, { phaseAxis: 'i', repeat: discVolume([16, 16, 3], 33) }),
    ).toThrow(expect.objectContaining({ code: 'ERR_QA_METRIC_INPUT' }));
  });
});
