import { describe, expect, it } from 'vitest';
import { DirSyncer } from './dir-syncer.js';

/** A fake fsync that records each start and finishes only when told. */
function controlledFsync() {
  const started: string[] = [];
  const finishers: (() => void)[] = [];
  const fsync = (dir: string): Promise<void> => {
    started.push(dir);
    return new Promise<void>((resolve) => finishers.push(resolve));
  };
  const finishNext = async (): Promise<void> => {
    finishers.shift()?.();
    // Let the promise callbacks run.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { fsync, started, finishNext };
}

describe('DirSyncer', () => {
  it('shares one queued fsync among all requests made while one is running', async () => {
    const { fsync, started, finishNext } = controlledFsync();
    const syncer = new DirSyncer(fsync);
    const first = syncer.sync('/a');
    const waiting = Array.from({ length: 10 }, () => syncer.sync('/a'));
    expect(started).toEqual(['/a']);
    await finishNext();
    await first;
    // The ten later requests need an fsync that started after them: exactly one more.
    expect(started).toEqual(['/a', '/a']);
    await finishNext();
    await Promise.all(waiting);
    expect(started).toHaveLength(2);
  });

  it('syncs different directories independently', async () => {
    const { fsync, started, finishNext } = controlledFsync();
    const syncer = new DirSyncer(fsync);
    const both = Promise.all([syncer.sync('/a'), syncer.sync('/b')]);
    expect(started).toEqual(['/a', '/b']);
    await finishNext();
    await finishNext();
    await both;
  });

  it('starts a fresh fsync for a request made after the previous one finished', async () => {
    let count = 0;
    const syncer = new DirSyncer(async () => {
      count++;
    });
    await syncer.sync('/a');
    await syncer.sync('/a');
    expect(count).toBe(2);
  });

  it('passes a failure to the callers of that fsync only', async () => {
    let calls = 0;
    const syncer = new DirSyncer(async () => {
      calls++;
      if (calls === 1) throw new Error('EIO');
    });
    const failing = syncer.sync('/a');
    const queued = syncer.sync('/a');
    await expect(failing).rejects.toThrow('EIO');
    await expect(queued).resolves.toBeUndefined();
  });
});
