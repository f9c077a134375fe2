/**
 * Synthetic MR cohort generation: instances/s and MB/s for a `small` cohort (≥ 5,000 instances of
 * ≤ 64² pixels) and a `full` one (the protocol's own matrices, ~750 instances and ~100 MB per
 * session), in this thread and on worker threads.
 *
 * Run: `npx tsx bench/synth.bench.ts` (set `MEDSCALE_BENCH_DIR` to measure another filesystem; the
 * default is `.bench-out/synth` in the working directory). Prints figures; asserts nothing. As the
 * I/O ceiling, the same number of files of the same sizes are written again with `fs.writeFile`
 * alone (the "fs only" line): generation can never beat it.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { synthesizeMrCohort } from '../src/synth/index.js';
import type { CohortSize, GroundTruth } from '../src/synth/index.js';

const OUT = process.env['MEDSCALE_BENCH_DIR'] ?? join('.bench-out', 'synth');
const MB = 1e6;
const cores = availableParallelism();

interface Run {
  readonly label: string;
  readonly size: CohortSize;
  readonly participants: number;
  readonly concurrency: number;
}

const RUNS: readonly Run[] = [
  { label: 'small, 1 thread', size: 'small', participants: 53, concurrency: 1 },
  ...(cores > 1
    ? [
        {
          label: `small, ${cores} workers`,
          size: 'small',
          participants: 53,
          concurrency: cores,
        } as const,
      ]
    : []),
  { label: 'full, 1 thread', size: 'full', participants: 2, concurrency: 1 },
  ...(cores > 1
    ? [
        {
          label: `full, ${cores} workers`,
          size: 'full',
          participants: Math.max(2, cores),
          concurrency: cores,
        } as const,
      ]
    : []),
];

function line(label: string, instances: number, bytes: number, seconds: number): void {
  console.log(
    `${label.padEnd(22)} ${String(instances).padStart(6)} files ${(bytes / MB).toFixed(1).padStart(8)} MB ` +
      `${seconds.toFixed(2).padStart(7)} s ${(instances / seconds).toFixed(0).padStart(7)} inst/s ` +
      `${(bytes / MB / seconds).toFixed(1).padStart(7)} MB/s`,
  );
}

/** Rewrites every DICOM file of a cohort with fs alone, 16 in flight: the filesystem's ceiling. */
async function fsOnly(
  outDir: string,
  truth: GroundTruth,
): Promise<{ files: number; bytes: number; seconds: number }> {
  const paths = truth.participants.flatMap((p) =>
    p.sessions.flatMap((s) =>
      s.series.flatMap((series) =>
        Array.from({ length: series.instances }, (_, k) =>
          join(outDir, series.directory, `${String(k + 1).padStart(4, '0')}.dcm`),
        ),
      ),
    ),
  );
  const contents = paths.map((path) => readFileSync(path));
  const copyDir = `${outDir}-fs-only`;
  rmSync(copyDir, { recursive: true, force: true });
  const dirs = new Set(
    paths.map((path) => join(copyDir, path.slice(outDir.length + 1, path.lastIndexOf('/')))),
  );
  for (const dir of dirs) mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const pending = new Set<Promise<void>>();
  for (const [i, path] of paths.entries()) {
    while (pending.size >= 16) await Promise.race(pending);
    const job: Promise<void> = writeFile(
      join(copyDir, path.slice(outDir.length + 1)),
      contents[i]!,
    ).then(() => {
      pending.delete(job);
    });
    pending.add(job);
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  rmSync(copyDir, { recursive: true, force: true });
  return { files: paths.length, bytes: contents.reduce((n, c) => n + c.length, 0), seconds };
}

console.log(
  `synth mr-cohort benchmark: ${cores} cores, load average ${loadavg()[0]!.toFixed(1)}, output ${OUT}`,
);
for (const run of RUNS) {
  const outDir = join(OUT, run.label.replace(/[^a-z0-9]+/g, '-'));
  rmSync(outDir, { recursive: true, force: true });
  const summary = await synthesizeMrCohort({
    outDir,
    participants: run.participants,
    size: run.size,
    seed: 2026,
    concurrency: run.concurrency,
  });
  line(run.label, summary.instances, summary.bytes, summary.elapsedMs / 1000);
  if (run.concurrency === 1) {
    const truth = JSON.parse(readFileSync(summary.groundTruthFile, 'utf8')) as GroundTruth;
    const peer = await fsOnly(outDir, truth);
    line(`  fs only (${run.size})`, peer.files, peer.bytes, peer.seconds);
  }
  rmSync(outDir, { recursive: true, force: true });
}
