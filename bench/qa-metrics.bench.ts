/**
 * Image-quality metrics of one full-size MR volume (256×256×176 Float32, ~46 MB): time of
 * `computeSeriesMetrics` alone, with a reference on another grid (resampling + UQI), and with a
 * repeat (difference SNR); MB/s of voxel data; and the ratio to one plain summing pass over the same
 * Float32Array measured in the same run (the floor any metric pays to read the voxels once).
 *
 * Run: `npx tsx bench/qa-metrics.bench.ts`. Prints figures; asserts nothing. Each figure is the
 * median of 5 runs after 1 warm-up.
 */
import { IDENTITY_DIRECTION, createVolume } from '../src/core/index.js';
import type { Volume } from '../src/core/index.js';
import { computeSeriesMetrics } from '../src/qa/metrics/index.js';
import type { SeriesMetricsOptions } from '../src/qa/metrics/index.js';

const [NI, NJ, NK] = [256, 256, 176] as const;
const MB = 1e6;

/** Seeded normal deviates (mulberry32 + Box–Muller). */
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

/** A head-like phantom: an ellipsoid shell (scalp 80) around brain (WM 110, GM 70), in air. */
function phantom(seed: number, origin: readonly [number, number, number] = [0, 0, 0]): Volume {
  const g = gaussian(seed);
  const data = new Float32Array(NI * NJ * NK);
  const sigma = 4;
  let v = 0;
  for (let k = 0; k < NK; k++)
    for (let j = 0; j < NJ; j++)
      for (let i = 0; i < NI; i++, v++) {
        const r = ((i - 128) / 90) ** 2 + ((j - 128) / 110) ** 2 + ((k - 88) / 80) ** 2;
        const s = r < 0.55 ? 110 : r < 0.8 ? 70 : r < 1 ? 80 : 0;
        data[v] = Math.hypot(s + sigma * g(), sigma * g());
      }
  return createVolume({
    dimensions: [NI, NJ, NK],
    spacing: [1, 1, 1],
    origin: [...origin],
    direction: IDENTITY_DIRECTION,
    data,
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function time(run: () => unknown, repeats = 5): number {
  run();
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

function plainSum(data: Float32Array): number {
  let s = 0;
  // An indexed loop: on Node 20, for…of over a typed array runs about 5× slower, and the
  // baseline must be the fastest plain pass.
  // eslint-disable-next-line @typescript-eslint/prefer-for-of
  for (let v = 0; v < data.length; v++) s += data[v]!;
  return s;
}

const volume = phantom(1);
const repeat = phantom(2);
const reference = phantom(3, [2.5, -1.5, 0.75]);
const bytes = volume.data.byteLength;
let sink = 0;
const sumMs = time(() => (sink += plainSum(volume.data)), 9);

console.log(
  `qa-metrics benchmark: ${NI}×${NJ}×${NK} Float32 (${(bytes / MB).toFixed(1)} MB), node ${process.version}`,
);
console.log(
  `${'plain sum pass'.padEnd(34)} ${sumMs.toFixed(1).padStart(8)} ms ${(bytes / MB / (sumMs / 1000)).toFixed(0).padStart(7)} MB/s`,
);
const cases: readonly (readonly [string, SeriesMetricsOptions])[] = [
  ['computeSeriesMetrics', { phaseAxis: 'j' }],
  ['  + repeat (difference SNR)', { phaseAxis: 'j', repeat }],
  ['  + reference (resample, UQI)', { phaseAxis: 'j', reference }],
];
for (const [label, options] of cases) {
  let result = computeSeriesMetrics(volume, options);
  const ms = time(() => (result = computeSeriesMetrics(volume, options)));
  console.log(
    `${label.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms ${(bytes / MB / (ms / 1000)).toFixed(0).padStart(7)} MB/s ` +
      `${(ms / sumMs).toFixed(1).padStart(6)}× sum pass`,
  );
  if (label === 'computeSeriesMetrics') {
    const shown = Object.entries(result as unknown as Record<string, number>).map(
      ([k, x]) => `${k}=${x.toPrecision(4)}`,
    );
    console.log(`  values: ${shown.join(' ')}`);
  }
}
if (sink === 0) console.log('');
