import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { PlatformError, errorMessage } from '../../core/index.js';
import { nchwToNhwc, nhwcToNchw } from './kernels/layout.js';

/** A batch of channels-first tensors: `[N, C, spatial…]`. */
export interface ChannelsFirstTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/**
 * Runs a segmentation network on channels-first tensors, whatever the engine and the model's
 * own layout: the one seam between the sliding-window logic and onnxruntime or tfjs.
 */
export interface SegmentRunner {
  /** Engine name for reports (`onnxruntime-node`, `tfjs-wasm`, …). */
  readonly engine: string;
  run(input: ChannelsFirstTensor): Promise<ChannelsFirstTensor>;
  dispose(): Promise<void>;
}

const pixelsOf = (shape: readonly number[]): number => shape.slice(2).reduce((a, b) => a * b, 1);

/** Options of {@link createOnnxRunner}. */
export interface OnnxRunnerOptions {
  /** Layout of the model's input and output: `NCHW` (channels first) or `NHWC`. */
  readonly layout?: 'NCHW' | 'NHWC';
  /** Intra-op threads of onnxruntime (default 2, DESIGN.md §5). */
  readonly threads?: number;
}

/**
 * An onnxruntime-node (CPU) session over model bytes: first graph input and output, float32.
 * Throws `ERR_SEGMENT_MODEL` when onnxruntime cannot load the model.
 */
export async function createOnnxRunner(
  model: Uint8Array,
  options: OnnxRunnerOptions = {},
): Promise<SegmentRunner> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: options.threads ?? 2,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      // Warnings (unused initializers of third-party exports) are not the user's concern.
      logSeverityLevel: 3,
    });
  } catch (error) {
    throw new PlatformError(
      'ERR_SEGMENT_MODEL',
      `onnxruntime cannot load the model (${errorMessage(error)}): give an ONNX model of opset ≤ 21`,
    );
  }
  const inputName = session.inputNames[0] ?? '';
  const outputName = session.outputNames[0] ?? '';
  const channelsLast = options.layout === 'NHWC';
  return {
    engine: 'onnxruntime-node',
    run: async (input) => {
      const [n = 1, c = 1, ...spatial] = input.shape;
      const data = channelsLast ? nchwToNhwcInput(input) : input.data;
      const dims = channelsLast ? [n, ...spatial, c] : [...input.shape];
      let result: ort.InferenceSession.OnnxValueMapType;
      try {
        result = await session.run({ [inputName]: new ort.Tensor('float32', data, dims) });
      } catch (error) {
        throw new PlatformError(
          'ERR_SEGMENT_MODEL',
          `the model failed on an input of shape [${dims.join(', ')}] (${errorMessage(error)}): check patchSize and layout in the model config`,
        );
      }
      const out: ort.Tensor | undefined = result[outputName];
      if (out?.type !== 'float32')
        throw new PlatformError(
          'ERR_SEGMENT_MODEL',
          `the model output "${outputName}" is not a float32 tensor`,
        );
      const shape = out.dims.map(Number);
      const values = out.data as Float32Array;
      if (!channelsLast) return { data: values, shape };
      const oc = shape[shape.length - 1] ?? 1;
      const cfShape = [shape[0] ?? 1, oc, ...shape.slice(1, -1)];
      return { data: nhwcToNchw(values, cfShape[0] ?? 1, oc, pixelsOf(cfShape)), shape: cfShape };
    },
    dispose: () => session.release(),
  };
}

function nchwToNhwcInput(input: ChannelsFirstTensor): Float32Array {
  const [n = 1, c = 1] = input.shape;
  return nchwToNhwc(input.data, n, c, pixelsOf(input.shape));
}

/**
 * A tfjs-layers model (channels last, as tfjs builds them) as a runner: the fallback path when
 * no ONNX export exists, with the same preprocessing. The tfjs backend must be started first.
 */
export function createTfjsRunner(model: tf.LayersModel): SegmentRunner {
  return {
    engine: `tfjs-${tf.getBackend()}`,
    run: async (input) => {
      const [n = 1, c = 1, ...spatial] = input.shape;
      const x = tf.tensor(nchwToNhwcInput(input), [n, ...spatial, c]);
      const y = model.predict(x) as tf.Tensor;
      const values = (await y.data()) as Float32Array;
      const shape = y.shape;
      tf.dispose([x, y]);
      const oc = shape[shape.length - 1] ?? 1;
      const cfShape = [shape[0], oc, ...shape.slice(1, -1)];
      return { data: nhwcToNchw(values, shape[0], oc, pixelsOf(cfShape)), shape: cfShape };
    },
    dispose: () => Promise.resolve(),
  };
}
