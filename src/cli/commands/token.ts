import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { PlatformError } from '../../core/index.js';
import { createApiToken, isApiTokenRole } from '../../server/index.js';
import { API_TOKEN_ROLES, listApiTokens, revokeApiToken } from '../../store/index.js';
import type { ApiTokenRole } from '../../store/index.js';
import { Workspace } from '../../workspace/index.js';
import type { GlobalOptions } from '../global-options.js';
import { globalOverrides } from '../global-options.js';
import { printJson, printTable } from '../output.js';

function parseRole(value: string): ApiTokenRole {
  if (!isApiTokenRole(value)) {
    throw new InvalidArgumentError(`expected one of ${API_TOKEN_ROLES.join(', ')}, got "${value}"`);
  }
  return value;
}

async function withWorkspace<T>(
  command: Command,
  run: (workspace: Workspace) => Promise<T>,
): Promise<T> {
  const workspace = await Workspace.open(globalOverrides(command.optsWithGlobals<GlobalOptions>()));
  try {
    return await run(workspace);
  } finally {
    await workspace.close();
  }
}

/** `medscale token create|list|revoke`: API tokens of `medscale serve`. */
export function registerToken(program: Command): void {
  const token = program
    .command('token')
    .description('API tokens of medscale serve (roles: admin, ingest, researcher)');
  token
    .command('create')
    .description('create a token and print it once; the catalog keeps only its SHA-256')
    .requiredOption('--role <role>', API_TOKEN_ROLES.join('|'), parseRole)
    .option('--name <name>', 'unique name, shown in the audit trail (default: <role>-<random>)')
    .option('--json', 'print as JSON')
    .action(
      async (options: { role: ApiTokenRole; name?: string; json?: boolean }, command: Command) => {
        const created = await withWorkspace(command, (workspace) =>
          createApiToken(workspace.catalog, {
            role: options.role,
            ...(options.name === undefined ? {} : { name: options.name }),
          }),
        );
        if (options.json === true) printJson(created);
        else {
          process.stdout.write(`${created.token}\n`);
          process.stderr.write(
            `token "${created.name}" (${created.role}) created; it is shown only this once\n`,
          );
        }
      },
    );
  token
    .command('list')
    .description('list tokens (never their values)')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const tokens = await withWorkspace(command, (workspace) => listApiTokens(workspace.catalog));
      if (options.json === true) printJson(tokens);
      else
        printTable(
          tokens.map((t) => ({ ...t })),
          ['name', 'role', 'createdAt', 'revokedAt'],
        );
    });
  token
    .command('revoke')
    .description('revoke a token by name; requests with it are refused from then on')
    .argument('<name>', 'token name')
    .action(async (name: string, _options: unknown, command: Command) => {
      const revoked = await withWorkspace(command, (workspace) =>
        revokeApiToken(workspace.catalog, name),
      );
      if (!revoked) {
        throw new PlatformError('ERR_CATALOG_NOT_FOUND', `no valid token named "${name}"`);
      }
      process.stdout.write(`revoked ${name}\n`);
    });
}
