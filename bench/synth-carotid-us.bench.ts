/**
 * Synthetic carotid ultrasound generation: images/s, frames/s and MB/s written for the default
 * cohort (39 patients, about 180 images on vendor-like screens of 640×480 to 1024×768) and for
 * the `small` layout (320×240), in this thread and (full) on one worker per core. As the I/O ceiling ("fs only"), the same files
 * are written again with `fs.writeFile` alone, 16 in flight: generation can never beat it.
 *
 * Run: `npx tsx bench/synth-carotid-us.bench.ts [patients]` (set `MEDSCALE_BENCH_DIR` to
 * measure another filesystem; the default is `.bench-out/synth-carotid-us`). Prints figures;
 * asserts nothing.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { synthesizeCarotidUs } from '../src/synth/index.js';
import type { CarotidUsGroundTruth } from '../src/synth/index.js';

const OUT = process.env['MEDSCALE_BENCH_DIR'] ?? join('.bench-out', 'synth-carotid-us');
const PATIENTS = Number(process.argv[2] ?? 39);
const MB = 1e6;
const cores = availableParallelism();

function line(label: string, images: number, frames: number, bytes: number, seconds: number): void {
  console.log(
    `${label.padEnd(20)} ${String(images).padStart(5)} images ${String(frames).padStart(5)} frames ` +
      `${(bytes / MB).toFixed(1).padStart(7)} MB ${seconds.toFixed(2).padStart(7)} s ` +
      `${(images / seconds).toFixed(2).padStart(7)} images/s ${(frames / seconds).toFixed(2).padStart(7)} frames/s ` +
      `${(bytes / MB / seconds).toFixed(2).padStart(7)} MB/s`,
  );
}

/** Rewrites every DICOM and mask file with fs alone, 16 in flight: the filesystem's ceiling. */
async function fsOnly(
  outDir: string,
  truth: CarotidUsGroundTruth,
): Promise<{ bytes: number; seconds: number }> {
  const files = truth.images.flatMap((i) => [i.file, ...i.masks]);
  const contents = files.map((f) => readFileSync(join(outDir, f)));
  const copy = `${outDir}-fs-only`;
  rmSync(copy, { recursive: true, force: true });
  for (const dir of new Set(files.map((f) => dirname(join(copy, f)))))
    mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const pending = new Set<Promise<void>>();
  for (const [i, f] of files.entries()) {
    while (pending.size >= 16) await Promise.race(pending);
    const job: Promise<void> = writeFile(join(copy, f), contents[i]!).then(() => {
      pending.delete(job);
    });
    pending.add(job);
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  rmSync(copy, { recursive: true, force: true });
  return { bytes: contents.reduce((n, c) => n + c.length, 0), seconds };
}

console.log(
  `synth carotid-us benchmark: ${cores} cores, load average ${loadavg()[0]!.toFixed(1)}, ${PATIENTS} patients, output ${OUT}`,
);
const RUNS = [
  { size: 'full', concurrency: 1 },
  ...(cores > 1 ? [{ size: 'full', concurrency: cores } as const] : []),
  { size: 'small', concurrency: 1 },
] as const;
for (const { size, concurrency } of RUNS) {
  const outDir = join(OUT, `${size}-${concurrency}`);
  rmSync(outDir, { recursive: true, force: true });
  const summary = await synthesizeCarotidUs({
    outDir,
    patients: PATIENTS,
    seed: 2026,
    size,
    concurrency,
  });
  const label = `${size}, ${concurrency === 1 ? '1 thread' : `${concurrency} workers`}`;
  line(label, summary.images, summary.frames, summary.bytes, summary.elapsedMs / 1000);
  if (concurrency === 1) {
    const truth = JSON.parse(readFileSync(summary.groundTruthFile, 'utf8')) as CarotidUsGroundTruth;
    const peer = await fsOnly(outDir, truth);
    line(`  fs only (${size})`, summary.images, summary.frames, peer.bytes, peer.seconds);
    console.log(
      `  ratio generation / fs only: ${(summary.elapsedMs / 1000 / peer.seconds).toFixed(0)}×`,
    );
  }
  rmSync(outDir, { recursive: true, force: true });
}
