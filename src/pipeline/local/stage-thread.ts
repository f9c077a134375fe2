// Worker-thread entry of the local runner: computes pure stages (no catalog) on their own core.
// The main thread looks the cache up and records the run; this thread only reads and writes blobs.
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../core/index.js';
import { FsBlobStore } from '../../store/index.js';
import { computeStage } from '../execute-stage.js';
import { stageByName } from '../registry.js';
import type { StageInput } from '../stage.js';

/** Start-up data of a stage thread. */
export interface StageThreadInit {
  /** The workspace's data directory (its blob store is `<dataDir>/blobs`). */
  readonly dataDir: string;
}

/** One task: run a stage on an input. */
export interface StageThreadTask {
  readonly stage: string;
  readonly input: StageInput;
}

const init = (workerData as { init: StageThreadInit }).init;
const blobs = new FsBlobStore(join(init.dataDir, 'blobs'));
const port = parentPort;

port?.on('message', (message: { id: number; message: StageThreadTask }) => {
  void (async () => {
    try {
      const value = await computeStage(stageByName(message.message.stage), message.message.input, {
        blobs,
      });
      port.postMessage({ id: message.id, ok: true, value });
    } catch (error) {
      port.postMessage({ id: message.id, ok: false, error: serializeError(error) });
    }
  })();
});
