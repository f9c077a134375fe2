import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { synthesizeCarotidUs } from '../../synth/index.js';
import type { SynthCarotidUsSummary } from '../../synth/index.js';
import { parsePositiveInt } from '../global-options.js';
import { printJson } from '../output.js';
import { createProgress } from '../progress.js';

interface CarotidUsCommandOptions {
  readonly patients: number;
  readonly out: string;
  readonly seed: string;
  readonly size: 'small' | 'full';
  readonly overwrite?: boolean;
  readonly workers?: number;
  readonly json?: boolean;
}

function parseSize(value: string): 'small' | 'full' {
  if (value !== 'small' && value !== 'full')
    throw new InvalidArgumentError(`expected small or full, got "${value}"`);
  return value;
}

/**
 * `medscale synth carotid-us --out DIR [--patients N] [--seed K] [--size small|full] [--workers N] [--overwrite] [--json]`:
 * a synthetic carotid ultrasound cohort (DICOM US with lumen/wall PNG masks, ground-truth.json,
 * patients.csv). Registered under the `synth` command.
 */
export function registerSynthCarotidUs(synth: Command): void {
  synth
    .command('carotid-us')
    .description(
      'a carotid ultrasound cohort as DICOM US (B-mode-like, longitudinal and transversal views, cine loops) with exact lumen/wall masks (PNG: 0 background, 1 lumen, 2 wall), ground-truth.json and patients.csv',
    )
    .requiredOption('--out <dir>', 'output folder (must be empty unless --overwrite)')
    .option('--patients <n>', 'patients (4-5 images each)', parsePositiveInt, 39)
    .option('--seed <k>', 'seed: the same seed gives byte-identical files', '1')
    .option(
      '--size <size>',
      'full (vendor-like screens, 640×480 to 1024×768) or small (320×240, for tests)',
      parseSize,
      'full',
    )
    .option('--overwrite', 'write into a non-empty folder')
    .option('--workers <n>', 'worker threads (the files do not depend on it)', parsePositiveInt)
    .option('--json', 'print the summary as JSON')
    .action(async (options: CarotidUsCommandOptions) => {
      const progress = createProgress('synth carotid-us', options.json === true);
      let summary: SynthCarotidUsSummary;
      try {
        summary = await synthesizeCarotidUs({
          outDir: options.out,
          patients: options.patients,
          seed: /^\d+$/.test(options.seed) ? Number(options.seed) : options.seed,
          size: options.size,
          ...(options.overwrite === true ? { overwrite: true } : {}),
          ...(options.workers === undefined ? {} : { concurrency: options.workers }),
          onProgress: (p) => {
            progress.update(p.imagesWritten, p.imagesTotal, 'images');
          },
        });
      } finally {
        progress.stop();
      }
      if (options.json === true) printJson(summary);
      else {
        process.stdout.write(
          `wrote ${summary.images} images (${summary.frames} frames, ${(summary.bytes / 1e6).toFixed(1)} MB) of ${summary.patients} patients to ${summary.outDir} in ${(summary.elapsedMs / 1000).toFixed(2)} s\n`,
        );
        process.stdout.write(
          `ground truth: ${summary.groundTruthFile}\npatients:     ${summary.patientsFile}\n`,
        );
      }
    });
}
