import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Mat3, Vec3, Volume, VoxelArray } from '../../core/index.js';
import { createVolume, PlatformError } from '../../core/index.js';
import { readNifti1 } from '../../formats/index.js';
import type { Nifti1Image } from '../../formats/index.js';
import {
  decimateMesh,
  labelSurface,
  labelsOf,
  LABEL_SURFACE_DEFAULTS,
  measureMesh,
  requireMeshFormat,
  writeMesh,
} from '../../reconstruct/index.js';
import type { MeshFormat } from '../../reconstruct/index.js';
import { parsePositiveInt } from '../global-options.js';
import { printJson } from '../output.js';

/**
 * Reads a label volume from a file into patient coordinates (LPS mm). One reader per kind of
 * input, chosen by {@link labelVolumeReaderFor}: add DICOM SEG here (e.g. `.dcm`) when the DICOM
 * stage can decode it into a label volume.
 */
export type LabelVolumeReader = (bytes: Uint8Array, path: string) => Volume<VoxelArray>;

/**
 * The LPS volume of a NIfTI-1 image: its sform when `sform_code > 0`, else its qform, else the
 * voxel sizes alone (ANALYZE method 1), with the RAS+ world of NIfTI turned into DICOM LPS by
 * negating x and y. Only 3D images (or 4D with one volume) are accepted.
 */
export function niftiToVolume(image: Nifti1Image): Volume<VoxelArray> {
  const { header, data } = image;
  const dims = header.dimensions;
  const [ni = 1, nj = 1, nk = 1, nt = 1] = dims;
  if (dims.length > 4 || nt > 1) {
    throw new PlatformError(
      'ERR_USAGE',
      `the NIfTI image has ${dims.length} dimensions (${dims.join('×')}): give a 3D label volume`,
    );
  }
  const pix = header.pixdim;
  const m =
    header.sformCode > 0
      ? header.sformAffine
      : header.qformCode > 0
        ? header.qformAffine
        : ([pix[1] ?? 1, 0, 0, 0, 0, pix[2] ?? 1, 0, 0, 0, 0, pix[3] ?? 1, 0] as const);
  const col = (c: number): Vec3 => [-(m[c] ?? 0), -(m[4 + c] ?? 0), m[8 + c] ?? 0];
  const cols = [col(0), col(1), col(2)];
  const spacing = cols.map((v) => Math.hypot(v[0], v[1], v[2])) as unknown as Vec3;
  if (spacing.some((s) => !(s > 0))) {
    throw new PlatformError('ERR_USAGE', 'the NIfTI affine has a zero-length axis: fix its header');
  }
  const direction = cols.flatMap((v, c) => v.map((x) => x / (spacing[c] ?? 1))) as unknown as Mat3;
  const origin: Vec3 = [-m[3], -m[7], m[11]];
  return createVolume({ dimensions: [ni, nj, nk], spacing, origin, direction, data });
}

/** The reader for a label-volume file, by its name. */
export function labelVolumeReaderFor(path: string): LabelVolumeReader {
  const lower = path.toLowerCase();
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) {
    return (bytes) => niftiToVolume(readNifti1(bytes));
  }
  if (lower.endsWith('.dcm')) {
    throw new PlatformError(
      'ERR_USAGE',
      'DICOM SEG input is not supported yet: convert the segmentation to NIfTI (.nii or .nii.gz)',
    );
  }
  throw new PlatformError(
    'ERR_USAGE',
    `cannot tell the format of "${path}": give a NIfTI label map (.nii or .nii.gz)`,
  );
}

function parseNonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError(`expected an integer ≥ 0, got "${value}"`);
  }
  return n;
}

function parseNonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError(`expected a number ≥ 0, got "${value}"`);
  }
  return n;
}

function parseLabel(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n === 0) {
    throw new InvalidArgumentError(`expected a non-zero integer label, got "${value}"`);
  }
  return n;
}

interface SurfaceFlags {
  out: string;
  label?: number;
  all?: boolean;
  smooth: number;
  passBand: number;
  presmooth: number;
  targetTriangles?: number;
  keepLargest?: boolean;
  ascii?: boolean;
  json?: boolean;
}

/** One written surface, as printed. */
interface SurfaceRow {
  readonly label: number;
  readonly file: string;
  readonly format: MeshFormat;
  readonly volumeMl: number;
  readonly areaCm2: number;
  readonly triangles: number;
  readonly vertices: number;
  readonly watertight: boolean;
  readonly eulerCharacteristic: number;
  readonly components: number;
  readonly bounds: readonly [Vec3, Vec3];
}

