// Faster and missing training kernels for tfjs's wasm backend (DESIGN.md §5). Each kernel is
// written with other tfjs ops, so it runs on whatever the backend already does fast (XNNPACK
// convolution, matrix multiplication) and stays correct by construction; a unit test compares
// every path with the cpu backend.
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

type Attrs = Readonly<Record<string, unknown>>;
type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/**
 * Wraps a kernel input as a Tensor holding one more reference to the same data, so disposing
 * the wrapper (as `tf.tidy` does) leaves the caller's input intact.
 */
function wrap(info: TensorInfo, backend: tf.KernelBackend): tf.Tensor {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend);
}

function pair(value: unknown): [number, number] {
  if (typeof value === 'number') return [value, value];
  const v = value as readonly number[];
  return [v[0]!, v[1]!];
}

function convInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: Attrs,
): tf.backend_util.Conv2DInfo {
  const dataFormat = (attrs['dataFormat'] ?? 'NHWC') as string;
  if (dataFormat !== 'NHWC')
    throw new Error(`training kernels support NHWC only, got ${dataFormat}`);
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    pair(attrs['strides']),
    1,
    attrs['pad'] as Pad,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    false,
    'channelsLast',
  );
}

/**
 * The im2col matrix of `x` for a convolution: `[batch·outH·outW, fh·fw·inC]`, column order
 * (row of the filter, column of the filter, input channel) as in a `[fh, fw, inC, outC]` filter.
 */
