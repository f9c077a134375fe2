/**
 * Carotid bifurcation reconstruction: time to reconstruct from a full set of ultrasound masks
 * (a bifurcation view, a distal ICA view and three transversal cuts at 0.1 mm/px, a 50 % NASCET
 * plaque), and time to extract the lumen and wall surfaces (signed-distance union + marching
 * tetrahedra) at 0.2 and 0.3 mm.
 *
 * Run: `npx tsx bench/reconstruct-carotid.bench.ts`. Prints figures (median of several runs, wall
 * and CPU time, with the load average: the figures scale with a busy machine); asserts nothing.
 */
import { loadavg } from 'node:os';
import {
  carotidCenterlines,
  carotidMeshStats,
  carotidSurfaces,
  rasterizeCarotidViews,
  reconstructCarotid,
} from '../src/reconstruct/index.js';

function time<T>(runs: number, f: () => T): { result: T; wallMs: number; cpuMs: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = f();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1]!;
  return { result, wallMs: median(walls), cpuMs: median(cpus) };
}

const params = { icaLengthMm: 50, ecaLengthMm: 40, stenosis: { nascetPct: 50 } };
const raster = time(1, () =>
  rasterizeCarotidViews(params, {
    pixelSpacingMm: 0.1,
    longitudinal: [
      { covers: 'bifurcation', fromMm: -25, toMm: 35 },
      { covers: 'ica', fromMm: 20, toMm: 45 },
    ],
    transversal: [
      { branch: 'cca', positionMm: -20 },
      { branch: 'ica', positionMm: 6.5 },
      { branch: 'eca', positionMm: 10 },
    ],
  }),
);
const views = raster.result;
const pixels = [...views.longitudinal, ...views.transversal].reduce(
  (n, v) => n + v.mask.columns * v.mask.rows,
  0,
);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' ',
    )}; views: ${views.longitudinal.length} longitudinal + ${views.transversal.length} transversal, ${(pixels / 1e6).toFixed(2)} Mpixel (drawn in ${raster.wallMs.toFixed(0)} ms)`,
);

const rec = time(5, () => reconstructCarotid(views));
const m = rec.result.measurements;
console.log(
  `reconstruct from views: ${rec.wallMs.toFixed(0)} ms wall, ${rec.cpuMs.toFixed(0)} ms CPU (median of 5); NASCET ${m.nascetPct.value.toFixed(1)} % (truth 50), CCA ${m.ccaDiameterMm.value.toFixed(3)} mm (truth 6.500)`,
);

for (const voxelMm of [0.3, 0.2]) {
  const s = time(3, () => carotidSurfaces(rec.result.geometry, { voxelMm }));
  const lumen = carotidMeshStats(s.result.lumen);
  const wall = carotidMeshStats(s.result.wall);
  const [nx, ny, nz] = s.result.grid.dimensions;
  console.log(
    `surfaces at ${voxelMm} mm (grid ${nx}×${ny}×${nz}): ${s.wallMs.toFixed(0)} ms wall, ${s.cpuMs.toFixed(0)} ms CPU (median of 3); lumen ${lumen.triangles} triangles ${(lumen.volumeMm3 / 1000).toFixed(3)} mL ${lumen.watertight ? 'watertight' : 'OPEN'}, wall ${wall.triangles} triangles ${wall.watertight ? 'watertight' : 'OPEN'}`,
  );
}
const c = time(5, () => carotidCenterlines(rec.result.geometry));
console.log(`centerlines: ${c.wallMs.toFixed(1)} ms`);
