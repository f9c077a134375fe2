import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { PlatformError, errorMessage } from '../../core/index.js';
import type { Labelmap, TriangleMesh } from '../../core/index.js';
import {
  SIMPSON_DISCS,
  areaLengthVolume,
  echoLvFunction,
  fitTruncatedEllipsoid,
  meshVolume,
  shortAxisLvFunction,
  shortAxisSurface,
  truncatedEllipsoidMesh,
  writeStl,
} from '../../reconstruct/index.js';
import type { EllipsoidFit, LvFunction, LvLabels } from '../../reconstruct/index.js';
import { readLabelStack } from '../../synth/index.js';
import type { LvEchoGroundTruth } from '../../synth/index.js';
import { printJson, printTable } from '../output.js';

interface ReconstructLvOptions {
  readonly a4c?: string;
  readonly a2c?: string;
  readonly sax?: string;
  readonly from?: string;
  readonly case?: string;
  readonly shortAxis?: boolean;
  readonly out?: string;
  readonly cavityLabels: readonly number[];
  readonly myocardiumLabels: readonly number[];
  readonly json?: boolean;
}

type CaseTruth = LvEchoGroundTruth['cases'][number];

/** The masks to read: two apical label stacks, or one short-axis stack. */
type Inputs =
  | {
      readonly kind: 'echo';
      readonly a4c: string;
      readonly a2c: string;
      readonly truth?: CaseTruth;
    }
  | { readonly kind: 'sax'; readonly sax: string; readonly truth?: CaseTruth };

function parseLabels(value: string): number[] {
  const labels = value.split(',').map((s) => Number(s.trim()));
  if (labels.length === 0 || labels.some((l) => !Number.isInteger(l) || l < 1 || l > 255))
    throw new InvalidArgumentError(`expected labels 1-255 separated by commas, got "${value}"`);
  return labels;
}

/** Where the masks are, from the options: label stacks, or a case of a `synth lv-echo` folder. */
async function resolveInputs(options: ReconstructLvOptions): Promise<Inputs> {
  const direct =
    options.a4c !== undefined || options.a2c !== undefined || options.sax !== undefined;
  if (options.from !== undefined) {
    if (options.case === undefined)
      throw new PlatformError('ERR_USAGE', '--from needs --case (e.g. --case lv-001)');
    if (direct)
      throw new PlatformError(
        'ERR_USAGE',
        'give either --from with --case, or label stacks (--a4c and --a2c, or --sax), not both',
      );
    let truth: LvEchoGroundTruth | undefined;
    try {
      truth = JSON.parse(
        await readFile(join(options.from, 'ground-truth.json'), 'utf8'),
      ) as LvEchoGroundTruth;
    } catch {
      truth = undefined; // a folder of masks without ground truth is fine
    }
    const found = truth?.cases.find((c) => c.caseId === options.case);
    const known = found === undefined ? {} : { truth: found };
    const dir = join(options.from, options.case);
    return options.shortAxis === true
      ? { kind: 'sax', sax: join(dir, 'sax.labels.json'), ...known }
      : {
          kind: 'echo',
          a4c: join(dir, 'a4c.labels.json'),
          a2c: join(dir, 'a2c.labels.json'),
          ...known,
        };
  }
  if (options.sax !== undefined) {
    if (options.a4c !== undefined || options.a2c !== undefined)
      throw new PlatformError('ERR_USAGE', 'give --sax, or --a4c and --a2c, not both');
    return { kind: 'sax', sax: options.sax };
  }
  if (options.a4c === undefined || options.a2c === undefined)
    throw new PlatformError(
      'ERR_USAGE',
      'give --a4c and --a2c label stacks, --sax, or --from DIR with --case ID',
    );
  return { kind: 'echo', a4c: options.a4c, a2c: options.a2c };
}

/** What either method gives: the numbers, and the ED and ES surfaces. */
interface Analysis {
  readonly fields: Record<string, unknown>;
  readonly function: LvFunction;
  readonly surfaces: { readonly ed: TriangleMesh; readonly es: TriangleMesh };
}

