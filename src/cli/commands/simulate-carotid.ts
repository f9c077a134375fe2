import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { PlatformError, errorMessage } from '../../core/index.js';
import {
  DEFAULT_HEART_RATE_BPM,
  DEFAULT_MEAN_FLOW_ML_PER_S,
  DEFAULT_PULSATILITY_INDEX,
  addStenosis,
  carotidFlowSvg,
  carotidTawssOsiSvg,
  carotidWssSvg,
  genericCarotidBifurcation,
  outletNames,
  parseVesselTree,
  simulateCarotid,
} from '../../simulate/index.js';
import type {
  CarotidSimulation,
  CarotidSimulationOptions,
  StenosisSpec,
  VesselTree,
} from '../../simulate/index.js';
import { parsePositiveInt } from '../global-options.js';
import { printJson } from '../output.js';

interface CarotidCommandOptions {
  readonly geometry?: string;
  readonly generic?: boolean;
  readonly ccaDiameter?: number;
  readonly stenosis?: number;
  readonly stenosisLength: number;
  readonly stenosisBranch: string;
  readonly stenosisCenter?: number;
  readonly meanFlow: number;
  readonly pulsatility: number;
  readonly hr: number;
  readonly icaSplit?: number;
  readonly meanPressure?: number;
  readonly samples: number;
  readonly detectStenoses: boolean;
  readonly out?: string;
  readonly json?: boolean;
}

/** The summary printed (and written as summary.json): the headline numbers of a run. */
export interface CarotidRunSummary {
  /** `generic` or the geometry file read. */
  readonly geometry: string;
  readonly heartRateBpm: number;
  readonly meanFlowMlPerS: number;
  readonly pulsatilityIndex: number;
  /** Mean Q_ICA / Q_CCA, or null without branches of those names. */
  readonly icaFlowSplit: number | null;
  readonly outletShares: Readonly<Record<string, number>>;
  readonly branches: readonly {
    readonly name: string;
    readonly meanFlowMlPerS: number;
    readonly maxFlowMlPerS: number;
    readonly minFlowMlPerS: number;
    readonly meanPressureInMmhg: number;
    readonly maxPressureInMmhg: number;
    readonly minPressureInMmhg: number;
    readonly tawssMinPa: number;
    readonly tawssMaxPa: number;
    readonly osiMax: number;
    readonly womersleyRange: readonly [number, number];
    readonly reynoldsPeakMax: number;
  }[];
  readonly stenoses: readonly {
    readonly branch: string;
    readonly source: 'explicit' | 'detected';
    readonly diameterReductionPercent: number;
    readonly lengthMm: number;
    readonly meanPressureDropMmhg: number;
    readonly peakPressureDropMmhg: number;
  }[];
  readonly warnings: readonly string[];
  /** Files written under --out. */
  readonly files: readonly string[];
  readonly elapsedMs: number;
}

function number(what: string, check: (n: number) => boolean, expected: string) {
  return (value: string): number => {
    const n = value.trim() === '' ? NaN : Number(value);
    if (!Number.isFinite(n) || !check(n))
      throw new InvalidArgumentError(`${what}: expected ${expected}, got "${value}"`);
    return n;
  };
}

const positive = (what: string): ((value: string) => number) =>
  number(what, (n) => n > 0, 'a number > 0');

