import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { PlatformError, parseSeriesInstanceUid, parseStudyInstanceUid } from '../../core/index.js';
import {
  listInstances,
  listQuarantine,
  listSeries,
  listStudies,
  listSubjects,
} from '../../store/index.js';
import { Workspace } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides, parsePositiveInt } from '../global-options.js';
import { printJson, printTable } from '../output.js';

interface LsOptions {
  readonly project?: string;
  readonly site?: string;
  readonly visit?: string;
  readonly modality?: string;
  readonly from?: string;
  readonly to?: string;
  readonly description?: string;
  readonly subject?: string;
  readonly study?: string;
  readonly series?: string;
  readonly reason?: string;
  readonly limit?: number;
  readonly offset?: number;
  readonly json?: boolean;
}

const LEVELS = ['subjects', 'studies', 'series', 'instances', 'quarantine'] as const;
type Level = (typeof LEVELS)[number];

function parseDate(value: string): string {
  const compact = value.replaceAll('-', '');
  if (!/^\d{8}$/.test(compact))
    throw new InvalidArgumentError(`expected a date YYYY-MM-DD or YYYYMMDD, got "${value}"`);
  return compact;
}

function parseLevel(value: string): Level {
  if (!(LEVELS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${LEVELS.join(', ')}, got "${value}"`);
  }
  return value as Level;
}

/** `medscale ls LEVEL`: browse the catalog with filters. */
export function registerLs(program: Command): void {
  program
    .command('ls')
    .description('browse the catalog: subjects, studies, series, instances or quarantine')
    .argument('<level>', LEVELS.join('|'), parseLevel)
    .option('-p, --project <name>', 'only this project')
    .option('--site <name>', 'only this site (studies, series)')
    .option('--visit <label>', 'only this visit, e.g. baseline (studies, series)')
    .option('--modality <code>', 'only this modality, e.g. MR (series)')
    .option('--from <date>', 'studies on or after this (shifted) date', parseDate)
    .option('--to <date>', 'studies on or before this (shifted) date', parseDate)
    .option('--description <text>', 'series description contains (case-insensitive)')
    .option('--subject <pseudonym>', 'only this subject (studies)')
    .option('--study <uid>', 'only this study (series)')
    .option('--series <uid>', 'the series whose instances to list (instances: required)')
    .option('--reason <code>', 'only this reason code (quarantine)')
    .option('--limit <n>', 'at most this many rows', parsePositiveInt, 100)
    .option('--offset <n>', 'skip this many rows', (v) => Number.parseInt(v, 10), 0)
    .option('--json', 'print rows as JSON')
    .action(async (level: Level, options: LsOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const workspace = await Workspace.open(globalOverrides(global));
      try {
        const page = { limit: options.limit ?? 100, offset: options.offset ?? 0 };
        const p = options.project === undefined ? {} : { project: options.project };
        let rows: readonly object[];
        let columns: readonly string[];
        switch (level) {
          case 'subjects':
            rows = await listSubjects(workspace.catalog, { ...p, ...page });
            columns = ['project', 'pseudonym', 'sex', 'birthYear', 'studies', 'createdAt'];
            break;
          case 'studies':
            rows = await listStudies(workspace.catalog, {
              ...p,
              ...page,
              ...(options.site === undefined ? {} : { site: options.site }),
              ...(options.visit === undefined ? {} : { visit: options.visit }),
              ...(options.from === undefined ? {} : { dateFrom: options.from }),
              ...(options.to === undefined ? {} : { dateTo: options.to }),
              ...(options.subject === undefined ? {} : { pseudonym: options.subject }),
            });
            columns = [
              'pseudonym',
              'visit',
              'site',
              'studyDateShifted',
              'studyInstanceUid',
              'description',
            ];
            break;
          case 'series':
            rows = await listSeries(workspace.catalog, {
              ...p,
              ...page,
              ...(options.site === undefined ? {} : { site: options.site }),
              ...(options.visit === undefined ? {} : { visit: options.visit }),
              ...(options.modality === undefined ? {} : { modality: options.modality }),
              ...(options.description === undefined ? {} : { description: options.description }),
              ...(options.study === undefined
                ? {}
                : { studyUid: parseStudyInstanceUid(options.study) }),
            });
            columns = [
              'pseudonym',
              'visit',
              'site',
              'modality',
              'seriesNumber',
              'seriesDescription',
              'nInstances',
              'seriesInstanceUid',
            ];
            break;
          case 'instances':
            if (options.series === undefined) {
              throw new PlatformError(
                'ERR_USAGE',
                'ls instances needs --series <uid> (find one with `medscale ls series`)',
              );
            }
            rows = await listInstances(workspace.catalog, {
              seriesUid: parseSeriesInstanceUid(options.series),
              ...page,
            });
            columns = [
              'instanceNumber',
              'sopInstanceUid',
              'transferSyntaxUid',
              'sizeBytes',
              'blobDigest',
            ];
            break;
          case 'quarantine':
            rows = await listQuarantine(workspace.catalog, {
              ...p,
              ...page,
              ...(options.reason === undefined ? {} : { reasonCode: options.reason }),
            });
            columns = ['receivedAt', 'reasonCode', 'source', 'reason'];
            break;
        }
        if (options.json === true) printJson(rows);
        else printTable(rows as readonly Readonly<Record<string, unknown>>[], columns);
      } finally {
        await workspace.close();
      }
    });
}
