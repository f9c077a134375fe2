/**
 * Isosurface of a 256³ label volume (1 mm voxels; three spheres and a bifurcating tube tree, one
 * label), beside scikit-image's `marching_cubes` (Lewiner, the default) on the same volume in the
 * same run. Each measurement runs in its own process so that its peak RSS is its own:
 *
 * - medscale MC: `extractIsosurface(volume as Float32, 0.5)` on the whole grid (what skimage does);
 * - medscale label pipeline: `labelSurface(labelmap, 1)` with defaults (crop to the label, marching
 *   cubes on the 0/1 field, 20 windowed-sinc passes, normals);
 * - skimage: `marching_cubes(volume, 0.5)` on the float32 volume, timed alone and with the load
 *   (read the raw file, reshape, convert).
 *
 * Run: `npx tsx bench/reconstruct-surface.bench.ts`. Needs Debian's `python3-skimage` for the peer
 * (`apt-get install python3-skimage`); prints figures, asserts nothing. Times are the median of 3
 * after one warm-up run, as wall time and as CPU time (steadier on a shared machine).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVolume, IDENTITY_DIRECTION } from '../src/core/index.js';
import type { Labelmap } from '../src/core/index.js';
import {
  checkWatertight,
  extractIsosurface,
  labelSurface,
  sphereShape,
  tubeUnionShape,
} from '../src/reconstruct/index.js';

const N = 256;
const RUNS = 3;
const PYTHON = '/usr/bin/python3';

/** The phantom: label 1 where any shape's signed distance at the voxel centre is negative. */
function phantom(): Labelmap {
  const shapes = [
    sphereShape([60.3, 70.2, 64.9], 30),
    sphereShape([190.4, 60.7, 70.1], 20),
    sphereShape([70.2, 190.5, 190.3], 15),
    tubeUnionShape('tree', [
      { from: [128, 128, 20], to: [128.5, 127.5, 120], radius: 12 },
      { from: [128.5, 127.5, 120], to: [190, 170, 230], radius: 9 },
      { from: [128.5, 127.5, 120], to: [80, 120, 235], radius: 8 },
      { from: [160, 150, 178], to: [220, 120, 210], radius: 5 },
    ]),
  ];
  const data = new Uint8Array(N * N * N);
  let g = 0;
  for (let k = 0; k < N; k++)
    for (let j = 0; j < N; j++)
      for (let i = 0; i < N; i++, g++) {
        for (const s of shapes) {
          const [lo, hi] = s.bounds;
          if (i < lo[0] || i > hi[0] || j < lo[1] || j > hi[1] || k < lo[2] || k > hi[2]) continue;
          if (s.sdf(i, j, k) < 0) {
            data[g] = 1;
            break;
          }
        }
      }
  return createVolume({
    dimensions: [N, N, N],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: IDENTITY_DIRECTION,
    data,
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Result {
  readonly seconds: number;
  /** CPU time (user + system) of the same runs: steadier than wall time on a loaded machine. */
  readonly cpuSeconds: number;
  readonly triangles: number;
  readonly maxRssMb: number;
  readonly watertight?: boolean;
  readonly loadSeconds?: number;
}

/** Child mode: one measurement, printed as JSON. */
function child(kind: string): void {
  const labelmap = phantom();
  const times: number[] = [];
  const cpu: number[] = [];
  let triangles = 0;
  let watertight = false;
  // One warm-up run (JIT, case table), then RUNS timed ones.
  for (let r = -1; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    if (kind === 'mc') {
      const volume = createVolume({ ...labelmap, data: Float32Array.from(labelmap.data) });
      const t0 = performance.now();
      const mesh = extractIsosurface(volume, 0.5);
      if (r >= 0) times.push((performance.now() - t0) / 1000);
      triangles = mesh.triangles.length / 3;
      if (r === 0) watertight = checkWatertight(mesh).boundaryEdges === 0;
    } else {
      const t0 = performance.now();
      const mesh = labelSurface(labelmap, 1);
      if (r >= 0) times.push((performance.now() - t0) / 1000);
      triangles = mesh.triangles.length / 3;
      if (r === 0) watertight = checkWatertight(mesh).watertight;
    }
    const c = process.cpuUsage(c0);
    if (r >= 0) cpu.push((c.user + c.system) / 1e6);
  }
  const result: Result = {
    seconds: median(times),
    cpuSeconds: median(cpu),
    triangles,
    watertight,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(result));
}

const SKIMAGE = `
import sys, time, json, resource
import numpy as np
from skimage.measure import marching_cubes
path, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mc, total, cpu = [], [], []
for r in range(runs + 1):
    t0 = time.perf_counter()
    vol = np.fromfile(path, dtype=np.uint8).reshape((n, n, n)).astype(np.float32)
    t1 = time.perf_counter(); c1 = time.process_time()
    verts, faces, normals, values = marching_cubes(vol, 0.5)
    t2 = time.perf_counter(); c2 = time.process_time()
    if r > 0:
        mc.append(t2 - t1); total.append(t2 - t0); cpu.append(c2 - c1)
mc.sort(); total.sort(); cpu.sort()
print(json.dumps({'seconds': mc[len(mc)//2], 'loadSeconds': total[len(total)//2], 'cpuSeconds': cpu[len(cpu)//2], 'triangles': int(len(faces)),
                  'maxRssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

function main(): void {
  const self = fileURLToPath(import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'medscale-surface-bench-'));
  try {
    const raw = join(dir, 'labels.u8');
    const labelmap = phantom();
    // C order (k, j, i) in numpy is exactly our i-fastest layout.
    writeFileSync(raw, labelmap.data);
    let voxels = 0;
    for (const v of labelmap.data) voxels += v;
    const run = (kind: string): Result =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', self, 'child', kind], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        }),
      ) as Result;
    const mc = run('mc');
    const pipeline = run('label');
    const row = (name: string, r: Result): string =>
      `${name.padEnd(34)} ${r.seconds.toFixed(3).padStart(7)} s (CPU ${r.cpuSeconds.toFixed(3)} s)  ${(r.triangles / r.seconds / 1e6).toFixed(2).padStart(6)} M tri/s  ${String(r.triangles).padStart(8)} triangles  peak RSS ${r.maxRssMb.toFixed(0).padStart(5)} MB` +
      (r.watertight === undefined ? '' : `  watertight ${r.watertight ? 'yes' : 'no'}`);
    console.log(
      `volume ${N}³ uint8, 1 mm, ${voxels} labelled voxels (${((100 * voxels) / N ** 3).toFixed(1)} %)`,
    );
    console.log(row('medscale marching cubes (whole grid)', mc));
    console.log(row('medscale labelSurface (defaults)', pipeline));
    const probe = spawnSync(PYTHON, ['-c', 'import skimage; print(skimage.__version__)'], {
      encoding: 'utf8',
    });
    if (probe.status !== 0) {
      console.log('skimage: not installed (apt-get install python3-skimage): no peer ratio');
      return;
    }
    const sk = JSON.parse(
      execFileSync(PYTHON, ['-c', SKIMAGE, raw, String(N), String(RUNS)], { encoding: 'utf8' }),
    ) as Result;
    console.log(row(`skimage ${probe.stdout.trim()} marching_cubes`, sk));
    console.log(
      `skimage marching_cubes incl. load + float conversion: ${sk.loadSeconds!.toFixed(3)} s`,
    );
    console.log(
      `ratio skimage / medscale (marching cubes alone): ${(sk.seconds / mc.seconds).toFixed(2)}× wall, ` +
        `${(sk.cpuSeconds / mc.cpuSeconds).toFixed(2)}× CPU ` +
        `(> 1: medscale faster); vs medscale's whole label pipeline: ${(sk.seconds / pipeline.seconds).toFixed(2)}×; ` +
        `incl. skimage's load: ${(sk.loadSeconds! / mc.seconds).toFixed(2)}×`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') child(process.argv[3] ?? 'mc');
else main();
