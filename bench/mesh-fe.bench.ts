/**
 * Finite-element meshing at the study's sizes:
 * - a voxel hexahedral mesh of a thick-walled, truncated ellipsoidal LV myocardium label in a
 *   200³ volume of 0.5 mm voxels (≈ 1.5 million hexahedra, the heart model's size): seconds,
 *   elements/s, peak resident memory (`resourceUsage().maxRSS`); then the quality report, Taubin
 *   boundary smoothing (5 iterations) and the `.vtu` / `.inp` / `.feb` encoders (time, size);
 * - a swept O-grid of a carotid bifurcation (CCA, ICA, ECA; 32 sectors, 0.7 mm wall): seconds.
 *
 * Run: `npx tsx bench/mesh-fe.bench.ts`. Prints figures; asserts nothing. The LV figures are one
 * run each (the mesh is large); the carotid figure is the median of 5 runs after 1 warm-up. Each
 * figure gives wall seconds and the process's CPU seconds (user + system, `process.cpuUsage`),
 * which stay meaningful on a shared, loaded machine; the load average is printed first.
 */
import { loadavg } from 'node:os';
import { cpuUsage, resourceUsage } from 'node:process';
import { IDENTITY_DIRECTION, createVolume } from '../src/core/index.js';
import type { Labelmap } from '../src/core/index.js';
import {
  feMeshCellQuality,
  meshLabelmapHex,
  sweepOGridMesh,
  writeFeMeshFeb,
  writeFeMeshInp,
  writeFeMeshVtu,
} from '../src/reconstruct/index.js';
import type { FeCenterlineBranch } from '../src/reconstruct/index.js';

const N = 200;
const SPACING = 0.5;
const MB = 1e6;

/**
 * LV phantom in voxels: blood pool (label 1) inside a myocardium shell (label 2) between two
 * confocal-ish prolate ellipsoids, cut flat at the base. Outer semi-axes 44 × 44 × 57 mm, inner
 * 36 × 36 × 48 mm (0.5 mm voxels): an 8–9 mm wall.
 */
function lvPhantom(): Labelmap {
  const data = new Uint8Array(N * N * N);
  const c = (N - 1) / 2;
  let v = 0;
  for (let k = 0; k < N; k++) {
    for (let j = 0; j < N; j++) {
      for (let i = 0; i < N; i++, v++) {
        const x = i - c;
        const y = j - c;
        const z = k - c + 20;
        if (k - c > 78) continue; // base plane
        const outer = (x / 88) ** 2 + (y / 88) ** 2 + (z / 114) ** 2 <= 1;
        const inner = (x / 71) ** 2 + (y / 71) ** 2 + (z / 96) ** 2 <= 1;
        data[v] = inner ? 1 : outer ? 2 : 0;
      }
    }
  }
  return createVolume({
    dimensions: [N, N, N],
    spacing: [SPACING, SPACING, SPACING],
    origin: [0, 0, 0],
    direction: IDENTITY_DIRECTION,
    data,
  });
}

