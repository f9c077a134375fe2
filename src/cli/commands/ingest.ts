import type { Command } from 'commander';
import { ingestPaths } from '../../ingest/index.js';
import type { IngestSummary } from '../../ingest/index.js';
import { Workspace } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides, parsePositiveInt } from '../global-options.js';
import { EXIT, printJson } from '../output.js';
import { createProgress } from '../progress.js';

interface IngestCommandOptions {
  readonly project?: string;
  readonly visit?: string;
  readonly site?: string;
  readonly workers?: number;
  readonly batchSize?: number;
  readonly exclude?: string[];
  readonly report?: boolean;
  readonly json?: boolean;
}

/** `medscale ingest PATH...`: import DICOM files and folders into the biobank. */
export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description(
      'import DICOM files and folders, recursively, in parallel, idempotently: pseudonymize (PS3.15), store, catalogue, quarantine what cannot be read',
    )
    .argument('<paths...>', 'files or folders')
    .option(
      '-p, --project <name>',
      'project (keys the pseudonyms; default from the config, else "default")',
    )
    .option(
      '--visit <label>',
      'visit label for every study (default: by study date order per subject)',
    )
    .option('--site <name>', 'site to record when a file names no institution')
    .option('--workers <n>', 'worker threads (default: one per core)', parsePositiveInt)
    .option('--batch-size <n>', 'instances per durable commit', parsePositiveInt)
    .option('--exclude <patterns...>', 'file names to skip, * as wildcard (e.g. "*.json" DICOMDIR)')
    .option('--report', 'print one line per file once it is durable (JSON lines with --json)')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nExit status: 0 when every file was stored or was a duplicate, 3 when some were quarantined, 1 on error.',
    )
    .action(async (paths: string[], options: IngestCommandOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions & IngestCommandOptions>();
      const json = options.json === true;
      const workspace = await Workspace.open(globalOverrides(global));
      const progress = createProgress('ingest', json || options.report === true);
      let summary: IngestSummary;
      try {
        summary = await ingestPaths(workspace, paths, {
          project: options.project ?? workspace.config.defaultProject,
          ...(options.visit === undefined ? {} : { visit: options.visit }),
          ...(options.site === undefined ? {} : { site: options.site }),
          ...(options.workers === undefined ? {} : { workers: options.workers }),
          ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
          ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
          onProgress: (p) => {
            progress.update(
              p.done,
              p.walkFinished ? p.found : undefined,
              `stored ${p.stored} dup ${p.duplicate} quarantined ${p.quarantined}`,
            );
          },
          ...(options.report === true
            ? {
                onOutcome: (outcome) => {
                  if (json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
                  else if (outcome.status === 'quarantined') {
                    process.stdout.write(
                      `quarantined ${outcome.source} ${outcome.code}: ${outcome.reason}\n`,
                    );
                  } else
                    process.stdout.write(
                      `${outcome.status} ${outcome.source} ${outcome.sopInstanceUid}\n`,
                    );
                },
              }
            : {}),
        });
      } finally {
        progress.stop();
        await workspace.close();
      }
      if (json && options.report !== true) printJson(summary);
      else if (json) process.stdout.write(`${JSON.stringify({ summary })}\n`);
      else printSummary(summary);
      process.exitCode = summary.quarantined > 0 ? EXIT.partial : EXIT.ok;
    });
}

function printSummary(s: IngestSummary): void {
  const mb = s.bytes / 1e6;
  const lines = [
    `files        ${s.files}`,
    `stored       ${s.stored}`,
    `duplicate    ${s.duplicate}`,
    `quarantined  ${s.quarantined}`,
    ...Object.entries(s.quarantinedByCode).map(([code, n]) => `  ${code}  ${n}`),
    `time         ${s.seconds.toFixed(2)} s (${s.filesPerSecond.toFixed(0)} files/s, ${(mb / Math.max(s.seconds, 1e-9)).toFixed(1)} MB/s, ${s.workers} workers)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const f of s.failed.slice(0, 20))
    process.stdout.write(`  ${f.code} ${f.item}: ${f.reason}\n`);
  if (s.failed.length > 20)
    process.stdout.write(`  … and ${s.failed.length - 20} more (medscale ls quarantine)\n`);
}
