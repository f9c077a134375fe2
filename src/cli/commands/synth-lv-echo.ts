import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { synthesizeLvEcho } from '../../synth/index.js';
import type { LvEchoSummary } from '../../synth/index.js';
import { parsePositiveInt } from '../global-options.js';
import { printJson } from '../output.js';
import { createProgress } from '../progress.js';

interface LvEchoCommandOptions {
  readonly out: string;
  readonly cases: number;
  readonly seed: string;
  readonly frames: number;
  readonly pixelSize: number;
  readonly sax?: boolean;
  readonly overwrite?: boolean;
  readonly json?: boolean;
}

function parsePixelSize(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < 0.2 || n > 1)
    throw new InvalidArgumentError(`expected a pixel size in 0.2–1 mm, got "${value}"`);
  return n;
}

/**
 * `medscale synth lv-echo --out DIR [--cases N] [--seed K] [--frames N] [--sax]`: synthetic
 * apical 4- and 2-chamber echo clips of the left ventricle with exact masks and analytic
 * volumes, and optionally a cine short-axis label stack per case.
 */
export function registerSynthLvEcho(synth: Command): void {
  synth
    .command('lv-echo')
    .description(
      'apical 4- and 2-chamber echo clips of a truncated-ellipsoid LV over one cardiac cycle, as DICOM US multi-frame, with label masks (1 LV cavity, 2 LV myocardium, 3 left atrium) and ground-truth.json (analytic volumes per frame, EDV, ESV, EF, mass)',
    )
    .requiredOption('--out <dir>', 'output folder (must be empty unless --overwrite)')
    .option(
      '--cases <n>',
      'cases: normal, HFrEF, HFrEF after treatment, then random adults',
      parsePositiveInt,
      3,
    )
    .option('--seed <k>', 'seed: the same seed gives byte-identical files', '1')
    .option('--frames <n>', 'frames per cardiac cycle (4-200)', parsePositiveInt, 30)
    .option('--pixel-size <mm>', 'pixel size in mm (0.2-1)', parsePixelSize, 0.5)
    .option(
      '--sax',
      'also write a cine short-axis label stack per case (1.5 mm pixels, 8 mm slices)',
    )
    .option('--overwrite', 'write into a non-empty folder')
    .option('--json', 'print the summary as JSON')
    .action(async (options: LvEchoCommandOptions) => {
      const progress = createProgress('synth', options.json === true);
      let summary: LvEchoSummary;
      try {
        summary = await synthesizeLvEcho({
          outDir: options.out,
          cases: options.cases,
          seed: /^\d+$/.test(options.seed) ? Number(options.seed) : options.seed,
          frames: options.frames,
          pixelSpacingMm: options.pixelSize,
          ...(options.sax === true ? { shortAxis: true } : {}),
          ...(options.overwrite === true ? { overwrite: true } : {}),
          onProgress: (p) => {
            progress.update(p.framesWritten, p.framesTotal, '');
          },
        });
      } finally {
        progress.stop();
      }
      if (options.json === true) printJson(summary);
      else {
        process.stdout.write(
          `wrote ${summary.cases} cases (${summary.frames} frames, ${(summary.bytes / 1e6).toFixed(1)} MB) to ${summary.outDir} in ${(summary.elapsedMs / 1000).toFixed(2)} s\nground truth: ${summary.groundTruthFile}\n`,
        );
      }
    });
}
