import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { PlatformError } from '../../core/index.js';
import { DEFAULT_PROTOCOL_URL, readProtocolFile } from '../../protocol/index.js';
import { learnProtocolFromCatalog, runQa, writeQaReports } from '../../qa-runner/index.js';
import type { QaSelection } from '../../qa-runner/index.js';
import { Workspace } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides } from '../global-options.js';
import { printJson } from '../output.js';
import { createProgress } from '../progress.js';

interface SelectionFlags {
  all?: boolean;
  study?: string[];
  since?: string;
  project?: string;
}

function selectionOf(flags: SelectionFlags): QaSelection {
  const given = [flags.all === true, (flags.study?.length ?? 0) > 0, flags.since !== undefined];
  if (given.filter(Boolean).length !== 1) {
    throw new PlatformError('ERR_USAGE', 'give exactly one of --all, --study UID… or --since DATE');
  }
  return {
    ...(flags.all === true ? { all: true } : {}),
    ...(flags.study === undefined ? {} : { studies: flags.study }),
    ...(flags.since === undefined ? {} : { since: flags.since }),
    ...(flags.project === undefined ? {} : { project: flags.project }),
  };
}

function withSelection(command: Command): Command {
  return command
    .option('--all', 'every study in the catalog')
    .option('--study <uid...>', 'these studies (Study Instance UIDs as catalogued)')
    .option(
      '--since <date>',
      'studies on or after this (shifted) study date, YYYYMMDD or YYYY-MM-DD',
    )
    .option('--project <name>', 'only this project');
}

/** `medscale qa run|report|learn-protocol`: protocol and image-quality QA of sessions. */
export function registerQa(program: Command): void {
  const qa = program
    .command('qa')
    .description(
      'check sessions against the study protocol: completeness, parameters, scan region, image quality',
    );

  withSelection(
    qa
      .command('run')
      .description('run QA on catalogued studies and store the results in the catalog')
      .option(
        '--protocol <file>',
        'protocol file (JSON or YAML)',
        fileURLToPath(DEFAULT_PROTOCOL_URL),
      )
      .option('--report <dir>', 'also write an HTML report per session and one for the cohort')
      .option('--json', 'print the session results as JSON'),
  ).action(
    async (
      flags: SelectionFlags & { protocol: string; report?: string; json?: boolean },
      command: Command,
    ) => {
      const selection = selectionOf(flags);
      const protocol = await readProtocolFile(flags.protocol);
      const workspace = await Workspace.open(
        globalOverrides(command.optsWithGlobals<GlobalOptions>()),
      );
      const progress = createProgress('qa', flags.json === true);
      try {
        const result = await runQa(workspace, {
          ...selection,
          protocol,
          onProgress: (phase, done, total) => {
            progress.update(done, total, phase);
          },
        });
        progress.stop();
        let cohortFile: string | undefined;
        if (flags.report !== undefined) {
          cohortFile = (await writeQaReports(workspace, flags.report, { ...selection })).cohort;
        }
        if (flags.json === true) {
          printJson({ counts: result.counts, sessions: result.sessions });
        } else {
          const { pass, warn, fail } = result.counts;
          process.stdout.write(
            `checked ${result.sessions.length} session(s) against ${protocol.name} ${protocol.protocolVersion}: ${pass} pass, ${warn} warn, ${fail} fail\n`,
          );
          for (const s of result.sessions) {
            if (s.status === 'pass') continue;
            process.stdout.write(
              `${s.status.toUpperCase()} ${s.subject} ${s.visit ?? ''} ${s.studyInstanceUid}\n`,
            );
            for (const c of s.checks.filter((c) => c.status !== 'pass').slice(0, 8)) {
              process.stdout.write(`  ${c.status} ${c.check}: ${c.reason}\n`);
            }
          }
          if (cohortFile !== undefined) process.stdout.write(`report: ${cohortFile}\n`);
        }
      } finally {
        progress.stop();
        await workspace.close();
      }
    },
  );

  withSelection(
    qa
      .command('report')
      .description(
        'write HTML reports (per session and cohort) and a JSON summary from stored QA results',
      )
      .requiredOption('--out <dir>', 'folder for the reports'),
  ).action(async (flags: SelectionFlags & { out: string }, command: Command) => {
    const selection =
      flags.all === undefined && flags.study === undefined && flags.since === undefined
        ? { all: true as const, ...(flags.project === undefined ? {} : { project: flags.project }) }
        : selectionOf(flags);
    const workspace = await Workspace.open(
      globalOverrides(command.optsWithGlobals<GlobalOptions>()),
    );
    try {
      const written = await writeQaReports(workspace, flags.out, selection);
      process.stdout.write(`wrote ${written.sessions} session report(s) and ${written.cohort}\n`);
    } finally {
      await workspace.close();
    }
  });

  withSelection(
    qa
      .command('learn-protocol')
      .description(
        'derive a reference protocol from sessions known to be good: the most frequent value of each parameter and its spread, for a person to review',
      )
      .requiredOption('--out <file>', 'where to write the protocol (JSON)')
      .option('--name <name>', 'protocol name', 'learned')
      .option('--min-sessions <n>', 'skip series seen in fewer sessions (mrQA uses 3)', '3'),
  ).action(
    async (
      flags: SelectionFlags & { out: string; name: string; minSessions: string },
      command: Command,
    ) => {
      const selection = selectionOf(flags);
      const minSessions = Number(flags.minSessions);
      if (!Number.isInteger(minSessions) || minSessions < 1) {
        throw new PlatformError(
          'ERR_USAGE',
          `--min-sessions must be a positive integer, got ${flags.minSessions}`,
        );
      }
      const workspace = await Workspace.open(
        globalOverrides(command.optsWithGlobals<GlobalOptions>()),
      );
      try {
        const learned = await learnProtocolFromCatalog(workspace, selection, {
          name: flags.name,
          minSessions,
        });
        await writeFile(flags.out, `${JSON.stringify(learned.protocol, null, 2)}\n`);
        process.stdout.write(
          `learned ${learned.protocol.series.length} series from ${learned.sessions} session(s); wrote ${flags.out}\n`,
        );
        for (const note of learned.notes) process.stdout.write(`  ${note}\n`);
      } finally {
        await workspace.close();
      }
    },
  );
}
