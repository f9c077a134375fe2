import { promises as fs } from 'node:fs';

/**
 * Errors with which some filesystems refuse `fsync` on a directory descriptor (some network and
 * FUSE filesystems). There the rename or link itself is what the filesystem makes durable, so
 * there is nothing more to do.
 */
const DIR_SYNC_UNSUPPORTED: ReadonlySet<string> = new Set(['EINVAL', 'ENOTSUP', 'EISDIR']);

/** Flushes a directory's entries (new names, removals) to stable storage. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined || !DIR_SYNC_UNSUPPORTED.has(code)) throw error;
  } finally {
    await handle.close();
  }
}

interface SyncEntry {
  readonly current: Promise<void>;
  queued: Promise<void> | undefined;
}

/**
 * Coalesces directory fsyncs: many writers that changed one directory share one fsync.
 *
 * @remarks
 * A request is satisfied only by an fsync that *starts after* it, since an fsync already running
 * may have missed the caller's change. So while one runs, every new request for that directory
 * joins a single queued fsync that starts when the running one ends: under load each directory is
 * synced at most twice per round, however many batches touch it (group commit).
 */
export class DirSyncer {
  readonly #entries = new Map<string, SyncEntry>();
  readonly #fsync: (dir: string) => Promise<void>;

  /** @param fsyncDir - the flush itself; tests inject a counter. */
  constructor(fsyncDir: (dir: string) => Promise<void> = fsyncDirectory) {
    this.#fsync = fsyncDir;
  }

  /** Resolves once an fsync of `dir` that started after this call has completed. */
  sync(dir: string): Promise<void> {
    const entry = this.#entries.get(dir);
    if (entry === undefined) return this.#start(dir);
    entry.queued ??= entry.current.then(noop, noop).then(() => this.#start(dir));
    return entry.queued;
  }

  #start(dir: string): Promise<void> {
    const entry: SyncEntry = { current: this.#fsync(dir), queued: undefined };
    this.#entries.set(dir, entry);
    const settle = (): void => {
      if (this.#entries.get(dir) === entry && entry.queued === undefined) this.#entries.delete(dir);
    };
    entry.current.then(settle, settle);
    return entry.current;
  }
}

function noop(): void {
  // Errors of the running fsync belong to its own callers; the queued one starts regardless.
}
