import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { synthesizeMrCohort } from '../../synth/index.js';
import type { CohortSize, DefectRates, SynthSummary } from '../../synth/index.js';
import { parsePositiveInt } from '../global-options.js';
import { printJson } from '../output.js';
import { createProgress } from '../progress.js';

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
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError(`expected a fraction in [0, 1], got "${value}"`);
  return n;
}

function parseSize(value: string): CohortSize {
  if (value !== 'small' && value !== 'full')
    throw new InvalidArgumentError(`expected small or full, got "${value}"`);
  return value;
}

const DEFECT_NAMES = ['missingSeries', 'wrongParameter', 'regionShift', 'extraNoise'] as const;

/** `missing-series=0.1,wrong-parameter=0.05` → defect rates. */
function parseDefects(value: string): DefectRates {
  const rates: Record<string, number> = {};
  for (const part of value.split(',')) {
    const [name = '', rate = ''] = part.split('=');
    const key = name.trim().replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!(DEFECT_NAMES as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(
        `unknown defect "${name}": use missing-series, wrong-parameter, region-shift, extra-noise`,
      );
    }
    rates[key] = parseFraction(rate.trim());
  }
  return rates;
}

/** `medscale synth mr-cohort`: synthetic data with ground truth. */
export function registerSynth(program: Command): void {
  const synth = program.command('synth').description('synthetic data with ground truth');
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
      'inject defects, e.g. missing-series=0.1,wrong-parameter=0.05,region-shift=0.05,extra-noise=0.05',
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
          `ground truth: ${summary.groundTruthFile}\nprotocol:     ${summary.protocolFile}\n`,
        );
        if (summary.defects > 0) process.stdout.write(`defects injected: ${summary.defects}\n`);
      }
    });
}
