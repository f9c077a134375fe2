import * as tf from '@tensorflow/tfjs';
import { PlatformError, errorMessage } from '../core/index.js';
import { registerTrainingKernels } from './kernels/training-kernels.js';

/** Which tfjs backend runs the U-Net: `auto` takes tfjs-node when installed, else wasm. */
export type TfBackendChoice = 'auto' | 'wasm' | 'cpu' | 'tensorflow';

let initialized: Promise<string> | undefined;

/**
 * Starts the tfjs backend once per thread and returns its name. `auto` uses
 * `@tensorflow/tfjs-node` (native TensorFlow) when it is installed — it cannot be installed
 * offline, so it is optional and loaded by a dynamic import — and otherwise the wasm backend
 * with the training kernels it lacks registered (DESIGN.md §5). wasm runs one thread in Node,
 * so long training belongs in a worker thread.
 *
 * @param choice - backend to use; `auto` by default.
 */
export function initTfBackend(choice: TfBackendChoice = 'auto'): Promise<string> {
  initialized ??= start(choice);
  return initialized;
}

async function start(choice: TfBackendChoice): Promise<string> {
  if (choice === 'auto' || choice === 'tensorflow') {
    try {
      const name = '@tensorflow/tfjs-node';
      await import(/* @vite-ignore */ name);
      if (await tf.setBackend('tensorflow')) return 'tensorflow';
    } catch (error) {
      if (choice === 'tensorflow')
        throw new PlatformError(
          'ERR_SEGMENT_MODEL',
          `backend "tensorflow" needs @tensorflow/tfjs-node, which failed to load (${errorMessage(error)}); use --backend wasm`,
        );
    }
  }
  if (choice === 'cpu') {
    await tf.setBackend('cpu');
    return 'cpu';
  }
  await import('@tensorflow/tfjs-backend-wasm');
  registerTrainingKernels('wasm');
  if (!(await tf.setBackend('wasm')))
    throw new PlatformError('ERR_SEGMENT_MODEL', 'the tfjs wasm backend failed to start');
  await tf.ready();
  return 'wasm';
}
