/**
 * Series → NIfTI-1 export: our path (read Part 10 files, build the Volume, write `.nii` and
 * `.nii.gz`) against dcm2niix on the same directory, in the same run.
 *
 * Run: `npx tsx bench/nifti-export.bench.ts` (set `MEDSCALE_BENCH_REPS` for more repetitions;
 * default 7 after one warm-up). Prints figures; asserts nothing.
 *
 * Data: a synthetic 50-slice 256 × 256 axial MR series (int16, a noisy ellipsoid phantom so gzip
 * has realistic work), written with writePart10 into `.bench-out/nifti-export/dicom`.
 *
 * Printed per variant: median and min wall time in ms, and ours / dcm2niix (target ≤ 1.5) as the
 * median of ratios of runs made back to back (each repetition runs ours, then each peer), since
 * the load of a shared machine changes faster than a whole series of repetitions:
 * - `.nii`: ours (read, readPart10, decodePixelData, seriesToVolume, writeNifti1 as int16, write
 *   the file) vs `dcm2niix -z n`. Stored int16 values without rescale stay int16 from decode to
 *   file, as in exportSeries; other series would be rescaled to float32 (toModalityValues);
 * - `.nii.gz`: ours with writeNifti1Gz (zlib level 6, one thread) vs `dcm2niix -z y` (pigz when
 *   installed, multi-threaded) and `-z i` (its internal single-threaded compressor).
 * dcm2niix times include its process start and its BIDS JSON sidecar. Also printed: the largest
 * difference between the two sform affines once dcm2niix's row flip is undone, in mm.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TAG } from '../src/core/index.js';
import {
  decodePixelData,
  readPart10,
  seriesToVolume,
  toModalityValues,
  writePart10,
} from '../src/dicom/index.js';
import type { DicomDataset, ModalityRescale, PixelArray, SeriesSlice } from '../src/dicom/index.js';
import { readNifti1, writeNifti1, writeNifti1Gz } from '../src/formats/index.js';
import type { Nifti1Affine } from '../src/formats/index.js';

const DCM2NIIX = '/usr/bin/dcm2niix';
const OUT = join('.bench-out', 'nifti-export');
const DICOM_DIR = join(OUT, 'dicom');
const SLICES = 50;
const SIZE = 256;
const REPS = Number(process.env['MEDSCALE_BENCH_REPS'] ?? 7);

/** Writes the synthetic series: 1 mm pixels, 2 mm slices, an ellipsoid of 800 in noise. */
function synthesize(): void {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(DICOM_DIR, { recursive: true });
  let seed = 12345;
  const noise = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed / 0x7fffffff - 0.5) * 40;
  };
  const prefix = `2.25.${Date.now()}`;
  const text = (vr: string, value: string | number): { vr: string; Value: unknown[] } => ({
    vr,
    Value: [value],
  });
  for (let k = 0; k < SLICES; k++) {
    const pixels = new Int16Array(SIZE * SIZE);
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const [x, y, z] = [(c - 128) / 100, (r - 128) / 120, (k - 25) / 22];
        const inside = x * x + y * y + z * z < 1;
        pixels[c + SIZE * r] = Math.round((inside ? 800 : 20) + noise());
      }
    }
    const sop = `${prefix}.1.${k + 1}`;
    const meta: DicomDataset = {
      '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
      '00020002': text('UI', '1.2.840.10008.5.1.4.1.1.4'),
      '00020003': text('UI', sop),
      '00020010': text('UI', '1.2.840.10008.1.2.1'),
      '00020012': text('UI', '1.2.826.0.1.3680043.10.1375'),
    };
    const dataset: DicomDataset = {
      [TAG.SOPClassUID]: text('UI', '1.2.840.10008.5.1.4.1.1.4'),
      [TAG.SOPInstanceUID]: text('UI', sop),
      [TAG.StudyDate]: text('DA', '20260101'),
      [TAG.StudyTime]: text('TM', '120000'),
      [TAG.Modality]: text('CS', 'MR'),
      [TAG.PatientName]: { vr: 'PN', Value: [{ Alphabetic: 'Bench^Phantom' }] },
      [TAG.PatientID]: text('LO', 'BENCH'),
      [TAG.SliceThickness]: text('DS', '2'),
      [TAG.StudyInstanceUID]: text('UI', `${prefix}.2`),
      [TAG.SeriesInstanceUID]: text('UI', `${prefix}.3`),
      [TAG.SeriesNumber]: text('IS', '3'),
      [TAG.InstanceNumber]: text('IS', String(k + 1)),
      [TAG.ImagePositionPatient]: { vr: 'DS', Value: ['-127.5', '-110', String(-50 + 2 * k)] },
      [TAG.ImageOrientationPatient]: { vr: 'DS', Value: ['1', '0', '0', '0', '1', '0'] },
      [TAG.FrameOfReferenceUID]: text('UI', `${prefix}.4`),
      [TAG.SamplesPerPixel]: text('US', 1),
      [TAG.PhotometricInterpretation]: text('CS', 'MONOCHROME2'),
      [TAG.Rows]: text('US', SIZE),
      [TAG.Columns]: text('US', SIZE),
      [TAG.PixelSpacing]: { vr: 'DS', Value: ['0.9', '1'] },
      [TAG.BitsAllocated]: text('US', 16),
      [TAG.BitsStored]: text('US', 16),
      [TAG.HighBit]: text('US', 15),
      [TAG.PixelRepresentation]: text('US', 1),
      [TAG.RescaleIntercept]: text('DS', '0'),
      [TAG.RescaleSlope]: text('DS', '1'),
      [TAG.PixelData]: { vr: 'OW', Value: [pixels.buffer] },
    };
    writeFileSync(join(DICOM_DIR, `${String(k).padStart(3, '0')}.dcm`), writePart10(meta, dataset));
  }
}

