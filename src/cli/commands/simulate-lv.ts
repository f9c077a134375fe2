import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { PlatformError, errorMessage } from '../../core/index.js';
import { writePng } from '../../formats/index.js';
import {
  BUILTIN_DRUGS,
  DRUG_SCENARIOS,
  LV_PRESETS,
  chartToSvg,
  findDrug,
  parseCohortCsv,
  parseDrugText,
  personalizeLv,
  pvLoopChart,
  rasterizeChart,
  runTrial,
  sampleCohort,
  simulateDrug,
  simulateLv,
  trialReportHtml,
} from '../../simulate/index.js';
import type {
  BaselineMode,
  DrugDefinition,
  DrugOutcome,
  DrugScenario,
  LvFit,
  LvMeasurements,
  LvParams,
  LvResult,
  PvLoopSeries,
  TrialSubject,
} from '../../simulate/index.js';
import { parsePositiveInt } from '../global-options.js';
import { printJson, printTable } from '../output.js';
import { createProgress } from '../progress.js';

/** Commander parser for a finite number option. */
export function parseNumber(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

function parseScenario(value: string): DrugScenario {
  const found = DRUG_SCENARIOS.find((s) => s === value);
  if (found === undefined)
    throw new InvalidArgumentError(`expected ${DRUG_SCENARIOS.join(' or ')}, got "${value}"`);
  return found;
}

function parseBaseline(value: string): BaselineMode {
  if (value !== 'fit' && value !== 'sample-parameters')
    throw new InvalidArgumentError(`expected fit or sample-parameters, got "${value}"`);
  return value;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Reads user drug files (JSON or YAML), each holding one drug or a list. */
async function loadDrugFiles(files: readonly string[] | undefined): Promise<DrugDefinition[]> {
  const drugs: DrugDefinition[] = [];
  for (const file of files ?? []) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new PlatformError('ERR_IO', `cannot read drug file ${file}: ${errorMessage(error)}`);
    }
    drugs.push(...parseDrugText(text, file));
  }
  return drugs;
}

async function writeOut(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFile(path, data);
  } catch (error) {
    throw new PlatformError('ERR_IO', `cannot write ${path}: ${errorMessage(error)}`);
  }
}

async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new PlatformError('ERR_IO', `cannot create ${dir}: ${errorMessage(error)}`);
  }
}

/** The scalar outputs of a run, without parameters, trace and state (for tables and JSON). */
function outputs(r: LvResult): Record<string, number> {
  return {
    edv: r.edv,
    esv: r.esv,
    sv: r.sv,
    ef: r.ef,
    sbp: r.sbp,
    dbp: r.dbp,
    map: r.map,
    pp: r.pp,
    edp: r.edp,
    strokeWork: r.strokeWork,
    strokeWorkJ: r.strokeWorkJ,
    pes: r.pes,
    ves: r.ves,
    ea: r.ea,
    ees: r.ees,
    eaOverEes: r.eaOverEes,
    co: r.co,
    beats: r.beats,
  };
}

function traceJson(r: LvResult): Record<string, number[]> | undefined {
  const t = r.trace;
  if (t === undefined) return undefined;
  return {
    t: Array.from(t.t),
    plv: Array.from(t.plv),
    v: Array.from(t.v),
    pao: Array.from(t.pao),
    qmv: Array.from(t.qmv),
    qav: Array.from(t.qav),
  };
}

function loop(r: LvResult, label: string): PvLoopSeries {
  const t = r.trace;
  if (t === undefined) throw new PlatformError('ERR_INTERNAL', 'no trace recorded');
  return { label, v: t.v, p: t.plv, espvr: { emax: r.params.emax, v0: r.params.v0es } };
}

interface LvFlags {
  readonly edv?: number;
  readonly esv?: number;
  readonly sbp?: number;
  readonly dbp?: number;
  readonly hr?: number;
  readonly edp?: number;
  readonly eOverEprime?: number;
  readonly ees?: number;
  readonly preset?: string;
  readonly drug?: string;
  readonly drugFile?: string[];
  readonly scenario: DrugScenario;
  readonly sbpChange?: number;
  readonly out?: string;
  readonly json?: boolean;
}

