import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  BullmqDispatcher,
  LocalDispatcher,
  planPipeline,
  readPipelineFile,
  runPipeline,
} from '../../pipeline/index.js';
import type { CohortQuery, JobDispatcher, RunSummary } from '../../pipeline/index.js';
import { Workspace } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides, parsePositiveInt } from '../global-options.js';
import { EXIT, printJson, printTable } from '../output.js';
import { createProgress } from '../progress.js';

interface RunFlags {
  readonly cohort: CohortQuery;
  readonly runner: 'local' | 'bullmq';
  readonly redis?: string;
  readonly workers?: number;
  readonly json?: boolean;
}

/**
 * Parses `--cohort`: `all`, `project:NAME`, `subjects:P1,P2` or `project:NAME,subjects:P1,P2`
 * (terms joined by `;`).
 */
export function parseCohort(value: string): CohortQuery {
  if (value === 'all') return {};
  const query: { project?: string; subjects?: string[] } = {};
  for (const term of value.split(';')) {
    const [kind, ...rest] = term.split(':');
    const arg = rest.join(':');
    if (kind === 'project' && arg !== '') query.project = arg;
    else if (kind === 'subjects' && arg !== '') query.subjects = arg.split(',');
    else
      throw new InvalidArgumentError(
        `"${term}": use all, project:NAME or subjects:P1,P2 (terms joined by ;)`,
      );
  }
  return query;
}

/** Parses `--runner`. */
function parseRunner(value: string): 'local' | 'bullmq' {
  if (value !== 'local' && value !== 'bullmq')
    throw new InvalidArgumentError(`use local or bullmq, got "${value}"`);
  return value;
}

/** Prints a run's per-step table and failures. */
export function printRunSummary(summary: RunSummary): void {
  process.stdout.write(
    `${summary.pipeline}: ${summary.jobs} job(s) over ${summary.subjects} subject(s) on the ${summary.runner} runner in ${summary.seconds.toFixed(1)} s: ${summary.computed} computed, ${summary.cached} cached, ${summary.skipped} skipped, ${summary.failed} failed${summary.cancelled > 0 ? `, ${summary.cancelled} cancelled` : ''}\n`,
  );
  printTable(
    Object.entries(summary.steps).map(([step, s]) => ({
      step,
      ...s,
      computeSeconds: s.computeSeconds.toFixed(2),
    })),
    ['step', 'jobs', 'computed', 'cached', 'skipped', 'failed', 'computeSeconds'],
  );
  for (const f of summary.failures.slice(0, 20))
    process.stdout.write(`failed ${f.job}: ${f.error.code}: ${f.error.message}\n`);
}

/** `medscale run PIPELINE`: a whole pipeline over a cohort, with progress. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'run a pipeline (YAML) over a cohort: each stage where its conditions hold, results reused from the provenance cache',
    )
    .argument('<pipeline>', 'pipeline file (YAML or JSON), e.g. examples/pipelines/cohort-qa.yaml')
    .option('--cohort <query>', 'all | project:NAME | subjects:P1,P2', parseCohort, {})
    .option(
      '--runner <runner>',
      'local (worker threads) or bullmq (Redis workers)',
      parseRunner,
      'local',
    )
    .option('--redis <url>', 'Redis URL for --runner bullmq (default: $MEDSCALE_REDIS)')
    .option('--workers <n>', 'worker threads of the local runner', parsePositiveInt)
    .option('--json', 'print the run summary as JSON')
    .action(async (file: string, flags: RunFlags, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const json = flags.json === true;
      const pipeline = await readPipelineFile(file);
      const workspace = await Workspace.open(globalOverrides(global));
      let dispatcher: JobDispatcher | undefined;
      const abort = new AbortController();
      const onSignal = (): void => {
        abort.abort();
      };
      process.once('SIGINT', onSignal);
      try {
        const plan = await planPipeline(workspace, pipeline, flags.cohort);
        if (flags.runner === 'bullmq') {
          const redis = flags.redis ?? process.env['MEDSCALE_REDIS'];
          if (redis === undefined)
            throw new InvalidArgumentError('--runner bullmq needs --redis URL or $MEDSCALE_REDIS');
          dispatcher = await BullmqDispatcher.connect(workspace, { redis });
        } else {
          dispatcher = new LocalDispatcher(
            workspace,
            flags.workers === undefined ? {} : { threads: flags.workers },
          );
        }
        const progress = createProgress(pipeline.name, json);
        const summary = await runPipeline(workspace, plan, dispatcher, {
          signal: abort.signal,
          onEvent: (e) => {
            if (e.state !== 'running') progress.update(e.done, e.total, `${e.step} ${e.state}`);
          },
        });
        progress.stop();
        if (json) printJson(summary);
        else printRunSummary(summary);
        process.exitCode = summary.failed > 0 || summary.cancelled > 0 ? EXIT.partial : EXIT.ok;
      } finally {
        process.off('SIGINT', onSignal);
        await dispatcher?.close();
        await workspace.close();
      }
    });
}
