import type { Command } from 'commander';
import { echo } from '../../dicom/index.js';
import { parsePositiveInt } from '../global-options.js';
import { EXIT, printJson } from '../output.js';

interface EchoCommandOptions {
  readonly host: string;
  readonly port: number;
  readonly aet: string;
  readonly calledAet: string;
  readonly json?: boolean;
}

/** `medscale echo`: verify a DICOM peer with C-ECHO (PS3.7 §9.1.5). */
export function registerEcho(program: Command): void {
  program
    .command('echo')
    .description('verify a DICOM peer (PACS, modality, medscale) with C-ECHO')
    .requiredOption('--host <host>', 'peer host name or address')
    .requiredOption('--port <port>', 'peer DIMSE port', parsePositiveInt)
    .option('--aet <title>', 'our (calling) AE title', 'MEDSCALE')
    .option('--called-aet <title>', "the peer's (called) AE title", 'ANY-SCP')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExit status: 0 when the peer answered success, 1 otherwise.')
    .action(async (options: EchoCommandOptions) => {
      const result = await echo({
        host: options.host,
        port: options.port,
        callingAe: options.aet,
        calledAe: options.calledAet,
      });
      if (options.json === true) printJson({ ok: true, ...result });
      else
        process.stdout.write(
          `C-ECHO ${options.calledAet}@${options.host}:${options.port}: success in ${result.elapsedMs.toFixed(1)} ms\n`,
        );
      process.exitCode = EXIT.ok;
    });
}