function im2col(x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor2D {
  const { padInfo, strideHeight: sh, strideWidth: sw, outHeight, outWidth } = info;
  const [b, , , c] = x.shape;
  const padded = tf.pad(x, [
    [0, 0],
    [padInfo.top, padInfo.bottom],
    [padInfo.left, padInfo.right],
    [0, 0],
  ]);
  const cols: tf.Tensor4D[] = [];
  for (let i = 0; i < info.filterHeight; i++) {
    for (let j = 0; j < info.filterWidth; j++) {
      cols.push(
        tf.stridedSlice(
          padded,
          [0, i, j, 0],
          [b, i + (outHeight - 1) * sh + 1, j + (outWidth - 1) * sw + 1, c],
          [1, sh, sw, 1],
        ) as tf.Tensor4D,
      );
    }
  }
  const stacked = cols.length === 1 ? cols[0]! : tf.concat(cols, 3);
  return tf.reshape(stacked, [b * outHeight * outWidth, info.filterHeight * info.filterWidth * c]);
}

/**
 * `Conv2DBackpropFilter` (the wasm backend has none). dW[i, j, c, k] = Σ x[b, y·s + i − pad,
 * x·s + j − pad, c] · dy[b, y, x, k], computed by the fastest form that fits:
 *
 * - stride 1: "channels as batch" — one convolution of x (channels moved to the batch axis)
 *   with dy (batch moved to the channel axis) as a filter as large as the image, which XNNPACK
 *   runs as one large matrix product (about 20× faster than im2col here);
 * - stride equal to the filter size without padding (2×2/2 transposed convolutions):
 *   space-to-depth of x and one matrix product;
 * - anything else: im2col and one matrix product.
 */
function conv2DBackpropFilter(args: {
  inputs: NamedTensorInfoMap;
  attrs?: Attrs;
  backend: tf.KernelBackend;
}): tf.Tensor {
  const attrs = args.attrs ?? {};
  const filterShape = attrs['filterShape'] as [number, number, number, number];
  return tf.tidy(() => {
    const x = wrap(args.inputs['x']!, args.backend) as tf.Tensor4D;
    const dy = wrap(args.inputs['dy']!, args.backend) as tf.Tensor4D;
    const info = convInfo(x.shape, filterShape, attrs);
    const [fh, fw, inC, outC] = filterShape;
    const [b, h, w] = x.shape;
    const { padInfo, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
    const padBottom = fh + oh - 1 - h - padInfo.top;
    const padRight = fw + ow - 1 - w - padInfo.left;
    if (sh === 1 && sw === 1 && padBottom >= 0 && padRight >= 0) {
      const xt = tf.transpose(x, [3, 1, 2, 0]); // [inC, H, W, B]
      const dyt = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, B, outC]
      const r = tf.conv2d(xt, dyt, 1, [
        [0, 0],
        [padInfo.top, padBottom],
        [padInfo.left, padRight],
        [0, 0],
      ]); // [inC, fh, fw, outC]
      return tf.transpose(r, [1, 2, 0, 3]);
    }
    if (
      sh === fh &&
      sw === fw &&
      padInfo.top === 0 &&
      padInfo.left === 0 &&
      oh * sh === h &&
      ow * sw === w
    ) {
      const blocks = tf.reshape(x, [b, oh, fh, ow, fw, inC]);
      const cols = tf.reshape(tf.transpose(blocks, [2, 4, 5, 0, 1, 3]), [
        fh * fw * inC,
        b * oh * ow,
      ]);
      return tf.reshape(tf.matMul(cols, tf.reshape(dy, [b * oh * ow, outC])), filterShape);
    }
    const cols = im2col(x, info);
    const colsT = tf.transpose(cols);
    return tf.reshape(tf.matMul(colsT, tf.reshape(dy, [cols.shape[0], outC])), filterShape);
  });
}

/**
 * `Conv2DBackpropInput` (also the forward pass of a transposed convolution), replacing the
 * wasm backend's direct loop (~15× slower than its convolution):
 *
 * - stride 1: a convolution of dy with the filter turned by 180° and its channels swapped;
 * - stride equal to the filter size without padding (the U-Net's 2×2/2 up-convolution): one
 *   matrix multiplication followed by depth-to-space;
 * - anything else: the backend's own kernel.
 */
function makeConv2DBackpropInput(fallback: KernelConfig | undefined) {
  return (args: {
    inputs: NamedTensorInfoMap;
    attrs?: Attrs;
    backend: tf.KernelBackend;
  }): tf.Tensor | TensorInfo | TensorInfo[] => {
    const attrs = args.attrs ?? {};
    const inputShape = attrs['inputShape'] as [number, number, number, number];
    const filterShape = args.inputs['filter']!.shape as [number, number, number, number];
    const info = convInfo(inputShape, filterShape, attrs);
    const [fh, fw, inC, outC] = filterShape;
    const { padInfo, strideHeight: sh, strideWidth: sw } = info;
    const [b, inH, inW] = inputShape;
    const stride1 = sh === 1 && sw === 1;
    const padTop = fh - 1 - padInfo.top;
    const padLeft = fw - 1 - padInfo.left;
    const padBottom = inH + fh - 1 - info.outHeight - padTop;
    const padRight = inW + fw - 1 - info.outWidth - padLeft;
    if (stride1 && padTop >= 0 && padLeft >= 0 && padBottom >= 0 && padRight >= 0) {
      return tf.tidy(() => {
        const dy = wrap(args.inputs['dy']!, args.backend) as tf.Tensor4D;
        const filter = wrap(args.inputs['filter']!, args.backend) as tf.Tensor4D;
        const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
        return tf.conv2d(dy, flipped, 1, [
          [0, 0],
          [padTop, padBottom],
          [padLeft, padRight],
          [0, 0],
        ]);
      });
    }
    const exact =
      sh === fh &&
      sw === fw &&
      padInfo.top === 0 &&
      padInfo.left === 0 &&
      info.outHeight * sh === inH &&
      info.outWidth * sw === inW;
    if (exact) {
      return tf.tidy(() => {
        const dy = wrap(args.inputs['dy']!, args.backend) as tf.Tensor4D;
        const filter = wrap(args.inputs['filter']!, args.backend) as tf.Tensor4D;
        const [, oh, ow] = dy.shape;
        // filter [fh, fw, inC, outC] → [outC, fh·fw·inC]
        const w = tf.reshape(tf.transpose(filter, [3, 0, 1, 2]), [outC, fh * fw * inC]);
        const y = tf.matMul(tf.reshape(dy, [b * oh * ow, outC]), w);
        const blocks = tf.reshape(y, [b, oh, ow, fh, fw, inC]);
        return tf.reshape(tf.transpose(blocks, [0, 1, 3, 2, 4, 5]), [b, inH, inW, inC]);
      });
    }
    if (fallback === undefined) {
      throw new Error('Conv2DBackpropInput: no kernel for this stride and padding');
    }
    return fallback.kernelFunc(args as Parameters<typeof fallback.kernelFunc>[0]);
  };
}

/**
 * Column sums of a `[rows, channels]` matrix as a matrix product with a row of ones: the wasm
 * backend's `Sum` over a non-inner axis transposes the whole tensor first.
 */
function channelSums(m: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, m.shape[0]]), m), [m.shape[1]]);
}