/** Milliseconds spent per stage of {@link ours}, over all timed runs. */
const stages: Record<string, number[]> = {
  read: [],
  parse: [],
  pixels: [],
  volume: [],
  encode: [],
  write: [],
};

/** Our whole path, files in to a file out; returns the bytes written. */
async function ours(gzip: boolean): Promise<Uint8Array> {
  let t = performance.now();
  const lap = (stage: string): void => {
    const now = performance.now();
    stages[stage]?.push(now - t);
    t = now;
  };
  const files = readdirSync(DICOM_DIR)
    .filter((f) => f.endsWith('.dcm'))
    .map((f) => readFileSync(join(DICOM_DIR, f)));
  lap('read');
  const parts = files.map((bytes) => readPart10(bytes));
  lap('parse');
  // As exportSeries does: stored int16 values with no rescale are the modality values, so the
  // volume keeps them as int16 (a memcpy in, a memcpy out); anything else goes through float32.
  const decoded: { dataset: DicomDataset; frame: PixelArray; rescale: ModalityRescale }[] = [];
  for (const part10 of parts) {
    const pixels = await decodePixelData(part10);
    const [frame] = pixels.frames;
    if (frame === undefined) throw new Error('no frame decoded');
    decoded.push({ dataset: part10.dataset, frame, rescale: pixels.rescale });
  }
  const int16 = decoded.every(
    (d) => d.frame instanceof Int16Array && d.rescale.slope === 1 && d.rescale.intercept === 0,
  );
  const slices: SeriesSlice[] = decoded.map((d) => ({
    dataset: d.dataset,
    pixels: int16 ? d.frame : toModalityValues(d.frame, d.rescale),
  }));
  lap('pixels');
  const { volume } = int16
    ? seriesToVolume(slices, { voxelArray: Int16Array })
    : seriesToVolume(slices);
  lap('volume');
  const bytes = gzip
    ? writeNifti1Gz(volume, { datatype: 'int16' })
    : writeNifti1(volume, { datatype: 'int16' });
  lap('encode');
  writeFileSync(join(OUT, gzip ? 'ours.nii.gz' : 'ours.nii'), bytes);
  lap('write');
  return bytes;
}

