import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBlobDigest } from '../../src/core/index.js';
import { FsBlobStore } from '../../src/store/index.js';

const STORE_MODULE = pathToFileURL(join(import.meta.dirname, '../../src/store/index.ts')).href;

/**
 * A writer process: puts batches of 50 distinct 130 KB blobs until killed, printing each digest
 * once `putMany` has resolved, i.e. once the store has acknowledged it as durable.
 */
const WRITER = `
const { FsBlobStore } = await import(process.env.STORE_MODULE);
const store = await FsBlobStore.open(process.env.STORE_ROOT, { compression: process.env.CODEC });
for (let batch = 0; ; batch++) {
  const items = Array.from({ length: 50 }, (_, i) => {
    const bytes = new Uint8Array(130 * 1024);
    for (let k = 0; k < bytes.length; k += 97) bytes[k] = (k * 31 + i * 7 + batch) & 0xff;
    new DataView(bytes.buffer).setUint32(0, batch * 50 + i);
    return bytes;
  });
  const results = await store.putMany(items);
  process.stdout.write(results.map((r) => r.digest).join('\\n') + '\\n');
}
`;

/** Runs the writer until it has acknowledged `acks` blobs, then kills it with SIGKILL. */
function writeThenKill(root: string, codec: string, acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', WRITER],
      {
        env: { ...process.env, STORE_MODULE, STORE_ROOT: root, CODEC: codec },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!killed && out.split('\n').length > acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      if (!killed) reject(new Error(`writer exited on its own: ${err}`));
      // Only complete lines were acknowledged; a line cut by the kill is not.
      else resolve(out.split('\n').filter((line) => /^sha256:[0-9a-f]{64}$/.test(line)));
    });
  });
}

describe('FsBlobStore after a writer is killed mid-batch', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'medscale-blob-crash-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it.each(['none', 'gzip'])(
    'keeps every acknowledged blob, holds no torn file under a final name, and leaves only temp files to sweep (%s)',
    async (codec) => {
      const acknowledged = await writeThenKill(root, codec, 200);
      expect(acknowledged.length).toBeGreaterThanOrEqual(200);
      const store = new FsBlobStore(root);
      const report = await store.verifyAll({ expected: acknowledged.map(parseBlobDigest) });
      // Atomic naming: whatever the kill interrupted, no final name holds a partial file.
      expect(report.corrupt).toEqual([]);
      expect(report.missing).toEqual([]);
      expect(report.checked).toBeGreaterThanOrEqual(acknowledged.length);
      const leftovers = readdirSync(join(root, 'tmp')).length;
      expect(await store.sweepTemp({ olderThanMs: 0 })).toBe(leftovers);
      expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    },
  );
});
