import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { PlatformError } from '../../core/index.js';
import type { Image2D } from '../../core/index.js';
import {
  carotidCenterlines,
  carotidMeasurements,
  carotidMeshStats,
  carotidSurfaces,
  genericCarotidGeometry,
  rasterizeCarotidViews,
  reconstructCarotid,
  writeStl,
} from '../../reconstruct/index.js';
import type {
  CarotidBranchName,
  CarotidGenericParameters,
  CarotidGeometry,
  CarotidLongitudinalView,
  CarotidMeasurements,
  CarotidTransversalView,
  CarotidViews,
} from '../../reconstruct/index.js';
import { printJson } from '../output.js';

/**
 * A mask file in a views file: raw 8-bit labels (0 background, 1 lumen, 2 wall), row-major,
 * `columns` × `rows` bytes, no header.
 */
export interface CarotidMaskFile {
  /** Path of the raw file, relative to the views file. */
  readonly path: string;
  readonly columns: number;
  readonly rows: number;
  /** [column spacing, row spacing], mm. */
  readonly pixelSpacingMm: readonly [number, number];
}

/**
 * The views file of `medscale reconstruct carotid --views`: `CarotidViews` with each mask replaced
 * by a {@link CarotidMaskFile}; every other field is as `CarotidLongitudinalView` and
 * `CarotidTransversalView` document.
 *
 * @example
 * ```json
 * { "side": "right",
 *   "longitudinal": [{ "mask": { "path": "bifurcation.raw", "columns": 601, "rows": 420,
 *                               "pixelSpacingMm": [0.1, 0.1] },
 *                      "covers": "bifurcation", "icaToward": "top" }],
 *   "transversal": [{ "mask": { "path": "cca.raw", "columns": 101, "rows": 101,
 *                              "pixelSpacingMm": [0.1, 0.1] },
 *                     "branch": "cca", "positionMm": -20 }] }
 * ```
 */
export interface CarotidViewsFile {
  readonly side: 'left' | 'right';
  readonly longitudinal?: readonly (Omit<CarotidLongitudinalView, 'mask'> & {
    readonly mask: CarotidMaskFile;
  })[];
  readonly transversal?: readonly (Omit<CarotidTransversalView, 'mask'> & {
    readonly mask: CarotidMaskFile;
  })[];
}

interface CarotidCommandOptions {
  readonly views?: string;
  readonly generic?: boolean;
  readonly stenosis?: number;
  readonly side?: 'left' | 'right';
  readonly emitViews?: boolean;
  readonly voxel?: number;
  readonly out: string;
  readonly json?: boolean;
}

function usage(message: string): never {
  throw new PlatformError('ERR_USAGE', message);
}

function parsePercent(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 95)
    throw new InvalidArgumentError(`expected a NASCET percentage in [0, 95], got "${value}"`);
  return n;
}