async function analyseEcho(
  inputs: Extract<Inputs, { kind: 'echo' }>,
  labels: LvLabels,
): Promise<Analysis> {
  const [a4c, a2c] = await Promise.all([readLabelStack(inputs.a4c), readLabelStack(inputs.a2c)]);
  const f = echoLvFunction({ a4c: a4c.frames, a2c: a2c.frames }, labels);
  const fits = { ed: fitTruncatedEllipsoid(f.ed), es: fitTruncatedEllipsoid(f.es) };
  return {
    function: f,
    surfaces: {
      ed: truncatedEllipsoidMesh(fits.ed.ellipsoid),
      es: truncatedEllipsoidMesh(fits.es.ellipsoid),
    },
    fields: {
      method: `biplane method of discs (${SIMPSON_DISCS} discs)`,
      input: {
        a4c: inputs.a4c,
        a2c: inputs.a2c,
        frames: { a4c: a4c.frames.length, a2c: a2c.frames.length },
      },
      longAxisMm: { ed: r2(f.ed.lengthMm), es: r2(f.es.lengthMm) },
      // Single-plane area–length volumes of each view, for comparison with the biplane ones.
      areaLengthMl: {
        a4c: { ed: r2(areaLengthVolume(f.ed.a4c)), es: r2(areaLengthVolume(f.es.a4c)) },
        a2c: { ed: r2(areaLengthVolume(f.ed.a2c)), es: r2(areaLengthVolume(f.es.a2c)) },
      },
      ellipsoid: { ed: fitJson(fits.ed), es: fitJson(fits.es) },
    },
  };
}

