/**
 * LV geometry: time per frame of the biplane method of discs (A4C + A2C masks, 20 discs) and of
 * a whole clip's analysis (volumes of every frame, ED/ES, wall and mass), of a short-axis stack
 * volume and surface per phase, and the throughput of `synth lv-echo` (frames/s, both views
 * counted, DICOM, masks and ground truth written).
 *
 * Run: `npx tsx bench/reconstruct-lv.bench.ts [cases]` (set `MEDSCALE_BENCH_DIR` to measure
 * another filesystem; the default is `.bench-out/reconstruct-lv`). Prints figures; asserts nothing.
 */
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { createVolume } from '../src/core/index.js';
import {
  biplaneVolume,
  echoLvFunction,
  fitTruncatedEllipsoid,
  labelMask,
  shortAxisStackVolume,
  shortAxisSurface,
  truncatedEllipsoidMesh,
} from '../src/reconstruct/index.js';
import { readLabelStack, synthesizeLvEcho } from '../src/synth/lv-echo/index.js';
import type { LvEchoGroundTruth } from '../src/synth/lv-echo/index.js';

const OUT = process.env['MEDSCALE_BENCH_DIR'] ?? join('.bench-out', 'reconstruct-lv');
const CASES = Number(process.argv[2] ?? 3);
const FRAMES = 30;

/** Median of `repeats` timings of `run`, in ms, after one warm-up call. */
function time(run: () => void, repeats: number): number {
  run();
  const t: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    t.push(performance.now() - start);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)]!;
}

console.log(
  `${availableParallelism()} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

// 1. synth lv-echo throughput.
rmSync(OUT, { recursive: true, force: true });
const summary = await synthesizeLvEcho({ outDir: OUT, cases: CASES, frames: FRAMES, seed: 1 });
const seconds = summary.elapsedMs / 1000;
const truth = JSON.parse(readFileSync(summary.groundTruthFile, 'utf8')) as LvEchoGroundTruth;
const c0 = truth.cases[0]!;
console.log(
  `synth lv-echo        ${summary.cases} cases × 2 views × ${FRAMES} frames (${c0.image.columns}×${c0.image.rows} px for lv-001): ` +
    `${summary.frames} frames, ${(summary.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s = ` +
    `${(summary.frames / seconds).toFixed(1)} frames/s, ${(summary.bytes / 1e6 / seconds).toFixed(1)} MB/s`,
);

// 2. Biplane method of discs on the synthetic masks of lv-001.
const a4c = await readLabelStack(join(OUT, c0.files.a4c.labels));
const a2c = await readLabelStack(join(OUT, c0.files.a2c.labels));
const endo4 = labelMask(a4c.frames[0]!, [1]);
const endo2 = labelMask(a2c.frames[0]!, [1]);
const biplaneMs = time(() => biplaneVolume(endo4, endo2), 50);
console.log(
  `biplane discs        ${biplaneMs.toFixed(2)} ms per frame (A4C + A2C masks, 20 discs)`,
);
const clipMs = time(() => echoLvFunction({ a4c: a4c.frames, a2c: a2c.frames }), 5);
console.log(
  `clip analysis        ${clipMs.toFixed(1)} ms per clip pair of ${FRAMES} frames = ${(clipMs / FRAMES).toFixed(2)} ms per frame ` +
    `(label masks, volumes, ED/ES, wall and mass)`,
);
const f = echoLvFunction({ a4c: a4c.frames, a2c: a2c.frames });
const fitMs = time(() => truncatedEllipsoidMesh(fitTruncatedEllipsoid(f.ed).ellipsoid), 20);
console.log(`ellipsoid fit + mesh ${fitMs.toFixed(2)} ms`);
console.log(
  `accuracy lv-001      EDV ${f.edvMl.toFixed(1)} / ${c0.frameEdvMl} mL, ESV ${f.esvMl.toFixed(1)} / ${c0.frameEsvMl} mL, ` +
    `EF ${f.ejectionFractionPct.toFixed(1)} / ${c0.frameEjectionFractionPct.toFixed(1)} %, mass ${f.wall?.massG.toFixed(1)} / ${c0.massG.toFixed(1)} g`,
);

// 3. Short-axis stack: a 160×160×12 cine phase (1.5 mm pixels, 8 mm slices).
const n = 160;
const nk = 12;
const data = new Uint8Array(n * n * nk);
for (let k = 0; k < nk; k++) {
  const z = 28 - 4 - 8 * k;
  const frac = 1 - (z * z) / (56.7 * 56.7);
  if (frac <= 0) continue;
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const x = (i - n / 2) * 1.5;
      const y = (j - n / 2) * 1.5;
      if ((x * x) / 600 + (y * y) / 560 <= frac) data[i + j * n + k * n * n] = 1;
    }
}
const sax = createVolume({
  dimensions: [n, n, nk],
  spacing: [1.5, 1.5, 8],
  origin: [0, 0, 24],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, -1],
  data,
});
console.log(
  `short-axis Simpson   ${time(() => shortAxisStackVolume(sax), 20).toFixed(2)} ms per phase (${n}×${n}×${nk})`,
);
console.log(
  `short-axis surface   ${time(() => shortAxisSurface(sax, { points: 64 }), 10).toFixed(2)} ms per phase (64 points per contour)`,
);
