/**
 * Reduced-order carotid hemodynamics: time per full solve (one cardiac cycle in periodic steady
 * state with all outputs: branch flows and pressures, Young–Tsai drops, WSS over the cycle at every
 * centreline point, TAWSS, OSI, Reynolds and Womersley numbers) for the generic bifurcation
 * (healthy, 70 % ICA stenosis, both at 128 and 256 samples) and the example reconstructed tree; and
 * Bessel throughput: Womersley factors (J0/J1 at Λ = i^(3/2)·α, series below α 20, Hankel above)
 * and general complex J0/J1 per second.
 *
 * Run: `npx tsx bench/simulate-carotid.bench.ts`. Prints figures; asserts nothing. Each figure is
 * the median of 7 runs (5 for Bessel) after 1 warm-up; solves show wall and CPU time (user +
 * system), the CPU figure being the one to trust on a shared machine.
 */
import { readFileSync } from 'node:fs';
import {
  addStenosis,
  genericCarotidBifurcation,
  parseVesselTree,
  simulateCarotid,
} from '../src/simulate/index.js';
import type { CarotidSimulationOptions, VesselTree } from '../src/simulate/index.js';
import { besselJ01, womersleyFactors } from '../src/simulate/vessels/kernels/bessel.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Median wall time and median CPU time (user + system, less disturbed on a busy machine), ms. */
function timeBoth(run: () => unknown, repeats = 7): { wall: number; cpu: number } {
  run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function time(run: () => unknown, repeats = 7): number {
  return timeBoth(run, repeats).cpu;
}

const generic = genericCarotidBifurcation();
const stenosed = addStenosis(generic, { percent: 70, lengthMm: 12 });
const example = parseVesselTree(
  JSON.parse(
    readFileSync(
      new URL('../examples/vessels/carotid-stenosis-60.vessels.json', import.meta.url),
      'utf8',
    ),
  ),
);

const cases: [string, VesselTree, CarotidSimulationOptions][] = [
  ['generic, healthy, N = 128', generic, {}],
  ['generic, healthy, N = 256', generic, { samples: 256 }],
  ['generic, 70 % ICA stenosis, N = 128', stenosed.tree, { stenoses: [stenosed.stenosis] }],
  [
    'generic, 70 % ICA stenosis, N = 256',
    stenosed.tree,
    { stenoses: [stenosed.stenosis], samples: 256 },
  ],
  ['example tree (60 %, detected), N = 128', example, {}],
  [
    'generic, 70 %, split outlets (tuned), N = 128',
    stenosed.tree,
    { stenoses: [stenosed.stenosis], outlets: { kind: 'split', shares: { ica: 0.65, eca: 0.35 } } },
  ],
];

console.log('Full carotid solve (one cycle, all outputs), median of 7:');
for (const [name, tree, options] of cases) {
  const result = simulateCarotid(tree, options);
  const points = result.branches.reduce((a, b) => a + b.points.length, 0);
  const { wall, cpu } = timeBoth(() => simulateCarotid(tree, options));
  console.log(
    `  ${name.padEnd(46)} ${wall.toFixed(1).padStart(7)} ms wall, ${cpu.toFixed(1).padStart(7)} ms CPU  (${result.segments.length} segments, ${points} points, ${result.solver.besselEvaluations} Bessel evaluations, Newton ${result.solver.newtonIterations})`,
  );
}

const out = new Float64Array(6);
const count = 200_000;
let sink = 0;
const womersley = time(() => {
  for (let i = 0; i < count; i++) {
    womersleyFactors(0.5 + (i % 400) * 0.1, out); // α 0.5–40.4
    sink += out[2]!;
  }
}, 5);
const small = time(() => {
  for (let i = 0; i < count; i++) {
    womersleyFactors(1 + (i % 100) * 0.1, out); // α 1–11, the carotid range
    sink += out[2]!;
  }
}, 5);
const general = time(() => {
  for (let i = 0; i < count; i++) {
    besselJ01((i % 200) * 0.2 - 20, ((i * 7) % 100) * 0.1 - 5, out); // |Re z| ≤ 20, |Im z| ≤ 5
    sink += out[0]!;
  }
}, 5);
console.log('Bessel throughput (per CPU second), median of 5:');
console.log(
  `  Womersley factors, α 0.5–40:  ${(((count / womersley) * 1e3) / 1e6).toFixed(2)} M/s`,
);
console.log(`  Womersley factors, α 1–11:    ${(((count / small) * 1e3) / 1e6).toFixed(2)} M/s`);
console.log(`  complex J0+J1, |z| ≤ 21:      ${(((count / general) * 1e3) / 1e6).toFixed(2)} M/s`);
if (sink === 42) console.log('');
