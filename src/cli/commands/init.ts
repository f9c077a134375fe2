import type { Command } from 'commander';
import { Workspace, writeDefaultConfig } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides } from '../global-options.js';
import { printJson } from '../output.js';

/** `medscale init`: create a data directory with its catalog and a starter config. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'create a data directory: catalog (migrated), blob store, starter medscale.config.json',
    )
    .option('--json', 'print what was created as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const workspace = await Workspace.open(globalOverrides(global));
      try {
        const wroteConfig = await writeDefaultConfig(workspace.config.dataDir);
        const result = {
          dataDir: workspace.config.dataDir,
          catalog:
            workspace.catalog.dialect === 'postgres' ? 'postgres' : workspace.config.catalogUrl,
          configWritten: wroteConfig,
        };
        if (options.json === true) printJson(result);
        else {
          process.stdout.write(
            `data directory  ${result.dataDir}\ncatalog         ${result.catalog}\n`,
          );
          process.stdout.write(
            wroteConfig ? 'wrote medscale.config.json\n' : 'kept existing medscale.config.json\n',
          );
        }
      } finally {
        await workspace.close();
      }
    });
}
