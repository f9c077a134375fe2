import type { Command } from 'commander';
import { listAudit } from '../../store/index.js';
import { Workspace } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides, parsePositiveInt } from '../global-options.js';
import { printJson, printTable } from '../output.js';

interface AuditOptions {
  readonly limit?: number;
  readonly actor?: string;
  readonly action?: string;
  readonly json?: boolean;
}

/** `medscale audit`: the audit trail, newest first. */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('list the audit trail (who read, wrote or exported what), newest first')
    .option('--limit <n>', 'most entries (default 50)', parsePositiveInt)
    .option('--actor <actor>', 'only this actor, e.g. token:alice')
    .option('--action <action>', 'only this action: stow, qido, wado, rest.read, export, ...')
    .option('--json', 'print as JSON')
    .action(async (options: AuditOptions, command: Command) => {
      const workspace = await Workspace.open(
        globalOverrides(command.optsWithGlobals<GlobalOptions>()),
      );
      try {
        const rows = await listAudit(workspace.catalog, {
          limit: options.limit ?? 50,
          ...(options.actor === undefined ? {} : { actor: options.actor }),
          ...(options.action === undefined ? {} : { action: options.action }),
        });
        if (options.json === true) printJson(rows);
        else
          printTable(
            rows.map((r) => ({ ...r })),
            ['at', 'actor', 'action', 'target'],
          );
      } finally {
        await workspace.close();
      }
    });
}
