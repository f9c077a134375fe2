import type { Command } from 'commander';
import { startStageWorker } from '../../pipeline/index.js';
import { Workspace } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides, parsePositiveInt } from '../global-options.js';

interface WorkerFlags {
  readonly redis?: string;
  readonly concurrency: number;
  readonly lockMs: number;
  readonly prefix: string;
}

/**
 * `medscale worker --redis URL`: a BullMQ worker that runs pipeline stages. Start any number, on
 * any hosts that share the catalog (PostgreSQL) and the blob store (a shared filesystem). Stops
 * on SIGINT or SIGTERM after its current job.
 */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run pipeline stages from the BullMQ queue on Redis (any number, on any host)')
    .option('--redis <url>', 'Redis URL (default: $MEDSCALE_REDIS)')
    .option('--concurrency <n>', 'jobs this process runs at once', parsePositiveInt, 1)
    .option(
      '--lock-ms <ms>',
      'job lock duration: a dead worker’s job moves on after about this long',
      parsePositiveInt,
      10_000,
    )
    .option('--prefix <prefix>', 'Redis key prefix', 'medscale')
    .action(async (flags: WorkerFlags, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const redis = flags.redis ?? process.env['MEDSCALE_REDIS'] ?? 'redis://127.0.0.1:6379';
      const workspace = await Workspace.open(globalOverrides(global));
      const worker = await startStageWorker(workspace, {
        redis,
        concurrency: flags.concurrency,
        lockDurationMs: flags.lockMs,
        prefix: flags.prefix,
        onStart: (e) => {
          process.stdout.write(`${e.stage} ${e.job}: started\n`);
        },
        onJob: (e) => {
          const what =
            e.error !== undefined
              ? `failed ${e.error}`
              : e.outcome?.cached === true
                ? 'cached'
                : `computed in ${(e.outcome?.seconds ?? 0).toFixed(2)} s`;
          process.stdout.write(`${e.stage} ${e.job}: ${what}\n`);
        },
      });
      process.stdout.write(
        `worker ${worker.name} ready on ${redis} (catalog ${workspace.catalog.location})\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await worker.close();
      await workspace.close();
    });
}
