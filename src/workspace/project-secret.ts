import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformError, errorMessage } from '../core/index.js';

const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Checks a project name: letters, digits, `_`, `.`, `-`, at most 64 characters. */
export function checkProjectName(name: string): string {
  if (!PROJECT_NAME.test(name)) {
    throw new PlatformError(
      'ERR_USAGE',
      `invalid project name "${name}": use letters, digits, "_", "." or "-" (at most 64 characters)`,
    );
  }
  return name;
}

/**
 * The project's pseudonymization secret (32 random bytes, hex), created on first use in
 * `secretsDir/<project>.key` with mode 0600. It keys pseudonyms, UID maps and date shifts, and
 * never enters the catalog: whoever holds the catalog and blobs without it cannot re-identify.
 * Keep `secretsDir` off shared research storage (`MEDSCALE_SECRETS` moves it).
 */
export async function projectSecret(secretsDir: string, project: string): Promise<string> {
  checkProjectName(project);
  const path = join(secretsDir, `${project}.key`);
  try {
    const text = (await readFile(path, 'utf8')).trim();
    if (!/^[0-9a-f]{64}$/.test(text)) {
      throw new PlatformError('ERR_CONFIG', `${path} does not hold a 64-hex-digit project secret`);
    }
    return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (error instanceof PlatformError) throw error;
      throw new PlatformError('ERR_CONFIG', `cannot read ${path}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }
  await mkdir(secretsDir, { recursive: true, mode: 0o700 });
  await chmod(secretsDir, 0o700);
  const secret = randomBytes(32).toString('hex');
  try {
    // 'wx' fails if another process created it meanwhile; then its secret wins.
    const handle = await open(path, 'wx', 0o600);
    await handle.writeFile(`${secret}\n`);
    await handle.sync();
    await handle.close();
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return projectSecret(secretsDir, project);
    throw new PlatformError('ERR_CONFIG', `cannot create ${path}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