async function analyseShortAxis(
  inputs: Extract<Inputs, { kind: 'sax' }>,
  labels: LvLabels,
): Promise<Analysis> {
  const stack = await readLabelStack(inputs.sax);
  const volumes = stack.volumes;
  if (volumes === undefined)
    throw new PlatformError(
      'ERR_RECONSTRUCT_INPUT',
      `${inputs.sax} is a 2D label stack: --sax needs one with slices`,
    );
  const f = shortAxisLvFunction(volumes, labels);
  const cavity = { labels: labels.cavityLabels ?? [1] };
  const at = (i: number | { readonly a4c: number }): Labelmap => {
    const v = volumes[typeof i === 'number' ? i : i.a4c];
    if (v === undefined) throw new PlatformError('ERR_INTERNAL', 'frame out of range');
    return v;
  };
  return {
    function: f,
    surfaces: {
      ed: shortAxisSurface(at(f.edFrame), cavity),
      es: shortAxisSurface(at(f.esFrame), cavity),
    },
    fields: {
      method: `short-axis Simpson summation (${stack.sidecar.sliceSpacingMm ?? '?'} mm slices)`,
      input: { sax: inputs.sax, frames: volumes.length, slices: stack.sidecar.slices },
    },
  };
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

function fitJson(fit: EllipsoidFit): Record<string, unknown> {
  const e = fit.ellipsoid;
  return {
    volumeMl: r2(fit.volumeMl),
    longSemiAxisMm: r2(e.longSemiAxisMm),
    shortSemiAxesMm: e.shortSemiAxesMm.map(r2),
    truncationMm: r2(e.truncationMm),
    rmsResidualMm: r2(fit.rmsResidualMm),
  };
}

/**
 * `medscale reconstruct lv`: LV volumes, function and mass from apical 4- and 2-chamber label
 * masks by the biplane method of discs (surface: a fitted truncated ellipsoid), or from a
 * short-axis stack by Simpson summation (surface: lofted contours), with the ED and ES surfaces
 * as binary STL.
 */
export function registerReconstructLv(reconstruct: Command): void {
  reconstruct
    .command('lv')
    .description(
      'LV volumes (EDV, ESV, SV, EF), wall volume and mass from apical 4- and 2-chamber label masks by the biplane method of discs (ASE/EACVI 2015) or from a short-axis stack by Simpson summation, and the LV surface at ED and ES (truncated-ellipsoid fit, or lofted short-axis contours) as STL',
    )
    .option(
      '--a4c <file>',
      'apical 4-chamber label stack (.labels.json sidecar, as synth lv-echo writes)',
    )
    .option('--a2c <file>', 'apical 2-chamber label stack')
    .option(
      '--sax <file>',
      'short-axis label stack with slices (cine stack, Simpson summation) instead',
    )
    .option('--from <dir>', 'a folder written by synth lv-echo (with --case)')
    .option('--case <id>', 'case id in --from, e.g. lv-001')
    .option('--short-axis', 'with --from: use the case short-axis stack (synth lv-echo --sax)')
    .option('--out <dir>', 'write lv.json, lv-ed.stl and lv-es.stl here')
    .option('--cavity-labels <list>', 'labels of the LV cavity', parseLabels, [1])
    .option('--myocardium-labels <list>', 'labels of the LV myocardium', parseLabels, [2])
    .option('--json', 'print the result as JSON')
    .action(async (options: ReconstructLvOptions) => {
      const inputs = await resolveInputs(options);
      const labels = {
        cavityLabels: options.cavityLabels,
        myocardiumLabels: options.myocardiumLabels,
      };
      const analysis =
        inputs.kind === 'echo'
          ? await analyseEcho(inputs, labels)
          : await analyseShortAxis(inputs, labels);
      const f = analysis.function;
      const surfaces: Record<string, string> = {};
      const result = {
        ...analysis.fields,
        edvMl: r2(f.edvMl),
        esvMl: r2(f.esvMl),
        strokeVolumeMl: r2(f.strokeVolumeMl),
        ejectionFractionPct: r2(f.ejectionFractionPct),
        ...(f.wall === undefined
          ? {}
          : {
              wallVolumeMl: r2(f.wall.wallVolumeMl),
              massG: r2(f.wall.massG),
              epiVolumeMl: r2(f.wall.epiVolumeMl),
            }),
        edFrame: f.edFrame,
        esFrame: f.esFrame,
        volumesMl: f.volumesMl.map(r2),
        surfaces,
        ...(inputs.truth === undefined
          ? {}
          : {
              truth: {
                edvMl: inputs.truth.frameEdvMl,
                esvMl: inputs.truth.frameEsvMl,
                ejectionFractionPct: inputs.truth.frameEjectionFractionPct,
                wallVolumeMl: inputs.truth.wallVolumeMl,
                massG: inputs.truth.massG,
              },
            }),
      };
      if (options.out !== undefined) {
        try {
          await mkdir(options.out, { recursive: true });
          for (const phase of ['ed', 'es'] as const) {
            const mesh = analysis.surfaces[phase];
            const name = `lv-${phase}.stl`;
            await writeFile(
              join(options.out, name),
              writeStl(
                mesh,
                `medscale LV ${phase.toUpperCase()} ${(meshVolume(mesh) / 1000).toFixed(1)} mL`,
              ),
            );
            surfaces[phase] = join(options.out, name);
          }
          await writeFile(join(options.out, 'lv.json'), `${JSON.stringify(result, null, 2)}\n`);
        } catch (error) {
          throw new PlatformError(
            'ERR_IO',
            `cannot write to ${options.out}: ${errorMessage(error)}`,
            { cause: error },
          );
        }
      }
      if (options.json === true) {
        printJson(result);
        return;
      }
      const truth = result.truth;
      const row = (
        quantity: string,
        value: number | undefined,
        unit: string,
        expected?: number,
      ) => ({
        quantity,
        value: value === undefined ? undefined : value.toFixed(1),
        unit,
        ...(truth === undefined ? {} : { truth: expected?.toFixed(1) }),
      });
      printTable(
        [
          row('EDV', result.edvMl, 'mL', truth?.edvMl),
          row('ESV', result.esvMl, 'mL', truth?.esvMl),
          row(
            'SV',
            result.strokeVolumeMl,
            'mL',
            truth === undefined ? undefined : truth.edvMl - truth.esvMl,
          ),
          row('EF', result.ejectionFractionPct, '%', truth?.ejectionFractionPct),
          row('wall volume', result.wallVolumeMl, 'mL', truth?.wallVolumeMl),
          row('mass', result.massG, 'g', truth?.massG),
        ],
        truth === undefined
          ? ['quantity', 'value', 'unit']
          : ['quantity', 'value', 'unit', 'truth'],
      );
      if (options.out !== undefined) process.stdout.write(`surfaces and lv.json: ${options.out}\n`);
    });
}