/** Idealised carotid bifurcation after Bharadvaj et al. 1982 (CCA 8 mm, ICA/ECA ±25°). */
function carotid(): FeCenterlineBranch[] {
  const line = (
    name: string,
    from: readonly [number, number, number],
    angleDeg: number,
    length: number,
    r0: number,
    r1: number,
  ): FeCenterlineBranch => {
    const a = (angleDeg * Math.PI) / 180;
    const points: [number, number, number][] = [];
    const radii: number[] = [];
    for (let i = 0; i <= 20; i++) {
      const s = (length * i) / 20;
      // A gentle S-curve so the frames have work to do.
      points.push([
        from[0] + s * Math.sin(a) + 1.5 * Math.sin(s / 8),
        from[1],
        from[2] + s * Math.cos(a),
      ]);
      radii.push(r0 + ((r1 - r0) * i) / 20);
    }
    return { name, points, radii };
  };
  return [
    line('cca', [0, 0, -60], 0, 60, 4, 4),
    line('ica', [1.5 * Math.sin(60 / 8), 0, 0], 25, 50, 3.6, 2.8),
    line('eca', [1.5 * Math.sin(60 / 8), 0, 0], -25, 40, 2.8, 2.2),
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

const rssMB = (): number => (resourceUsage().maxRSS * 1024) / MB;

/** Runs `f` once: its result, wall seconds and CPU seconds. */
function measure<T>(f: () => T): { result: T; wall: number; cpu: number } {
  const c0 = cpuUsage();
  const t0 = performance.now();
  const result = f();
  const c = cpuUsage(c0);
  return { result, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}
const secs = (m: { wall: number; cpu: number }): string =>
  `${m.wall.toFixed(2)} s wall, ${m.cpu.toFixed(2)} s CPU`;

console.log(`load average (1 min) ${loadavg()[0]?.toFixed(1)}`);

const labelmap = lvPhantom();
const rssBefore = rssMB();
const meshed = measure(() => meshLabelmapHex(labelmap, { labels: [2] }));
const { mesh } = meshed.result;
const rssAfter = rssMB();
const cells = mesh.cellTypes.length;
const nodes = mesh.points.length / 3;
console.log(
  `LV voxel hex mesh (200³ label map, 0.5 mm): ${cells.toLocaleString('en')} hexahedra, ${nodes.toLocaleString('en')} nodes`,
);
console.log(
  `  mesh: ${secs(meshed)}, ${(cells / meshed.cpu / 1e6).toFixed(2)} M elements per CPU second; peak RSS ${rssBefore.toFixed(0)} MB before (label map), ${rssAfter.toFixed(0)} MB after`,
);

const measuredQuality = measure(() => feMeshCellQuality(mesh));
const quality = measuredQuality.result;
console.log(
  `  quality report: ${secs(measuredQuality)} (min SJ ${quality.report.minScaledJacobian.toFixed(3)}, volume ${(quality.report.volumeMm3 / 1000).toFixed(1)} mL)`,
);

const measuredSmooth = measure(() =>
  meshLabelmapHex(labelmap, { labels: [2], smoothing: { iterations: 5 } }),
);
const smoothed = measuredSmooth.result;
const sq = feMeshCellQuality(smoothed.mesh).report;
console.log(
  `  mesh + Taubin smoothing (5 iterations): ${secs(measuredSmooth)} (smoothing ≈ ${(measuredSmooth.cpu - meshed.cpu).toFixed(2)} s CPU; ${smoothed.smoothing?.boundaryNodes.toLocaleString('en')} boundary nodes, ${smoothed.smoothing?.relaxedNodes.toLocaleString('en')} relaxed); min SJ ${sq.minScaledJacobian.toFixed(3)}, mean ${sq.meanScaledJacobian.toFixed(3)}, inverted ${sq.inverted}; peak RSS ${rssMB().toFixed(0)} MB`,
);

for (const [name, write] of [
  [
    '.vtu',
    () =>
      writeFeMeshVtu(smoothed.mesh, {
        cellData: [{ name: 'scaled_jacobian', values: quality.scaledJacobian }],
      }),
  ],
  ['.inp', () => writeFeMeshInp(smoothed.mesh)],
  ['.feb', () => writeFeMeshFeb(smoothed.mesh)],
] as const) {
  const m = measure(write);
  const size = m.result.length / MB;
  console.log(
    `  write ${name}: ${secs(m)}, ${size.toFixed(1)} MB (${(size / m.cpu).toFixed(0)} MB per CPU second)`,
  );
}
console.log(`  peak RSS at the end: ${rssMB().toFixed(0)} MB`);

const branches = carotid();
const options = { sectors: 32, wallThicknessMm: 0.7 } as const;
const first = sweepOGridMesh(branches, options);
const runs = Array.from({ length: 5 }, () => measure(() => sweepOGridMesh(branches, options)));
const cq = feMeshCellQuality(first.mesh).report;
console.log(
  `carotid bifurcation swept O-grid (32 sectors, 0.7 mm wall): ${cq.cells.toLocaleString('en')} hexahedra, ${cq.nodes.toLocaleString('en')} nodes in ${(median(runs.map((r) => r.wall)) * 1000).toFixed(1)} ms wall, ${(median(runs.map((r) => r.cpu)) * 1000).toFixed(1)} ms CPU (median of 5); min SJ ${cq.minScaledJacobian.toFixed(3)}, mean ${cq.meanScaledJacobian.toFixed(3)}, inverted ${cq.inverted}; junction ${first.junctions.map((j) => `${j.parent}→${j.children.join('+')} non-conforming`).join(', ')}`,
);
