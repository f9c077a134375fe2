import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { PlatformError, createVolume } from '../../core/index.js';
import type { Labelmap, Mat3, Vec3 } from '../../core/index.js';
import { readNifti1 } from '../../formats/index.js';
import type { Nifti1Image } from '../../formats/index.js';
import {
  feMeshCellQuality,
  meshLabelmapHex,
  sweepOGridMesh,
  writeFeMeshFeb,
  writeFeMeshInp,
  writeFeMeshVtu,
} from '../../reconstruct/index.js';
import type {
  FeCenterlineBranch,
  FeJunction,
  FeMesh,
  FeOpening,
  FePlane,
  FeQualityReport,
  LabelmapHexOptions,
} from '../../reconstruct/index.js';
import { parsePositiveInt } from '../global-options.js';
import { printJson } from '../output.js';

interface MeshFeFlags {
  readonly out: string;
  readonly elementSize?: number;
  readonly voxelsPerElement?: number;
  readonly sampling?: 'majority' | 'centre';
  readonly smooth?: number;
  readonly labels?: readonly number[];
  readonly openings?: boolean;
  readonly planes?: string;
  readonly centerlines?: string;
  readonly wallThickness?: number;
  readonly wallLayers?: number;
  readonly sectors?: number;
  readonly radialCells?: number;
  readonly axialSize?: number;
  readonly core?: 'butterfly' | 'polar';
  readonly minQuality?: number;
  readonly json?: boolean;
}

/** What `medscale mesh fe` reports (its `--json` output). */
export interface MeshFeSummary {
  readonly source: string;
  readonly out: string;
  readonly format: 'vtu' | 'feb' | 'inp';
  readonly elements: number;
  readonly nodes: number;
  readonly bytes: number;
  readonly quality: FeQualityReport;
  /** Size of every named set: nodes per node set, facets per surface, cells per element set. */
  readonly nodeSets: Readonly<Record<string, number>>;
  readonly surfaces: Readonly<Record<string, number>>;
  readonly elementSets: Readonly<Record<string, number>>;
  readonly openings?: readonly FeOpening[];
  readonly junctions?: readonly FeJunction[];
  readonly elapsedMs: number;
}

function parsePositiveNumber(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  }
  return n;
}

function parseNonNegativeInt(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError(`expected an integer ≥ 0, got "${value}"`);
  }
  return n;
}

function parseFraction(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1) {
    throw new InvalidArgumentError(`expected a number in (0, 1], got "${value}"`);
  }
  return n;
}

/** Parses `--labels 1,2`: distinct labels from 1 to 255. */
export function parseLabels(value: string): number[] {
  const labels = value.split(',').map((part) => {
    const n = part.trim() === '' ? NaN : Number(part);
    if (!Number.isInteger(n) || n < 1 || n > 255) {
      throw new InvalidArgumentError(`expected labels 1-255 separated by commas, got "${value}"`);
    }
    return n;
  });
  return [...new Set(labels)];
}

