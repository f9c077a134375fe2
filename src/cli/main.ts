import { Command, CommanderError } from 'commander';
import { registerArtifact } from './commands/artifact.js';
import { registerAudit } from './commands/audit.js';
import { registerDemo } from './commands/demo.js';
import { registerEcho } from './commands/echo.js';
import { registerSend } from './commands/send.js';
import { registerExport } from './commands/export.js';
import { registerIngest } from './commands/ingest.js';
import { registerInit } from './commands/init.js';
import { registerLs } from './commands/ls.js';
import { registerMeshFe } from './commands/mesh-fe.js';
import { registerQa } from './commands/qa.js';
import { registerReconstruct } from './commands/reconstruct.js';
import { registerRun } from './commands/run.js';
import { registerSegment } from './commands/segment.js';
import { registerServe } from './commands/serve.js';
import { registerSimulate } from './commands/simulate.js';
import { registerSynth } from './commands/synth.js';
import { registerToken } from './commands/token.js';
import { registerWorker } from './commands/worker.js';
import { EXIT, reportError } from './output.js';

/** Builds the `medscale` program; `run` parses and executes it. */
export function buildProgram(): Command {
  const program = new Command('medscale')
    .description('medscale: imaging biobank and multiscale modelling platform')
    .version('0.1.0')
    .option('--data <dir>', 'data directory (default: $MEDSCALE_DATA or ./medscale-data)')
    .option(
      '--catalog <url>',
      'catalog: SQLite path or postgres:// URL (default: $MEDSCALE_CATALOG or <data>/catalog.sqlite)',
    )
    .showHelpAfterError()
    .exitOverride();
  registerInit(program);
  registerIngest(program);
  registerLs(program);
  registerExport(program);
  registerSynth(program);
  registerDemo(program);
  registerEcho(program);
  registerSend(program);
  registerQa(program);
  registerServe(program);
  registerToken(program);
  registerAudit(program);
  registerSegment(program);
  registerReconstruct(program);
  registerSimulate(program);
  registerMeshFe(program);
  registerRun(program);
  registerWorker(program);
  registerArtifact(program);
  return program;
}

/** Runs the CLI with the given arguments and returns the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with code 0; usage errors were already printed.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error, argv.includes('--json'));
  }
}
