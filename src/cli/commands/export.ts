import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { parseSeriesInstanceUid } from '../../core/index.js';
import { EXPORT_FORMATS, exportSeries } from '../../export/index.js';
import type { ExportFormat } from '../../export/index.js';
import { Workspace } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides } from '../global-options.js';
import { printJson } from '../output.js';
import { createProgress } from '../progress.js';

function parseFormat(value: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${EXPORT_FORMATS.join(', ')}, got "${value}"`);
  }
  return value as ExportFormat;
}

/** `medscale export SERIES_UID`: write a series as DICOM, NIfTI or PNG. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'export a catalogued series as de-identified DICOM files, a NIfTI-1 volume or PNG frames',
    )
    .argument('<series-uid>', 'Series Instance UID (as catalogued; see `medscale ls series`)')
    .requiredOption('--format <format>', EXPORT_FORMATS.join('|'), parseFormat)
    .requiredOption('--out <path>', 'nifti: a .nii/.nii.gz file or a folder; dicom, png: a folder')
    .option('--json', 'print what was written as JSON')
    .action(
      async (
        uid: string,
        options: { format: ExportFormat; out: string; json?: boolean },
        command: Command,
      ) => {
        const global = command.optsWithGlobals<GlobalOptions>();
        const workspace = await Workspace.open(globalOverrides(global));
        const progress = createProgress('export', options.json === true);
        try {
          const result = await exportSeries(workspace, parseSeriesInstanceUid(uid), {
            format: options.format,
            out: options.out,
            onProgress: (done, total) => {
              progress.update(done, total, '');
            },
          });
          progress.stop();
          if (options.json === true) printJson(result);
          else {
            process.stdout.write(
              `wrote ${result.files.length} file(s), ${(result.bytes / 1e6).toFixed(2)} MB from ${result.instances} instance(s)\n`,
            );
            for (const file of result.files.slice(0, 5)) process.stdout.write(`  ${file}\n`);
            if (result.files.length > 5)
              process.stdout.write(`  … ${result.files.length - 5} more\n`);
            const g = result.geometry;
            if (g !== undefined) {
              process.stdout.write(
                `geometry: ${g.sliceCount} slices, spacing ${g.sliceSpacing.mean.toFixed(3)} mm, tilt ${g.gantryTiltDeg.toFixed(2)}°${g.uneven ? ', UNEVEN spacing' : ''}\n`,
              );
              for (const w of g.warnings)
                process.stdout.write(`  warning ${w.code}: ${w.message}\n`);
            }
          }
        } finally {
          progress.stop();
          await workspace.close();
        }
      },
    );
}