/**
 * Gradient of `FusedBatchNorm` with per-channel (rank-1) statistics, written with broadcasting
 * and matrix-product reductions instead of tfjs-core's `tile` of the normalizer to the full
 * activation size (the single most expensive kernel of a U-Net step on wasm). Same formulas as
 * tfjs-core's gradient: with r = (σ² + ε)^(−1/2),
 * dx = dy·γ·r, dμ = −Σ dy·γ·r, dσ² = −½ Σ dy·γ·(x − μ)·r³, dγ = Σ dy·(x − μ)·r, dβ = Σ dy.
 */
const fusedBatchNormGrad: tf.GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const dyT = Array.isArray(dy) ? dy[0]! : dy;
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor?];
    const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
    if (mean.rank !== 1) {
      throw new Error(
        'the registered FusedBatchNorm gradient supports per-channel statistics only',
      );
    }
    const c = mean.shape[0];
    const scaleValue = scale ?? tf.ones([c]);
    const r = tf.rsqrt(tf.add(variance, eps));
    const dy2 = tf.reshape<tf.Rank.R2>(dyT, [-1, c]);
    const centered = (): tf.Tensor2D => tf.reshape<tf.Rank.R2>(tf.sub(x, mean), [-1, c]);
    const sumDy = (): tf.Tensor1D => channelSums(dy2);
    const sumDyCentered = (): tf.Tensor1D => channelSums(tf.mul(dy2, centered()));
    return {
      x: () => tf.mul(dyT, tf.mul(scaleValue, r)),
      mean: () => tf.reshape(tf.neg(tf.mul(sumDy(), tf.mul(scaleValue, r))), mean.shape),
      variance: () =>
        tf.reshape(
          tf.mul(sumDyCentered(), tf.mul(scaleValue, tf.mul(-0.5, tf.pow(r, 3)))),
          mean.shape,
        ),
      scale: () => tf.reshape(tf.mul(sumDyCentered(), r), mean.shape),
      offset: () => tf.reshape(sumDy(), mean.shape),
    };
  },
};

const registered = new Set<string>();
let gradientRegistered = false;

/**
 * Registers the training kernels on a backend (idempotent): `Conv2DBackpropFilter` and a faster
 * `Conv2DBackpropInput`, plus (for every backend, as gradients are global) a faster
 * `FusedBatchNorm` gradient. Needed on `wasm`; harmless elsewhere.
 *
 * @param backendName - tfjs backend name, `wasm` by default.
 */
export function registerTrainingKernels(backendName = 'wasm'): void {
  if (!gradientRegistered) {
    tf.registerGradient(fusedBatchNormGrad);
    gradientRegistered = true;
  }
  if (registered.has(backendName)) return;
  registered.add(backendName);
  const existing = tf.getKernelsForBackend(backendName);
  const fallback = existing.find((k) => k.kernelName === 'Conv2DBackpropInput');
  for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput']) {
    if (existing.some((k) => k.kernelName === name)) tf.unregisterKernel(name, backendName);
  }
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: conv2DBackpropFilter as unknown as KernelConfig['kernelFunc'],
  });
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName,
    kernelFunc: makeConv2DBackpropInput(fallback) as unknown as KernelConfig['kernelFunc'],
    // The backend's own kernel binds its wasm function in its setup, which runs when the
    // backend starts: keep it, so the fallback path works whenever this is registered.
    ...(fallback?.setupFunc === undefined ? {} : { setupFunc: fallback.setupFunc }),
  });
}