/** `out.stl` → `out-<label>.stl` (keeps `.nii.gz`-style double extensions out of the way). */
function perLabelPath(out: string, label: number): string {
  const ext = extname(out);
  return join(dirname(out), `${basename(out, ext)}-${label}${ext}`);
}

/**
 * `medscale reconstruct surface INPUT --out FILE`: the surface of one label (or every label) of a
 * label map, written as STL, PLY, OBJ, VTK or VTP, with its volume, area and watertightness.
 */
export function registerReconstructSurface(reconstruct: Command): void {
  reconstruct
    .command('surface')
    .description(
      'extract a watertight surface from a label map (NIfTI): marching cubes, windowed-sinc smoothing, optional decimation',
    )
    .argument('<input>', 'label map: NIfTI-1 (.nii or .nii.gz)')
    .requiredOption('--out <file>', 'output mesh: .stl, .ply, .obj, .vtk or .vtp (mm, LPS)')
    .option('--label <n>', 'the label to surface (default: the only label present)', parseLabel)
    .option('--all', 'surface every label, one file each: <out>-<label>.<ext>')
    .option(
      '--smooth <iterations>',
      'windowed-sinc smoothing passes, 0 for none',
      parseNonNegativeInt,
      LABEL_SURFACE_DEFAULTS.smoothIterations,
    )
    .option(
      '--pass-band <k>',
      'windowed-sinc pass band in (0, 2): lower smooths more',
      parseNonNegativeNumber,
      LABEL_SURFACE_DEFAULTS.passBand,
    )
    .option(
      '--presmooth <sigma>',
      'Gaussian presmoothing of the label mask, in voxels (0: none)',
      parseNonNegativeNumber,
      LABEL_SURFACE_DEFAULTS.presmoothSigma,
    )
    .option('--target-triangles <n>', 'decimate to about this many triangles', parsePositiveInt)
    .option('--keep-largest', 'keep only the largest connected piece of each surface')
    .option('--ascii', 'write the text variant of the format (STL, PLY, VTK, VTP)')
    .option('--json', 'print the results as JSON')
    .action(async (input: string, flags: SurfaceFlags) => {
      if (flags.all === true && flags.label !== undefined) {
        throw new PlatformError('ERR_USAGE', 'give either --label N or --all, not both');
      }
      const format = requireMeshFormat(flags.out);
      const reader = labelVolumeReaderFor(input);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(input);
      } catch (error) {
        throw new PlatformError('ERR_IO', `cannot read ${input}: ${(error as Error).message}`);
      }
      const volume = reader(bytes, input);
      const present = labelsOf(volume);
      let labels: number[];
      if (flags.all === true) labels = present;
      else if (flags.label !== undefined) labels = [flags.label];
      else if (present.length === 1) labels = present;
      else {
        throw new PlatformError(
          'ERR_USAGE',
          present.length === 0
            ? `${input} has no labelled voxel: nothing to surface`
            : `${input} has labels ${present.join(', ')}: choose one with --label N, or --all`,
        );
      }
      if (labels.length === 0) {
        throw new PlatformError('ERR_USAGE', `${input} has no labelled voxel: nothing to surface`);
      }
      const rows: SurfaceRow[] = [];
      await mkdir(dirname(flags.out), { recursive: true });
      for (const label of labels) {
        let mesh = labelSurface(volume, label, {
          smoothIterations: flags.smooth,
          passBand: flags.passBand,
          presmoothSigma: flags.presmooth,
          keepLargest: flags.keepLargest === true,
        });
        if (flags.targetTriangles !== undefined) {
          mesh = (await decimateMesh(mesh, { targetTriangles: flags.targetTriangles })).mesh;
        }
        const file = flags.all === true ? perLabelPath(flags.out, label) : flags.out;
        await writeFile(file, writeMesh(mesh, format, { binary: flags.ascii !== true }));
        const m = measureMesh(mesh);
        rows.push({
          label,
          file,
          format,
          volumeMl: m.volume / 1000,
          areaCm2: m.area / 100,
          triangles: m.triangles,
          vertices: m.vertices,
          watertight: m.watertight.watertight,
          eulerCharacteristic: m.eulerCharacteristic,
          components: m.components,
          bounds: m.bounds,
        });
      }
      if (flags.json === true) {
        printJson({ input, surfaces: rows });
        return;
      }
      for (const r of rows) {
        process.stdout.write(
          `label ${r.label}: volume ${r.volumeMl.toFixed(2)} mL, area ${r.areaCm2.toFixed(2)} cm², ` +
            `${r.triangles} triangles, watertight ${r.watertight ? 'yes' : 'no'}` +
            `${r.components > 1 ? `, ${r.components} pieces` : ''} → ${r.file}\n`,
        );
      }
    });
}