function measurementsOf(flags: LvFlags): LvMeasurements | undefined {
  const { edv, esv, sbp, dbp, hr } = flags;
  const given = [edv, esv, sbp, dbp, hr].filter((v) => v !== undefined).length;
  if (flags.preset !== undefined) {
    if (given > 0 || flags.edp !== undefined || flags.eOverEprime !== undefined)
      throw new PlatformError('ERR_USAGE', 'give either --preset or measurements, not both');
    return undefined;
  }
  if (
    edv === undefined ||
    esv === undefined ||
    sbp === undefined ||
    dbp === undefined ||
    hr === undefined
  ) {
    throw new PlatformError(
      'ERR_USAGE',
      'give --edv, --esv, --sbp, --dbp and --hr (optionally --edp or --e-over-eprime), or --preset h75',
    );
  }
  return {
    edv,
    esv,
    sbp,
    dbp,
    hr,
    ...(flags.edp === undefined ? {} : { edp: flags.edp }),
    ...(flags.eOverEprime === undefined ? {} : { eOverEPrime: flags.eOverEprime }),
    ...(flags.ees === undefined ? {} : { ees: flags.ees }),
  };
}

/**
 * `medscale simulate lv`: personalise the LV model to echo and cuff measurements (or take a preset),
 * optionally apply a drug, and write the result JSON and PV-loop chart (SVG, PNG).
 */