function dcm2niix(mode: 'n' | 'y' | 'i'): string {
  const dir = join(OUT, `dcm2niix-${mode}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync(DCM2NIIX, ['-z', mode, '-f', '%s', '-o', dir, DICOM_DIR], { stdio: 'ignore' });
  const file = readdirSync(dir).find((f) => f.endsWith('.nii') || f.endsWith('.nii.gz'));
  if (file === undefined) throw new Error(`dcm2niix -z ${mode} wrote no NIfTI`);
  return join(dir, file);
}

interface Timing {
  readonly median: number;
  readonly min: number;
}

interface Paired {
  readonly ours: Timing;
  readonly theirs: readonly Timing[];
  /** Median over repetitions of ours / theirs measured back to back, one per `theirs`. */
  readonly ratios: readonly number[];
}

function median(xs: readonly number[]): number {
  return [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? NaN;
}

function timing(xs: readonly number[]): Timing {
  return { median: median(xs), min: Math.min(...xs) };
}

async function elapsed(run: () => unknown): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/**
 * Times ours and each peer in turn within every repetition, so that both see the same machine
 * load: a shared 2-core machine swings timings by 2× or more between seconds.
 */
async function paired(ourRun: () => unknown, peers: readonly (() => unknown)[]): Promise<Paired> {
  await ourRun(); // warm-up: JIT, page cache
  for (const peer of peers) peer();
  const ourTimes: number[] = [];
  const peerTimes = peers.map((): number[] => []);
  const ratios = peers.map((): number[] => []);
  for (let r = 0; r < REPS; r++) {
    const mine = await elapsed(ourRun);
    ourTimes.push(mine);
    for (const [p, peer] of peers.entries()) {
      const theirs = await elapsed(peer);
      peerTimes[p]?.push(theirs);
      ratios[p]?.push(mine / theirs);
    }
  }
  return { ours: timing(ourTimes), theirs: peerTimes.map(timing), ratios: ratios.map(median) };
}

/** Largest entry difference of two sforms after undoing dcm2niix's flip of the j (row) axis. */
function affineMaxDiff(a: Nifti1Affine, b: Nifti1Affine, rows: number): number {
  // dcm2niix stores row r of the DICOM image as j = rows − 1 − r: its j column is negated
  // and its origin sits on the last row.
  let max = 0;
  for (let r = 0; r < 3; r++) {
    const o = r * 4;
    const flipped = [b[o]!, -b[o + 1]!, b[o + 2]!, b[o + 3]! + (rows - 1) * b[o + 1]!];
    for (let c = 0; c < 4; c++) max = Math.max(max, Math.abs(a[o + c]! - flipped[c]!));
  }
  return max;
}

async function main(): Promise<void> {
  if (!existsSync(DCM2NIIX)) {
    console.log(`dcm2niix not found at ${DCM2NIIX}: nothing to compare against`);
    return;
  }
  synthesize();
  console.log(
    `series: ${SLICES} × ${SIZE}×${SIZE} int16 MR slices; ${REPS} repetitions after a warm-up\n`,
  );
  const ms = (t: Timing): string =>
    `median ${t.median.toFixed(1).padStart(7)} ms, min ${t.min.toFixed(1).padStart(7)} ms`;

  const nii = await paired(() => ours(false), [() => dcm2niix('n')]);
  for (const list of Object.values(stages)) list.splice(0, 1); // drop the warm-up
  const breakdown = Object.entries(stages)
    .map(([stage, times]) => `${stage} ${median(times).toFixed(1)}`)
    .join(', ');
  const [niiTheirs] = nii.theirs;
  const [niiRatio] = nii.ratios;
  console.log(`.nii     ours            ${ms(nii.ours)}  (stage medians, ms: ${breakdown})`);
  if (niiTheirs !== undefined) console.log(`.nii     dcm2niix -z n   ${ms(niiTheirs)}`);
  console.log(
    `.nii     ours / dcm2niix: median of paired ratios ${niiRatio?.toFixed(2)}, ` +
      `min / min ${(nii.ours.min / (niiTheirs?.min ?? NaN)).toFixed(2)} (target ≤ 1.5)\n`,
  );

  const gz = await paired(() => ours(true), [() => dcm2niix('y'), () => dcm2niix('i')]);
  const [pigz, internal] = gz.theirs;
  const [pigzRatio, internalRatio] = gz.ratios;
  console.log(`.nii.gz  ours (zlib 6)   ${ms(gz.ours)}`);
  if (pigz !== undefined) console.log(`.nii.gz  dcm2niix -z y   ${ms(pigz)}  (pigz if installed)`);
  if (internal !== undefined) {
    console.log(`.nii.gz  dcm2niix -z i   ${ms(internal)}  (internal, one thread)`);
  }
  console.log(
    `.nii.gz  ours / dcm2niix: median of paired ratios ${pigzRatio?.toFixed(2)} against -z y, ` +
      `${internalRatio?.toFixed(2)} against -z i\n`,
  );

  const a = readNifti1(await ours(false));
  const b = readNifti1(readFileSync(dcm2niix('n')));
  const sameVoxels = a.data.every((v, i) => {
    const col = i % SIZE;
    const row = Math.floor(i / SIZE) % SIZE;
    const k = Math.floor(i / (SIZE * SIZE));
    return b.data[col + SIZE * (SIZE - 1 - row + SIZE * k)] === v;
  });
  console.log(
    `sform max diff vs dcm2niix (row flip undone): ${affineMaxDiff(a.header.sformAffine, b.header.sformAffine, SIZE).toExponential(2)} mm; ` +
      `voxels equal: ${sameVoxels}; sizes: ours ${a.data.byteLength + 352} B, gz ${(await ours(true)).length} B`,
  );
}

await main();
