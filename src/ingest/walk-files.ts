import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformError, errorMessage } from '../core/index.js';

/**
 * Yields every regular file under the given paths, recursively, in directory order. Symbolic
 * links are not followed (an archive may link back into itself); a path that does not exist
 * is `ERR_IO` before anything is yielded for it.
 */
export async function* walkFiles(paths: readonly string[]): AsyncGenerator<string> {
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw new PlatformError('ERR_IO', `cannot read ${path}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
    if (info.isFile()) yield path;
    else if (info.isDirectory()) yield* walkDirectory(path);
  }
}

async function* walkDirectory(dir: string): AsyncGenerator<string> {
  const subdirs: string[] = [];
  for await (const entry of await opendir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isFile()) yield path;
    else if (entry.isDirectory()) subdirs.push(path);
  }
  subdirs.sort();
  for (const sub of subdirs) yield* walkDirectory(sub);
}
