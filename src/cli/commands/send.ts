import type { Command } from 'commander';
import { sendFiles } from '../../dicom/index.js';
import { walkFiles } from '../../ingest/index.js';
import { parsePositiveInt } from '../global-options.js';
import { EXIT, printJson } from '../output.js';

interface SendCommandOptions {
  readonly host: string;
  readonly port: number;
  readonly aet: string;
  readonly calledAet: string;
  readonly json?: boolean;
}

/** `medscale send FILES...`: forward DICOM files to a peer with C-STORE (PS3.4 Annex B). */
export function registerSend(program: Command): void {
  program
    .command('send')
    .description('send DICOM files and folders to a peer (PACS) with C-STORE, over one association')
    .argument('<paths...>', 'files or folders (searched recursively)')
    .requiredOption('--host <host>', 'peer host name or address')
    .requiredOption('--port <port>', 'peer DIMSE port', parsePositiveInt)
    .option('--aet <title>', 'our (calling) AE title', 'MEDSCALE')
    .option('--called-aet <title>', "the peer's (called) AE title", 'ANY-SCP')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      '\nExit status: 0 when the peer stored every file, 3 when it refused some, 1 on error (no association).',
    )
    .action(async (paths: string[], options: SendCommandOptions) => {
      const files: string[] = [];
      for await (const file of walkFiles(paths)) files.push(file);
      const result = await sendFiles(
        {
          host: options.host,
          port: options.port,
          callingAe: options.aet,
          calledAe: options.calledAet,
        },
        files,
      );
      if (options.json === true) printJson(result);
      else {
        process.stdout.write(
          `sent ${result.sent}/${result.outcomes.length} to ${options.calledAet}@${options.host}:${options.port} in ${(result.elapsedMs / 1000).toFixed(2)} s\n`,
        );
        for (const o of result.outcomes.filter((x) => !x.ok))
          process.stdout.write(`  failed ${o.source}: ${o.error ?? 'unknown'}\n`);
      }
      process.exitCode = result.failed > 0 ? EXIT.partial : EXIT.ok;
    });
}