function parseMm(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a length in mm > 0, got "${value}"`);
  return n;
}

function parseSide(value: string): 'left' | 'right' {
  if (value !== 'left' && value !== 'right')
    throw new InvalidArgumentError(`expected left or right, got "${value}"`);
  return value;
}

async function readMask(
  file: CarotidMaskFile,
  base: string,
  name: string,
): Promise<Image2D<Uint8Array>> {
  const bad = (what: string): never => {
    throw new PlatformError('ERR_RECONSTRUCT_INPUT', `${name}: ${what}`);
  };
  if (typeof file.path !== 'string') bad('mask.path must name a raw uint8 file');
  if (!Number.isInteger(file.columns) || !Number.isInteger(file.rows))
    bad('mask.columns and mask.rows must be integers');
  const sp: unknown = file.pixelSpacingMm;
  if (!Array.isArray(sp) || sp.length !== 2 || !sp.every((v) => typeof v === 'number' && v > 0))
    bad('mask.pixelSpacingMm must be [column, row] in mm, both > 0');
  const [cs, rs] = file.pixelSpacingMm;
  const path = isAbsolute(file.path) ? file.path : join(base, file.path);
  let data: Uint8Array;
  try {
    data = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new PlatformError('ERR_IO', `${name}: cannot read mask ${path}: ${String(error)}`, {
      cause: error,
    });
  }
  if (data.length !== file.columns * file.rows)
    bad(
      `mask ${path} holds ${data.length} bytes, ${file.columns} × ${file.rows} need ${file.columns * file.rows} (raw uint8, no header)`,
    );
  return {
    columns: file.columns,
    rows: file.rows,
    samplesPerPixel: 1,
    pixelSpacing: [cs, rs],
    data,
  };
}

/** Reads a views file and its raw masks. */
export async function readCarotidViewsFile(path: string): Promise<CarotidViews> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PlatformError('ERR_IO', `cannot read views file ${path}: ${String(error)}`, {
      cause: error,
    });
  }
  let parsed: CarotidViewsFile;
  try {
    parsed = JSON.parse(text) as CarotidViewsFile;
  } catch (error) {
    throw new PlatformError(
      'ERR_RECONSTRUCT_INPUT',
      `views file ${path} is not JSON: ${String(error)}`,
    );
  }
  const base = dirname(resolve(path));
  const longitudinal = await Promise.all(
    (parsed.longitudinal ?? []).map(async (v, i) => ({
      ...v,
      mask: await readMask(v.mask, base, `longitudinal[${i}]`),
    })),
  );
  const transversal = await Promise.all(
    (parsed.transversal ?? []).map(async (v, i) => ({
      ...v,
      mask: await readMask(v.mask, base, `transversal[${i}]`),
    })),
  );
  return { side: parsed.side, longitudinal, transversal };
}

/** Writes views as a views file plus raw masks into `dir`. */
async function writeViewsFile(views: CarotidViews, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const mask = async (image: Image2D<Uint8Array>, name: string): Promise<CarotidMaskFile> => {
    await writeFile(join(dir, name), image.data);
    const [cs, rs] = image.pixelSpacing ?? [0, 0];
    return { path: name, columns: image.columns, rows: image.rows, pixelSpacingMm: [cs, rs] };
  };
  const file: CarotidViewsFile = {
    side: views.side,
    longitudinal: await Promise.all(
      views.longitudinal.map(async (v, i) => ({
        ...v,
        mask: await mask(v.mask, `longitudinal-${i}-${v.covers}.raw`),
      })),
    ),
    transversal: await Promise.all(
      views.transversal.map(async (v, i) => ({
        ...v,
        mask: await mask(v.mask, `transversal-${i}-${v.branch}.raw`),
      })),
    ),
  };
  const path = join(dir, 'views.json');
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}

const fixed = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');

function describe(m: CarotidMeasurements): string {
  const line = (
    label: string,
    q: { value: number; provenance: { source: string; views: readonly string[] } },
    unit: string,
  ): string =>
    `${label.padEnd(24)} ${fixed(q.value).padStart(7)} ${unit.padEnd(3)} ${q.provenance.source}${q.provenance.views.length > 0 ? ` (${q.provenance.views.join(', ')})` : ''}\n`;
  return (
    line('CCA diameter', m.ccaDiameterMm, 'mm') +
    line('ICA distal diameter', m.icaDistalDiameterMm, 'mm') +
    line('ECA diameter', m.ecaDiameterMm, 'mm') +
    line('bulb max diameter', m.bulbMaxDiameterMm, 'mm') +
    line('min ICA lumen diameter', m.minLumenDiameterMm, 'mm') +
    line('stenosis NASCET', m.nascetPct, '%') +
    line('stenosis ECST', m.ecstPct, '%') +
    line('plaque length', m.plaqueLengthMm, 'mm') +
    line('max wall thickness', m.maxWallThicknessMm, 'mm')
  );
}

/**
 * `medscale reconstruct carotid`: a carotid bifurcation from ultrasound lumen/wall masks (or the
 * generic model alone), written as lumen.stl, wall.stl, centerlines.json and result.json.
 */
export function registerReconstructCarotid(reconstruct: Command): void {
  reconstruct
    .command('carotid')
    .description(
      'carotid bifurcation from ultrasound lumen/wall masks (or the generic model): lumen and wall surfaces (STL), centerlines with radii, NASCET/ECST stenosis, plaque length, wall thickness, with provenance',
    )
    .option(
      '--views <file>',
      'views JSON: side, longitudinal[] and transversal[] views whose masks are raw uint8 files (0 background, 1 lumen, 2 wall) given as { path, columns, rows, pixelSpacingMm }',
    )
    .option('--generic', 'build the generic model alone (Bharadvaj et al. 1982 proportions)')
    .option(
      '--stenosis <pct>',
      'with --generic: ICA plaque of this NASCET degree, percent',
      parsePercent,
    )
    .option('--side <side>', 'with --generic: left or right', parseSide, 'right')
    .option(
      '--emit-views',
      'with --generic: also write the model drawn as ultrasound masks (views/views.json + raw masks), an input for --views',
    )
    .option('--voxel <mm>', 'surface grid spacing in mm', parseMm, 0.2)
    .requiredOption('--out <dir>', 'output folder')
    .option('--json', 'print the result as JSON')
    .action(async (options: CarotidCommandOptions) => {
      if ((options.views === undefined) === (options.generic !== true))
        usage('give exactly one of --views FILE or --generic');
      if (
        options.generic !== true &&
        (options.stenosis !== undefined || options.emitViews === true)
      )
        usage('--stenosis and --emit-views go with --generic');
      const started = performance.now();
      let geometry: CarotidGeometry;
      let measurements: CarotidMeasurements;
      let extra: Record<string, unknown>;
      const warnings: string[] = [];
      await mkdir(options.out, { recursive: true });
      if (options.generic === true) {
        const parameters: Partial<CarotidGenericParameters> = {
          side: options.side ?? 'right',
          ...(options.stenosis === undefined || options.stenosis === 0
            ? {}
            : { stenosis: { nascetPct: options.stenosis } }),
        };
        geometry = genericCarotidGeometry(parameters);
        const measured = carotidMeasurements(geometry);
        measurements = measured.measurements;
        warnings.push(...measured.warnings);
        extra = { mode: 'generic', parameters };
        if (options.emitViews === true) {
          const views = rasterizeCarotidViews(
            { ...parameters, icaLengthMm: 50, ecaLengthMm: 40 },
            {
              longitudinal: [{ covers: 'bifurcation', fromMm: -25, toMm: 35 }],
              transversal: [
                { branch: 'cca', positionMm: -20 },
                { branch: 'ica', positionMm: 25 },
                { branch: 'eca', positionMm: 10 },
              ],
            },
          );
          extra = { ...extra, viewsFile: await writeViewsFile(views, join(options.out, 'views')) };
        }
      } else {
        const views = await readCarotidViewsFile(options.views ?? '');
        const result = reconstructCarotid(views);
        geometry = result.geometry;
        measurements = result.measurements;
        warnings.push(...result.warnings);
        extra = {
          mode: 'views',
          views: result.views,
          template: result.template,
          templateProvenance: result.templateProvenance,
          branches: Object.fromEntries(
            result.geometry.branches.map(
              (b) => [b.name, b.provenance] as [CarotidBranchName, unknown],
            ),
          ),
        };
      }
      const reconstructMs = performance.now() - started;
      const surfaceStart = performance.now();
      const surfaces = carotidSurfaces(geometry, { voxelMm: options.voxel ?? 0.2 });
      const surfaceMs = performance.now() - surfaceStart;
      const centerlines = carotidCenterlines(geometry);
      const files = {
        lumen: join(options.out, 'lumen.stl'),
        wall: join(options.out, 'wall.stl'),
        centerlines: join(options.out, 'centerlines.json'),
        result: join(options.out, 'result.json'),
      };
      await writeFile(files.lumen, writeStl(surfaces.lumen, 'medscale carotid lumen (mm)'));
      await writeFile(files.wall, writeStl(surfaces.wall, 'medscale carotid wall (mm)'));
      await writeFile(files.centerlines, `${JSON.stringify(centerlines)}\n`);
      const result = {
        side: geometry.side,
        frame:
          'model frame, mm, LPS-oriented: origin at the flow-divider apex, +z along the CCA toward the head, bifurcation in the x-z plane with the ICA lateral',
        measurements,
        surfaces: {
          lumen: carotidMeshStats(surfaces.lumen),
          wall: carotidMeshStats(surfaces.wall),
          voxelMm: surfaces.grid.voxelMm,
        },
        timingsMs: { reconstruct: reconstructMs, surfaces: surfaceMs },
        files,
        warnings,
        ...extra,
      };
      await writeFile(files.result, `${JSON.stringify(result, null, 2)}\n`);
      if (options.json === true) printJson(result);
      else {
        process.stdout.write(describe(measurements));
        process.stdout.write(
          `lumen: ${result.surfaces.lumen.triangles} triangles, ${fixed(result.surfaces.lumen.volumeMm3 / 1000, 3)} mL, ${result.surfaces.lumen.watertight ? 'watertight' : 'NOT watertight'}\n`,
        );
        for (const w of warnings) process.stdout.write(`warning: ${w}\n`);
        process.stdout.write(`wrote ${Object.values(files).join(', ')}\n`);
      }
    });
}
