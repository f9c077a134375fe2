// Worker-thread entry of `trainUnet`: trains on the samples it is sent, posting progress, then
// the result or the serialized error (STYLE.md 3.4).
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../core/index.js';
import { trainUnetInThread } from './train-unet.js';
import type { TrainWorkerReply, TrainWorkerRequest } from './train-unet.js';

parentPort?.once('message', (request: TrainWorkerRequest) => {
  const post = (reply: TrainWorkerReply): void => parentPort?.postMessage(reply);
  trainUnetInThread(request.samples, {
    ...request.job,
    onProgress: (progress) => {
      post({ progress });
    },
  }).then(
    (value) => {
      post({ ok: true, value });
    },
    (error: unknown) => {
      post({ ok: false, error: serializeError(error) });
    },
  );
});
