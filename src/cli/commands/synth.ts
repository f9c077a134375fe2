import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DEFECT_KINDS, DEFECT_RATE_FIELDS, synthesizeMrCohort } from '../../synth/index.js';
import type { CohortSize, DefectRates, SynthSummary } from '../../synth/index.js';
import { parsePositiveInt } from '../global-options.js';
import { printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { registerSynthCarotidUs } from './synth-carotid-us.js';
import { registerSynthLvEcho } from './synth-lv-echo.js';

interface MrCohortCommandOptions {
  readonly participants: number;
  readonly sites: number;
  readonly out: string;
  readonly seed: string;
  readonly size: CohortSize;
  readonly followUp: number;
  readonly protocol?: string;
  readonly defects?: DefectRates;
  readonly overwrite?: boolean;
  readonly workers?: number;
  readonly json?: boolean;
}

function parseFraction(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError(`expected a fraction in [0, 1], got "${value}"`);
  return n;
}

function parseSize(value: string): CohortSize {
  if (value !== 'small' && value !== 'full')
    throw new InvalidArgumentError(`expected small or full, got "${value}"`);
  return value;
}

const KIND_LIST = DEFECT_KINDS.join(', ');

/**
 * Parses `--defects`: one fraction in [0, 1] for every kind (`0.05`), or a comma list of
 * `kind=fraction` pairs with kebab-case kind names (`missing-series=0.1,ghosting=0.05`); kinds left
 * out get none. Throws `InvalidArgumentError` (usage, exit status 2) for anything else.
 */
export function parseDefects(value: string): DefectRates {
  const text = value.trim();
  if (!text.includes('=')) {
    const rate = parseFraction(text);
    return Object.fromEntries(DEFECT_KINDS.map((kind) => [DEFECT_RATE_FIELDS[kind], rate]));
  }
  const rates: Partial<Record<keyof DefectRates, number>> = {};
  for (const part of text.split(',')) {
    const pair = part.split('=');
    const [name = '', rate = ''] = pair.map((x) => x.trim());
    if (pair.length !== 2 || name === '' || rate === '') {
      throw new InvalidArgumentError(
        `expected a fraction or kind=fraction pairs separated by commas, got "${part}"`,
      );
    }
    const kind = DEFECT_KINDS.find((k) => k === name);
    if (kind === undefined)
      throw new InvalidArgumentError(`unknown defect kind "${name}": use ${KIND_LIST}`);
    const field = DEFECT_RATE_FIELDS[kind];
    if (rates[field] !== undefined)
      throw new InvalidArgumentError(`defect kind "${name}" given twice`);
    rates[field] = parseFraction(rate);
  }
  return rates;
}

/** `medscale synth mr-cohort`: synthetic data with ground truth. */
export function registerSynth(program: Command): void {
  const synth = program.command('synth').description('synthetic data with ground truth');
  registerSynthLvEcho(synth);
  registerSynthCarotidUs(synth);
  synth
    .command('mr-cohort')
    .description(
      'a multi-site whole-body MR cohort as DICOM (NAKO-like 12-series protocol, anatomical phantom, Rician noise, fake PHI), with ground-truth.json',
    )
    .requiredOption('--out <dir>', 'output folder (must be empty unless --overwrite)')
    .option('--participants <n>', 'participants', parsePositiveInt, 10)
    .option('--sites <n>', 'sites (1-5)', parsePositiveInt, 5)
    .option('--seed <k>', 'seed: the same seed gives byte-identical files', '1')
    .option(
      '--size <size>',
      'small (tests: ≤64² matrices, ≤8 slices) or full (realistic matrices and slice counts)',
      parseSize,
      'small',
    )
    .option(
      '--follow-up <fraction>',
      'fraction of participants with a follow-up visit',
      parseFraction,
      0,
    )
    .option(
      '--protocol <file>',
      'protocol JSON (default: examples/protocols/nako-like.protocol.json)',
    )
    .option(
      '--defects <rates>',
      `inject defects into this fraction of sessions, per kind: one fraction for every kind (e.g. 0.05) or kind=fraction pairs (e.g. missing-series=0.1,ghosting=0.05); kinds: ${KIND_LIST}; written to defects.json`,
      parseDefects,
    )
    .option('--overwrite', 'write into a non-empty folder')
    .option('--workers <n>', 'worker threads', parsePositiveInt)
    .option('--json', 'print the summary as JSON')
    .action(async (options: MrCohortCommandOptions) => {
      const progress = createProgress('synth', options.json === true);
      let summary: SynthSummary;
      try {
        summary = await synthesizeMrCohort({
          outDir: options.out,
          participants: options.participants,
          sites: options.sites,
          seed: /^\d+$/.test(options.seed) ? Number(options.seed) : options.seed,
          size: options.size,
          followUpFraction: options.followUp,
          ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
          ...(options.defects === undefined ? {} : { defects: options.defects }),
          ...(options.overwrite === true ? { overwrite: true } : {}),
          ...(options.workers === undefined ? {} : { concurrency: options.workers }),
          onProgress: (p) => {
            progress.update(p.instancesWritten, p.instancesTotal, '');
          },
        });
      } finally {
        progress.stop();
      }
      if (options.json === true) printJson(summary);
      else {
        process.stdout.write(
          `wrote ${summary.instances} instances (${(summary.bytes / 1e6).toFixed(1)} MB) in ${summary.series} series, ${summary.sessions} sessions, ${summary.participants} participants to ${summary.outDir} in ${(summary.elapsedMs / 1000).toFixed(2)} s\n`,
        );
        process.stdout.write(
          `ground truth: ${summary.groundTruthFile}\nprotocol:     ${summary.protocolFile}\ndefects:      ${summary.defectsFile}\n`,
        );
        if (summary.defects > 0) process.stdout.write(`defects injected: ${summary.defects}\n`);
      }
    });
}