async function readGeometry(file: string): Promise<VesselTree> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PlatformError('ERR_IO', `cannot read --geometry ${file}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PlatformError(
      'ERR_SIMULATE_INPUT',
      `--geometry ${file} is not JSON: ${errorMessage(error)}`,
      { cause: error },
    );
  }
  return parseVesselTree(data);
}

function summarize(
  result: CarotidSimulation,
  geometry: string,
  files: readonly string[],
  elapsedMs: number,
): CarotidRunSummary {
  return {
    geometry,
    heartRateBpm: result.inflow.heartRateBpm,
    meanFlowMlPerS: result.inflow.meanFlowMlPerS,
    pulsatilityIndex: result.inflow.pulsatilityIndex,
    icaFlowSplit: result.icaFlowSplit,
    outletShares: result.outletShares,
    branches: result.branches.map((b) => {
      const segments = result.segments.filter((s) => s.branch === b.name);
      const alphas = segments.map((s) => s.womersley);
      return {
        name: b.name,
        meanFlowMlPerS: b.meanFlowMlPerS,
        maxFlowMlPerS: b.maxFlowMlPerS,
        minFlowMlPerS: b.minFlowMlPerS,
        meanPressureInMmhg: b.meanPressureInMmhg,
        maxPressureInMmhg: Math.max(...b.pressureInMmhg),
        minPressureInMmhg: Math.min(...b.pressureInMmhg),
        tawssMinPa: Math.min(...b.points.map((p) => p.tawssPa)),
        tawssMaxPa: Math.max(...b.points.map((p) => p.tawssPa)),
        osiMax: Math.max(...b.points.map((p) => p.osi)),
        womersleyRange: [Math.min(...alphas), Math.max(...alphas)] as const,
        reynoldsPeakMax: Math.max(...segments.map((s) => s.reynoldsPeak)),
      };
    }),
    stenoses: result.stenoses.map((s) => ({
      branch: s.branch,
      source: s.source,
      diameterReductionPercent: s.diameterReductionPercent,
      lengthMm: s.lengthMm,
      meanPressureDropMmhg: s.meanPressureDropMmhg,
      peakPressureDropMmhg: s.peakPressureDropMmhg,
    })),
    warnings: result.warnings,
    files,
    elapsedMs,
  };
}

function printHuman(summary: CarotidRunSummary): void {
  const f = (v: number, d = 2): string => v.toFixed(d);
  const lines = [
    `carotid flow (${summary.geometry}): mean ${f(summary.meanFlowMlPerS)} mL/s, PI ${f(summary.pulsatilityIndex)}, HR ${f(summary.heartRateBpm, 0)}/min`,
  ];
  if (summary.icaFlowSplit !== null)
    lines.push(`ICA flow split: ${f(100 * summary.icaFlowSplit, 1)} % of the CCA flow`);
  for (const b of summary.branches)
    lines.push(
      `${b.name.padEnd(6)} flow ${f(b.meanFlowMlPerS)} mL/s (${f(b.minFlowMlPerS)}–${f(b.maxFlowMlPerS)}), inlet pressure ${f(b.meanPressureInMmhg, 1)} mmHg (${f(b.minPressureInMmhg, 1)}–${f(b.maxPressureInMmhg, 1)}), TAWSS ${f(b.tawssMinPa)}–${f(b.tawssMaxPa)} Pa, OSI ≤ ${f(b.osiMax, 3)}, α ${f(b.womersleyRange[0])}–${f(b.womersleyRange[1])}, peak Re ${f(b.reynoldsPeakMax, 0)}`,
    );
  for (const s of summary.stenoses)
    lines.push(
      `stenosis ${s.branch} (${s.source}): ${f(s.diameterReductionPercent, 0)} % over ${f(s.lengthMm, 1)} mm, Young–Tsai drop mean ${f(s.meanPressureDropMmhg)} mmHg, peak ${f(s.peakPressureDropMmhg)} mmHg`,
    );
  for (const w of summary.warnings) lines.push(`warning: ${w}`);
  if (summary.files.length > 0) lines.push(`wrote ${summary.files.join(', ')}`);
  lines.push(`solved in ${(summary.elapsedMs / 1000).toFixed(2)} s`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * `medscale simulate carotid`: reduced-order pulsatile flow on a carotid bifurcation (Womersley
 * segments, Young–Tsai stenoses, Windkessel outlets), from a reconstructed vessel tree (JSON) or
 * the generic bifurcation. Prints a summary (`--json` for JSON); `--out DIR` also writes
 * results.json, summary.json, geometry.json and SVG plots (flow.svg, wss.svg, tawss-osi.svg).
 */
export function registerSimulateCarotid(simulate: Command): void {
  simulate
    .command('carotid')
    .description(
      'pulsatile flow, pressure, wall shear stress, TAWSS and OSI on a carotid bifurcation (reduced-order: Womersley segments, Young–Tsai stenosis, Windkessel outlets)',
    )
    .option(
      '--geometry <file>',
      'vessel tree JSON: { branches: [{ name, parent?, points, radii }] } (mm, LPS)',
    )
    .option('--generic', 'the generic bifurcation (Bharadvaj proportions, CCA 8 mm)')
    .option(
      '--cca-diameter <mm>',
      'CCA diameter of the generic bifurcation',
      positive('--cca-diameter'),
    )
    .option(
      '--stenosis <percent>',
      'add a stenosis of this NASCET diameter reduction',
      number('--stenosis', (n) => n > 0 && n < 100, 'a percentage in (0, 100)'),
    )
    .option('--stenosis-length <mm>', 'stenosis length', positive('--stenosis-length'), 12)
    .option('--stenosis-branch <name>', 'branch to narrow', 'ica')
    .option(
      '--stenosis-center <mm>',
      'centre of the stenosis along the branch (default: the bulb)',
      number('--stenosis-center', (n) => n >= 0, 'a number ≥ 0'),
    )
    .option(
      '--mean-flow <mL/s>',
      'mean inflow',
      positive('--mean-flow'),
      DEFAULT_MEAN_FLOW_ML_PER_S,
    )
    .option(
      '--pulsatility <PI>',
      'pulsatility index (Qmax − Qmin)/Qmean',
      number('--pulsatility', (n) => n >= 0, 'a number ≥ 0'),
      DEFAULT_PULSATILITY_INDEX,
    )
    .option('--hr <bpm>', 'heart rate', positive('--hr'), DEFAULT_HEART_RATE_BPM)
    .option(
      '--ica-split <fraction>',
      'tune the outlets so that this fraction of the mean flow goes to the ICA (default outlets give about 0.65)',
      number('--ica-split', (n) => n > 0 && n < 1, 'a fraction in (0, 1)'),
    )
    .option(
      '--mean-pressure <mmHg>',
      'mean inlet pressure for --ica-split',
      positive('--mean-pressure'),
    )
    .option('--samples <n>', 'time samples per cycle (power of two)', parsePositiveInt, 128)
    .option('--no-detect-stenoses', 'do not look for stenoses in the radii')
    .option('--out <dir>', 'write results.json, summary.json, geometry.json and SVG plots here')
    .option('--json', 'print the summary as JSON')
    .action(async (options: CarotidCommandOptions) => {
      const started = Date.now();
      if ((options.geometry === undefined) === (options.generic !== true))
        throw new PlatformError('ERR_USAGE', 'give exactly one of --geometry FILE or --generic');
      if (options.ccaDiameter !== undefined && options.generic !== true)
        throw new PlatformError('ERR_USAGE', '--cca-diameter applies to --generic only');
      let tree =
        options.geometry === undefined
          ? genericCarotidBifurcation(
              options.ccaDiameter === undefined ? {} : { ccaDiameterMm: options.ccaDiameter },
            )
          : await readGeometry(options.geometry);
      const stenoses: StenosisSpec[] = [];
      if (options.stenosis !== undefined) {
        const added = addStenosis(tree, {
          branch: options.stenosisBranch,
          percent: options.stenosis,
          lengthMm: options.stenosisLength,
          ...(options.stenosisCenter === undefined ? {} : { centerMm: options.stenosisCenter }),
        });
        tree = added.tree;
        stenoses.push(added.stenosis);
      }
      let outlets: CarotidSimulationOptions['outlets'];
      if (options.icaSplit !== undefined) {
        const leaves = outletNames(tree);
        const ica = leaves.find((n) => n.toLowerCase() === 'ica');
        if (ica === undefined || leaves.length !== 2)
          throw new PlatformError(
            'ERR_USAGE',
            `--ica-split needs exactly two outlets, one named ica; this tree has ${leaves.join(', ')}`,
          );
        const other = leaves.find((n) => n !== ica) ?? '';
        outlets = {
          kind: 'split',
          shares: { [ica]: options.icaSplit, [other]: 1 - options.icaSplit },
          ...(options.meanPressure === undefined ? {} : { meanPressureMmhg: options.meanPressure }),
        };
      } else if (options.meanPressure !== undefined) {
        throw new PlatformError('ERR_USAGE', '--mean-pressure applies with --ica-split only');
      }
      const result = simulateCarotid(tree, {
        inflow: {
          meanFlowMlPerS: options.meanFlow,
          pulsatilityIndex: options.pulsatility,
          heartRateBpm: options.hr,
        },
        stenoses,
        detectStenoses: options.detectStenoses,
        samples: options.samples,
        ...(outlets === undefined ? {} : { outlets }),
      });
      const files: string[] = [];
      const geometryName = options.geometry ?? 'generic';
      if (options.out !== undefined) {
        const dir = resolve(options.out);
        await mkdir(dir, { recursive: true });
        const write = async (name: string, content: string): Promise<void> => {
          const path = join(dir, name);
          await writeFile(path, content);
          files.push(path);
        };
        await write('results.json', `${JSON.stringify(result)}\n`);
        await write('geometry.json', `${JSON.stringify(tree, null, 1)}\n`);
        await write('flow.svg', carotidFlowSvg(result));
        await write('wss.svg', carotidWssSvg(result));
        await write('tawss-osi.svg', carotidTawssOsiSvg(result));
        const summaryPath = join(dir, 'summary.json');
        files.push(summaryPath);
        await writeFile(
          summaryPath,
          `${JSON.stringify(summarize(result, geometryName, files, Date.now() - started), null, 2)}\n`,
        );
      }
      const summary = summarize(result, geometryName, files, Date.now() - started);
      if (options.json === true) printJson(summary);
      else printHuman(summary);
    });
}