function parseChoice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    const found = choices.find((c) => c === value);
    if (found === undefined) {
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got "${value}"`);
    }
    return found;
  };
}

function formatOf(path: string): 'vtu' | 'feb' | 'inp' {
  const ext = extname(path).toLowerCase();
  if (ext === '.vtu' || ext === '.feb' || ext === '.inp')
    return ext.slice(1) as 'vtu' | 'feb' | 'inp';
  throw new PlatformError(
    'ERR_USAGE',
    `--out ${path}: the extension must be .vtu (VTK), .feb (FEBio) or .inp (Abaqus)`,
  );
}

/**
 * Turns a NIfTI-1 image into a label map in LPS: the sform when its code is set, else the qform,
 * with the RAS+ x and y rows negated (NIfTI is RAS+, medscale LPS).
 */
export function niftiToLabelmap(image: Nifti1Image): Labelmap {
  const { header, data } = image;
  const dims = [0, 1, 2].map((a) => Math.max(1, header.dimensions[a] ?? 1)) as [
    number,
    number,
    number,
  ];
  const extra = header.dimensions.slice(3).reduce((p, n) => p * Math.max(1, n), 1);
  if (extra !== 1) {
    throw new PlatformError(
      'ERR_MESH_INPUT',
      `the label map has ${header.dimensions.length} dimensions (${header.dimensions.join('×')}): give a single 3D volume`,
    );
  }
  const affine = header.sformCode > 0 ? header.sformAffine : header.qformAffine;
  const lps = (row: number, col: number): number =>
    (row < 2 ? -1 : 1) * (affine[4 * row + col] ?? 0);
  const spacing = [0, 1, 2].map((col) => Math.hypot(lps(0, col), lps(1, col), lps(2, col)));
  if (spacing.some((s) => !(s > 0))) {
    throw new PlatformError('ERR_MESH_INPUT', 'the NIfTI affine has a zero-length axis');
  }
  const direction = [0, 1, 2].flatMap((col) =>
    [0, 1, 2].map((row) => lps(row, col) / (spacing[col] ?? 1)),
  ) as unknown as Mat3;
  const labels = new Uint8Array(data.length);
  for (let v = 0; v < data.length; v++) {
    const x = data[v] ?? 0;
    if (!Number.isInteger(x) || x < 0 || x > 255) {
      throw new PlatformError(
        'ERR_MESH_INPUT',
        `voxel ${v} holds ${x}: a label map needs integer labels from 0 to 255`,
      );
    }
    labels[v] = x;
  }
  return createVolume({
    dimensions: dims,
    spacing: spacing as unknown as Vec3,
    origin: [lps(0, 3), lps(1, 3), lps(2, 3)],
    direction,
    data: labels,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads centerlines JSON: an array of branches or `{ "branches": [...] }`. */
export function parseCenterlines(text: string, path: string): FeCenterlineBranch[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlatformError('ERR_MESH_INPUT', `${path} is not JSON: ${String(error)}`);
  }
  const list = Array.isArray(json) ? json : isRecord(json) ? json['branches'] : undefined;
  if (!Array.isArray(list)) {
    throw new PlatformError(
      'ERR_MESH_INPUT',
      `${path}: expected an array of { name, points: [[x,y,z]...], radii: [...] } or { "branches": [...] }`,
    );
  }
  return list.map((item: unknown, i) => {
    if (
      !isRecord(item) ||
      typeof item['name'] !== 'string' ||
      !Array.isArray(item['points']) ||
      !Array.isArray(item['radii'])
    ) {
      throw new PlatformError(
        'ERR_MESH_INPUT',
        `${path}: branch ${i} needs name (string), points ([x,y,z] in mm) and radii (mm)`,
      );
    }
    const minor = item['minorRadii'];
    return {
      name: item['name'],
      points: item['points'] as Vec3[],
      radii: item['radii'] as number[],
      ...(Array.isArray(minor) ? { minorRadii: minor as number[] } : {}),
    };
  });
}

function parsePlanes(text: string, path: string): FePlane[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlatformError('ERR_MESH_INPUT', `${path} is not JSON: ${String(error)}`);
  }
  if (!Array.isArray(json)) {
    throw new PlatformError(
      'ERR_MESH_INPUT',
      `${path}: expected an array of { name, point: [x,y,z], normal: [x,y,z], toleranceMm?, radiusMm? }`,
    );
  }
  return json as FePlane[];
}

function counts(sets: Readonly<Record<string, Uint32Array>>, per = 1): Record<string, number> {
  return Object.fromEntries(Object.entries(sets).map(([k, v]) => [k, v.length / per]));
}

function encode(mesh: FeMesh, format: 'vtu' | 'feb' | 'inp', sj: Float32Array): Uint8Array {
  if (format === 'vtu') {
    return writeFeMeshVtu(mesh, { cellData: [{ name: 'scaled_jacobian', values: sj }] });
  }
  return format === 'feb' ? writeFeMeshFeb(mesh) : writeFeMeshInp(mesh);
}

/**
 * `medscale mesh fe`: volumetric finite-element meshes, either voxel hexahedra from a label map
 * or swept O-grids along vessel centerlines. The lead adds it to `medscale` in `main.ts`.
 */
export function registerMeshFe(program: Command): void {
  const mesh =
    program.commands.find((c) => c.name() === 'mesh') ??
    program.command('mesh').description('volumetric finite-element meshes');
  mesh
    .command('fe')
    .description(
      'hexahedral FE mesh of a label map (NIfTI) or a swept O-grid of vessel centerlines (JSON); writes .vtu, .feb or .inp and prints a quality report',
    )
    .argument('[input]', 'label map, .nii or .nii.gz (omit with --centerlines)')
    .requiredOption('--out <file>', 'output mesh: .vtu (VTK), .feb (FEBio 4) or .inp (Abaqus)')
    .option(
      '--element-size <mm>',
      'element edge in mm (resamples the label map)',
      parsePositiveNumber,
    )
    .option(
      '--voxels-per-element <n>',
      'element edge as a multiple of the voxel spacing',
      parsePositiveInt,
    )
    .option(
      '--sampling <how>',
      'label of a resampled element: majority or centre',
      parseChoice(['majority', 'centre'] as const),
    )
    .option(
      '--smooth <iterations>',
      'Taubin smoothing iterations of the boundary (0 = none)',
      parseNonNegativeInt,
    )
    .option(
      '--labels <list>',
      'labels to mesh, e.g. 1,2 (default: every non-zero label)',
      parseLabels,
    )
    .option(
      '--openings',
      'name vessel openings: patches on the volume sides become inlet (largest), outlet_1…; the rest is wall',
    )
    .option(
      '--planes <file>',
      'JSON list of { name, point, normal, toleranceMm?, radiusMm? } naming openings',
    )
    .option(
      '--centerlines <file>',
      'JSON branches { name, points [[x,y,z]] mm, radii mm } to sweep',
    )
    .option(
      '--wall-thickness <mm>',
      'vessel wall layer thickness (second region)',
      parsePositiveNumber,
    )
    .option('--wall-layers <n>', 'cells across the wall', parsePositiveInt)
    .option('--sectors <n>', 'cells around the circumference (multiple of 4)', parsePositiveInt)
    .option('--radial-cells <n>', 'cell layers from the core to the lumen wall', parsePositiveInt)
    .option('--axial-size <mm>', 'axial element length', parsePositiveNumber)
    .option(
      '--core <kind>',
      'butterfly (all hexahedra) or polar (wedges at the axis)',
      parseChoice(['butterfly', 'polar'] as const),
    )
    .option(
      '--min-quality <sj>',
      'fail with ERR_MESH_QUALITY if a cell’s scaled Jacobian is below this',
      parseFraction,
    )
    .option('--json', 'print the summary as JSON')
    .action(async (input: string | undefined, flags: MeshFeFlags) => {
      const started = performance.now();
      if ((input === undefined) === (flags.centerlines === undefined)) {
        throw new PlatformError(
          'ERR_USAGE',
          'give a label map (INPUT.nii[.gz]) or --centerlines FILE.json, not both or neither',
        );
      }
      const format = formatOf(flags.out);
      let result: FeMesh;
      let openings: readonly FeOpening[] | undefined;
      let junctions: readonly FeJunction[] | undefined;
      let source: string;
      if (flags.centerlines !== undefined) {
        source = flags.centerlines;
        const text = await readFile(flags.centerlines, 'utf8').catch((error: unknown) => {
          throw new PlatformError('ERR_IO', `cannot read ${flags.centerlines}: ${String(error)}`);
        });
        const swept = sweepOGridMesh(parseCenterlines(text, flags.centerlines), {
          ...(flags.sectors === undefined ? {} : { sectors: flags.sectors }),
          ...(flags.radialCells === undefined ? {} : { radialCells: flags.radialCells }),
          ...(flags.axialSize === undefined ? {} : { axialSizeMm: flags.axialSize }),
          ...(flags.wallThickness === undefined ? {} : { wallThicknessMm: flags.wallThickness }),
          ...(flags.wallLayers === undefined ? {} : { wallLayers: flags.wallLayers }),
          ...(flags.core === undefined ? {} : { core: flags.core }),
        });
        result = swept.mesh;
        junctions = swept.junctions;
      } else {
        source = input ?? '';
        const bytes = await readFile(source).catch((error: unknown) => {
          throw new PlatformError('ERR_IO', `cannot read ${source}: ${String(error)}`);
        });
        const labelmap = niftiToLabelmap(readNifti1(bytes));
        let openingOption: LabelmapHexOptions['openings'];
        if (flags.planes !== undefined) {
          const planesPath = flags.planes;
          const text = await readFile(planesPath, 'utf8').catch((error: unknown) => {
            throw new PlatformError('ERR_IO', `cannot read ${planesPath}: ${String(error)}`);
          });
          openingOption = { planes: parsePlanes(text, planesPath) };
        } else if (flags.openings === true) openingOption = 'grid-sides';
        const voxel = meshLabelmapHex(labelmap, {
          ...(flags.labels === undefined ? {} : { labels: flags.labels }),
          ...(flags.elementSize === undefined ? {} : { elementSizeMm: flags.elementSize }),
          ...(flags.voxelsPerElement === undefined
            ? {}
            : { voxelsPerElement: flags.voxelsPerElement }),
          ...(flags.sampling === undefined ? {} : { sampling: flags.sampling }),
          ...(flags.smooth === undefined || flags.smooth === 0
            ? {}
            : { smoothing: { iterations: flags.smooth } }),
          ...(openingOption === undefined ? {} : { openings: openingOption }),
        });
        result = voxel.mesh;
        if (openingOption !== undefined) openings = voxel.openings;
      }
      const quality = feMeshCellQuality(
        result,
        flags.minQuality === undefined ? {} : { minScaledJacobian: flags.minQuality },
      );
      const bytes = encode(result, format, quality.scaledJacobian);
      await writeFile(flags.out, bytes).catch((error: unknown) => {
        throw new PlatformError('ERR_IO', `cannot write ${flags.out}: ${String(error)}`);
      });
      const summary: MeshFeSummary = {
        source,
        out: flags.out,
        format,
        elements: quality.report.cells,
        nodes: quality.report.nodes,
        bytes: bytes.length,
        quality: quality.report,
        nodeSets: counts(result.nodeSets),
        surfaces: counts(result.surfaces, 2),
        elementSets: counts(result.elementSets),
        ...(openings === undefined ? {} : { openings }),
        ...(junctions === undefined ? {} : { junctions }),
        elapsedMs: Math.round(performance.now() - started),
      };
      if (flags.json === true) {
        printJson(summary);
        return;
      }
      const q = summary.quality;
      const lines = [
        `wrote ${summary.out} (${format}, ${(summary.bytes / 1e6).toFixed(1)} MB): ${summary.elements} elements (${q.hexahedra} hex, ${q.wedges} wedge), ${summary.nodes} nodes in ${(summary.elapsedMs / 1000).toFixed(2)} s`,
        `scaled Jacobian: min ${q.minScaledJacobian.toFixed(3)}, mean ${q.meanScaledJacobian.toFixed(3)}; inverted ${q.inverted}; edge ratio max ${q.maxAspectRatio.toFixed(2)}, mean ${q.meanAspectRatio.toFixed(2)}; volume ${(q.volumeMm3 / 1000).toFixed(3)} mL`,
        `element sets: ${Object.entries(summary.elementSets)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
        `surfaces (facets): ${Object.entries(summary.surfaces)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      ];
      for (const j of summary.junctions ?? []) {
        lines.push(
          `junction ${j.parent} → ${j.children.join(', ')}: non-conforming (branch meshes overlap, no shared nodes)`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
