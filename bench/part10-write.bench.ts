/**
 * Part 10 writing: medscale's encoder (`writePart10`) against dcmjs's `DicomDict.write`
 * (`writePart10Dcmjs`), which it reproduces byte for byte.
 *
 * Run: `npx tsx bench/part10-write.bench.ts`. Prints ms per write and the speed-up; asserts
 * nothing.
 *
 * Data (provenance): Debian's python3-pydicom test files MR_small.dcm (64×64 MR, 9.8 KB of pixel
 * data, ~150 elements) and CT_small.dcm (128×128 CT), and a 256×256 16-bit MR slice (~130 KB,
 * the size of a typical cohort slice) made here from MR_small by replacing Rows, Columns and
 * Pixel Data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DicomDataset } from '../src/dicom/index.js';
import { readPart10 } from '../src/dicom/index.js';
import { writePart10, writePart10Dcmjs } from '../src/dicom/part10/write-part10.js';

const PYDICOM_DIR = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
/** Each timing runs for at least this long. */
const MIN_MS = 1000;

interface Case {
  readonly name: string;
  readonly meta: DicomDataset;
  readonly dataset: DicomDataset;
}

function fromFile(name: string): Case {
  const { meta, dataset } = readPart10(readFileSync(join(PYDICOM_DIR, name)));
  return { name, meta, dataset };
}

function mr256(): Case {
  const { meta, dataset } = fromFile('MR_small.dcm');
  const pixels = new Uint16Array(256 * 256);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 4096;
  dataset['00280010'] = { vr: 'US', Value: [256] };
  dataset['00280011'] = { vr: 'US', Value: [256] };
  dataset['7FE00010'] = { vr: 'OW', Value: [pixels.buffer] };
  return { name: 'MR 256×256 (from MR_small.dcm)', meta, dataset };
}

/** Milliseconds per call of `write`, after a warm-up, over at least {@link MIN_MS}. */
function msPerWrite(write: () => Uint8Array): { readonly ms: number; readonly bytes: number } {
  let bytes = 0;
  for (let i = 0; i < 50; i++) bytes = write().length;
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    for (let i = 0; i < 20; i++) write();
    calls += 20;
    elapsed = performance.now() - start;
  }
  return { ms: elapsed / calls, bytes };
}

const cases = [fromFile('MR_small.dcm'), fromFile('CT_small.dcm'), mr256()];
console.log('file                               bytes    dcmjs ms   medscale ms   speed-up');
for (const { name, meta, dataset } of cases) {
  const dcmjs = msPerWrite(() => writePart10Dcmjs(meta, dataset));
  const ours = msPerWrite(() => writePart10(meta, dataset));
  console.log(
    `${name.padEnd(34)} ${String(ours.bytes).padStart(7)} ${dcmjs.ms.toFixed(3).padStart(10)} ` +
      `${ours.ms.toFixed(3).padStart(13)} ${(dcmjs.ms / ours.ms).toFixed(1).padStart(9)}×`,
  );
}