export function registerSimulateLv(simulate: Command): void {
  simulate
    .command('lv')
    .description(
      'personalise the left-ventricle model (elastance + Windkessel) to echo volumes and cuff pressures, optionally simulate a drug, and draw PV loops',
    )
    .option('--edv <mL>', 'end-diastolic volume', parseNumber)
    .option('--esv <mL>', 'end-systolic volume', parseNumber)
    .option('--sbp <mmHg>', 'systolic cuff pressure', parseNumber)
    .option('--dbp <mmHg>', 'diastolic cuff pressure', parseNumber)
    .option('--hr <bpm>', 'heart rate', parseNumber)
    .option('--edp <mmHg>', 'LV end-diastolic pressure (adds EDP to the fit)', parseNumber)
    .option(
      '--e-over-eprime <ratio>',
      'mitral E/e′ (EDP from Nagueh when --edp is absent)',
      parseNumber,
    )
    .option('--ees <mmHg/mL>', 'measured end-systolic elastance (fixes Emax, fits V0)', parseNumber)
    .option(
      '--preset <name>',
      `a parameter set instead of measurements: ${Object.keys(LV_PRESETS).join(', ')}`,
    )
    .option('--drug <name>', 'simulate this drug (see `medscale simulate drugs`)')
    .option('--drug-file <file>', 'drug definitions (JSON or YAML), repeatable', collect)
    .option('--scenario <name>', 'acute or chronic', parseScenario, 'chronic')
    .option(
      '--sbp-change <mmHg>',
      'calibrate R_p after the drug to this SBP change (e.g. -4)',
      parseNumber,
    )
    .option('--out <dir>', 'write result.json, pv-loop.svg and pv-loop.png here')
    .option('--json', 'print the result as JSON')
    .action(async (flags: LvFlags) => {
      const measurements = measurementsOf(flags);
      let params: LvParams;
      let fit: LvFit | undefined;
      if (measurements === undefined) {
        const preset = LV_PRESETS[(flags.preset ?? '').toLowerCase()];
        if (preset === undefined) {
          throw new PlatformError(
            'ERR_USAGE',
            `unknown preset "${flags.preset ?? ''}": use ${Object.keys(LV_PRESETS).join(', ')}`,
          );
        }
        params = preset;
      } else {
        fit = personalizeLv(measurements);
        params = fit.params;
      }
      if (
        flags.drug === undefined &&
        (flags.sbpChange !== undefined || flags.drugFile !== undefined)
      )
        throw new PlatformError('ERR_USAGE', '--drug-file and --sbp-change need --drug');
      const drug =
        flags.drug === undefined
          ? undefined
          : findDrug(flags.drug, await loadDrugFiles(flags.drugFile));
      const traceEvery = 20; // 1e-4 s steps: one sample per 2 ms
      const baseline = simulateLv(params, { traceEvery });
      let outcome: DrugOutcome | undefined;
      if (drug !== undefined) {
        outcome = simulateDrug(params, drug, {
          scenario: flags.scenario,
          baseline,
          simulate: { traceEvery },
          ...(flags.sbpChange === undefined ? {} : { sbpChange: flags.sbpChange }),
        });
      }
      const result = {
        ...(measurements === undefined ? { preset: flags.preset } : { measurements }),
        params,
        ...(fit === undefined
          ? {}
          : {
              fit: {
                fitted: fit.fitted,
                residuals: fit.residuals,
                maxResidual: fit.maxResidual,
                chenEes: fit.chenEes,
                evaluations: fit.evaluations,
                ...(fit.edpTarget === undefined ? {} : { edpTarget: fit.edpTarget }),
              },
            }),
        baseline: { ...outputs(baseline), trace: traceJson(baseline) },
        ...(outcome === undefined || drug === undefined
          ? {}
          : {
              drug: { id: drug.id, name: drug.name, scenario: outcome.applied.scenario },
              changes: outcome.applied.changes,
              geometry: outcome.applied.geometry,
              ...(outcome.calibration === undefined ? {} : { calibration: outcome.calibration }),
              treatedParams: outcome.applied.params,
              treated: { ...outputs(outcome.treated), trace: traceJson(outcome.treated) },
              delta: outcome.delta,
            }),
      };
      const files: string[] = [];
      if (flags.out !== undefined) {
        await makeDir(flags.out);
        const series = [loop(baseline, `Baseline EF ${baseline.ef.toFixed(0)}%`)];
        if (outcome !== undefined && drug !== undefined)
          series.push(
            loop(
              outcome.treated,
              `${drug.id} ${outcome.applied.scenario} EF ${outcome.treated.ef.toFixed(0)}%`,
            ),
          );
        const chart = pvLoopChart(series, {
          title: drug === undefined ? 'LV pressure-volume loop' : `PV loops: ${drug.name}`,
        });
        const image = rasterizeChart(chart);
        const paths = ['result.json', 'pv-loop.svg', 'pv-loop.png'].map((f) =>
          join(flags.out ?? '.', f),
        );
        const [jsonPath = '', svgPath = '', pngPath = ''] = paths;
        await writeOut(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
        await writeOut(svgPath, chartToSvg(chart));
        await writeOut(
          pngPath,
          writePng({
            width: image.width,
            height: image.height,
            channels: 4,
            bitDepth: 8,
            data: image.data,
          }),
        );
        files.push(...paths);
      }
      if (flags.json === true) {
        printJson({ ...result, files });
        return;
      }
      const rows = Object.entries(outputs(baseline))
        .filter(([k]) => k !== 'beats')
        .map(([metric, value]) => {
          const treated = outcome === undefined ? undefined : outputs(outcome.treated)[metric];
          return {
            metric,
            baseline: value.toFixed(2),
            ...(treated === undefined
              ? {}
              : { treated: treated.toFixed(2), change: (treated - value).toFixed(2) }),
          };
        });
      printTable(
        rows,
        outcome === undefined
          ? ['metric', 'baseline']
          : ['metric', 'baseline', 'treated', 'change'],
      );
      if (fit !== undefined)
        process.stdout.write(
          `fit: ${fit.fitted.join(', ')}; largest residual ${fit.maxResidual.toFixed(3)}\n`,
        );
      for (const g of outcome?.applied.geometry ?? [])
        process.stdout.write(
          `geometry (not simulated in 0D): ${g.quantity} ${g.operation} ${g.value} ${g.unit}\n`,
        );
      for (const f of files) process.stdout.write(`wrote ${f}\n`);
    });
}

interface TrialFlags {
  readonly cohort?: string;
  readonly sample?: number;
  readonly seed: number;
  readonly drug: string;
  readonly drugFile?: string[];
  readonly scenario: DrugScenario;
  readonly baseline: BaselineMode;
  readonly sbpChange?: number;
  readonly out: string;
  readonly workers?: number;
  readonly json?: boolean;
}

/**
 * `medscale simulate trial`: an in-silico trial of a drug on a cohort CSV or a sampled
 * PROVE-HF-like cohort; writes trial.json and report.html.
 */
export function registerSimulateTrial(simulate: Command): void {
  simulate
    .command('trial')
    .description(
      'in-silico trial: personalise the LV model to every subject, apply a drug with sampled effect sizes, compare with published outcomes',
    )
    .option(
      '--cohort <file>',
      'cohort CSV: edv, esv, sbp, dbp, hr and optionally id, edp, e_over_eprime, bsa',
    )
    .option(
      '--sample <n>',
      'sample a PROVE-HF-like HFrEF cohort of this size instead',
      parsePositiveInt,
    )
    .option('--seed <k>', 'seed of cohort and effect sampling', parsePositiveInt, 1)
    .requiredOption('--drug <name>', 'drug (see `medscale simulate drugs`)')
    .option('--drug-file <file>', 'drug definitions (JSON or YAML), repeatable', collect)
    .option('--scenario <name>', 'acute or chronic', parseScenario, 'chronic')
    .option(
      '--baseline <mode>',
      'fit (personalise every subject) or sample-parameters (sample around the median fit; faster)',
      parseBaseline,
      'fit',
    )
    .option('--sbp-change <mmHg>', 'calibrate R_p after the drug to this SBP change', parseNumber)
    .requiredOption('--out <dir>', 'output folder for trial.json and report.html')
    .option('--workers <n>', 'worker threads', parsePositiveInt)
    .option('--json', 'print the summary as JSON')
    .action(async (flags: TrialFlags) => {
      if ((flags.cohort === undefined) === (flags.sample === undefined))
        throw new PlatformError('ERR_USAGE', 'give exactly one of --cohort FILE.csv or --sample N');
      const drug = findDrug(flags.drug, await loadDrugFiles(flags.drugFile));
      let subjects: TrialSubject[];
      if (flags.cohort !== undefined) {
        let text: string;
        try {
          text = await readFile(flags.cohort, 'utf8');
        } catch (error) {
          throw new PlatformError(
            'ERR_IO',
            `cannot read cohort ${flags.cohort}: ${errorMessage(error)}`,
          );
        }
        subjects = parseCohortCsv(text, flags.cohort);
      } else {
        subjects = sampleCohort(flags.sample ?? 1, flags.seed);
      }
      const progress = createProgress('trial', flags.json === true);
      let result;
      try {
        result = await runTrial({
          subjects,
          drug,
          scenario: flags.scenario,
          seed: flags.seed,
          baseline: flags.baseline,
          ...(flags.sbpChange === undefined ? {} : { sbpChange: flags.sbpChange }),
          ...(flags.workers === undefined ? {} : { workers: flags.workers }),
          onProgress: (done, total) => {
            progress.update(done, total, 'subjects');
          },
        });
      } finally {
        progress.stop();
      }
      await makeDir(flags.out);
      const jsonPath = join(flags.out, 'trial.json');
      const htmlPath = join(flags.out, 'report.html');
      await writeOut(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
      await writeOut(htmlPath, trialReportHtml(result));
      const summary = Object.fromEntries(
        Object.entries(result).filter(([key]) => key !== 'outcomes'),
      );
      if (flags.json === true) {
        printJson({ ...summary, files: [jsonPath, htmlPath] });
        return;
      }
      process.stdout.write(
        `${result.succeeded}/${result.subjects} subjects simulated (${drug.name}, ${result.scenario}) in ${(result.elapsedMs / 1000).toFixed(1)} s on ${result.workers} worker(s)\n`,
      );
      printTable(
        result.comparison.map((c) => ({
          study: c.study,
          metric: `Δ${c.metric}`,
          unit: c.unit,
          reported: c.reported,
          simulated: c.simulated.toFixed(2),
          ci95: `${c.simulatedCi95[0].toFixed(2)} to ${c.simulatedCi95[1].toFixed(2)}`,
        })),
        ['study', 'metric', 'unit', 'reported', 'simulated', 'ci95'],
      );
      process.stdout.write(`wrote ${jsonPath}\nwrote ${htmlPath}\n`);
      if (result.failures.length > 0) process.exitCode = 3;
    });
}

/** `medscale simulate drugs`: the drug-effect library (built-in plus `--drug-file`). */
export function registerSimulateDrugs(simulate: Command): void {
  simulate
    .command('drugs')
    .description('list the drug-effect library: parameter changes per scenario, with sources')
    .option(
      '--drug-file <file>',
      'also list the drugs in this file (JSON or YAML), repeatable',
      collect,
    )
    .option('--json', 'print the definitions as JSON')
    .action(async (flags: { drugFile?: string[]; json?: boolean }) => {
      const drugs = [...(await loadDrugFiles(flags.drugFile)), ...BUILTIN_DRUGS];
      if (flags.json === true) {
        printJson(drugs);
        return;
      }
      for (const d of drugs) {
        process.stdout.write(
          `${d.id}: ${d.name}${d.aliases === undefined ? '' : ` (also ${d.aliases.join(', ')})`}\n`,
        );
        printTable(
          [
            ...d.effects.map((e) => ({
              target: e.parameter,
              change: `${e.operation === 'multiply' ? '×' : '+'}${e.value}${e.sd === undefined ? '' : ` ± ${e.sd}`}`,
              scenarios: e.scenarios.join(','),
              source: e.source,
            })),
            ...(d.geometry ?? []).map((g) => ({
              target: `${g.quantity} (geometry)`,
              change: `${g.operation === 'multiply' ? '×' : '+'}${g.value}`,
              scenarios: g.scenarios.join(','),
              source: g.source,
            })),
          ],
          ['target', 'change', 'scenarios', 'source'],
        );
        process.stdout.write('\n');
      }
    });
}
