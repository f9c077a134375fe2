// Worker-thread entry: reads, validates and de-identifies files so the CPU-bound part of ingest
// runs on every core while the main thread does the durable writes.
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../core/index.js';
import { Deidentifier } from '../dicom/index.js';
import type { DeidentifyOptions } from '../dicom/index.js';
import { prepareInstance } from './prepare-instance.js';
import type { PreparedOrRejected } from './prepare-instance.js';

/** Start-up data of an ingest worker. */
export interface IngestWorkerInit {
  readonly deidentify: DeidentifyOptions;
}

/** One task: a file to read, or bytes already in memory (DIMSE, STOW-RS). */
export type IngestWorkerTask =
  { readonly path: string } | { readonly bytes: Uint8Array; readonly source: string };

const init = (workerData as { init: IngestWorkerInit }).init;
const deidentifier = new Deidentifier(init.deidentify);
const port = parentPort;

port?.on('message', (message: { id: number; message: IngestWorkerTask }) => {
  void handle(message.id, message.message);
});

async function handle(id: number, task: IngestWorkerTask): Promise<void> {
  try {
    let result: PreparedOrRejected;
    if ('path' in task) {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(task.path);
      } catch (error) {
        const e = serializeError(error);
        result = {
          kind: 'rejected',
          source: task.path,
          code: 'ERR_IO',
          reason: `cannot read file: ${e.message}`,
          sizeBytes: 0,
        };
        port?.postMessage({ id, ok: true, value: result });
        return;
      }
      result = prepareInstance(bytes, task.path, deidentifier, init.deidentify.secret);
    } else {
      result = prepareInstance(task.bytes, task.source, deidentifier, init.deidentify.secret);
    }
    // Move the output bytes instead of copying them; a view over a larger buffer is compacted
    // first, since structured clone would otherwise copy the whole underlying buffer.
    let transfer: ArrayBuffer[] = [];
    if (result.kind === 'instance') {
      const own =
        result.bytes.byteOffset === 0 && result.bytes.byteLength === result.bytes.buffer.byteLength
          ? result.bytes
          : result.bytes.slice();
      result = { ...result, bytes: own };
      transfer = [own.buffer as ArrayBuffer];
    }
    port?.postMessage({ id, ok: true, value: result }, transfer);
  } catch (error) {
    port?.postMessage({ id, ok: false, error: serializeError(error) });
  }
}
