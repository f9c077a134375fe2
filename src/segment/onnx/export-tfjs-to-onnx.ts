import type * as tf from '@tensorflow/tfjs';
import { PlatformError } from '../../core/index.js';
import { encodeOnnxModel } from './onnx-graph.js';
import type { OnnxAttribute, OnnxInitializer, OnnxNode } from './onnx-graph.js';
import { METADATA_KEYS } from './segment-model-config.js';
import type { SegmentModelConfig } from './segment-model-config.js';

/** Options of {@link exportTfjsToOnnx}. */
export interface ExportOnnxOptions {
  /**
   * Inference configuration embedded as `metadata_props["medscale.config"]` (JSON), so that
   * `medscale segment predict` needs no `--config` for the model.
   */
  readonly config?: SegmentModelConfig;
  /**
   * Fold each batch normalization into the convolution before it (w′ = w·γ/√(σ²+ε),
   * b′ = (b − μ)·γ/√(σ²+ε) + β; Ioffe & Szegedy 2015, eq. in Alg. 2 at inference). Default true:
   * one node fewer per block and the same result to float rounding.
   */
  readonly foldBatchNorm?: boolean;
  /** Further `metadata_props` entries. */
  readonly metadata?: Readonly<Record<string, string>>;
}

type Layer = tf.layers.Layer;
type Config = Record<string, unknown>;

/** Graph input and output names of exported models. */
export const ONNX_INPUT_NAME = 'input';
/** Output name of exported models (see {@link ONNX_INPUT_NAME}). */
export const ONNX_OUTPUT_NAME = 'output';

// NHWC axis → NCHW axis for rank-4 tensors.
const NHWC_TO_NCHW_AXIS = [0, 2, 3, 1] as const;

const unsupported = (layer: Layer, what: string): never => {
  throw new PlatformError(
    'ERR_SEGMENT_MODEL',
    `cannot export layer "${layer.name}" (${layer.getClassName()}) to ONNX: ${what}; use the standard U-Net layers (Conv2D, BatchNormalization, Activation, MaxPooling2D, Conv2DTranspose, Concatenate)`,
  );
};

function pair(v: unknown, fallback: number): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
  return [fallback, fallback];
}

/** tfjs kernel [kh, kw, a, b] → ONNX [b, a, kh, kw] (a = in, b = out for Conv2D). */
function transposeKernel(
  k: Float32Array,
  kh: number,
  kw: number,
  a: number,
  b: number,
): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < a; i++)
        for (let o = 0; o < b; o++)
          out[((o * a + i) * kh + y) * kw + x] = k[((y * kw + x) * a + i) * b + o] ?? 0;
  return out;
}

/** Convolution weights kept mutable until the graph is encoded, so BN can be folded into them. */
interface ConvWeights {
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  /** Elements per output channel block and the stride between channels in `weight`. */
  readonly scaleChannel: (c: number, s: number) => void;
  readonly outChannels: number;
}

/**
 * Exports a tfjs-layers model built from standard layers (InputLayer, Conv2D, Conv2DTranspose,
 * BatchNormalization, Activation, ReLU, LeakyReLU, Softmax, MaxPooling2D, AveragePooling2D,
 * UpSampling2D (nearest), Concatenate, Add, Multiply, Dropout) to ONNX bytes (opset 17).
 *
 * The ONNX model is channels-first like nnU-Net and MONAI exports, so one inference path serves
 * both: input `input` of shape `[batch, C, height, width]` (NCHW), output `output` of shape
 * `[batch, classes, height, width]`; batch and spatial sizes are dynamic. Kernels are transposed
 * from tfjs's HWIO to ONNX's OIHW once, at export, so the graph holds no Transpose nodes.
 * `metadata_props` record the layout (`medscale.layout` = `NCHW`), the inference configuration
 * when given, and the source model's name.
 *
 * Throws `ERR_SEGMENT_MODEL` naming the first layer it cannot express.
 */
export function exportTfjsToOnnx(
  model: tf.LayersModel,
  options: ExportOnnxOptions = {},
): Uint8Array {
  const fold = options.foldBatchNorm ?? true;
  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [];
  const tensorOf = new Map<string, string>(); // layer name → tensor name
  const convs = new Map<string, ConvWeights>();
  const consumers = new Map<string, number>();
  for (const layer of model.layers)
    for (const node of layer.inboundNodes)
      for (const src of node.inboundLayers)
        consumers.set(src.name, (consumers.get(src.name) ?? 0) + 1);
  const outputLayers = new Set(model.outputs.map((o) => o.sourceLayer.name));
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new PlatformError(
      'ERR_SEGMENT_MODEL',
      `cannot export a model with ${model.inputs.length} inputs and ${model.outputs.length} outputs to ONNX; a segmentation model has one of each`,
    );
  const inputShape = model.inputs[0]?.shape ?? [];
  const outputShape = model.outputs[0]?.shape ?? [];
  if (inputShape.length !== 4)
    throw new PlatformError(
      'ERR_SEGMENT_MODEL',
      `the model input has shape [${inputShape.join(',')}]; the exporter handles 2D images [batch, H, W, C]`,
    );
  let counter = 0;
  const fresh = (base: string): string => `${base}__${counter++}`;
  const addInit = (name: string, dims: number[], data: Float32Array | BigInt64Array): string => {
    initializers.push({ name, dims, data });
    return name;
  };

  const emitActivation = (layer: Layer, activation: string, x: string, out: string): void => {
    const a: Record<string, OnnxNode> = {
      relu: { opType: 'Relu', inputs: [x], outputs: [out] },
      sigmoid: { opType: 'Sigmoid', inputs: [x], outputs: [out] },
      tanh: { opType: 'Tanh', inputs: [x], outputs: [out] },
      softmax: { opType: 'Softmax', inputs: [x], outputs: [out], attributes: { axis: { int: 1 } } },
      elu: { opType: 'Elu', inputs: [x], outputs: [out], attributes: { alpha: { float: 1 } } },
    };
    if (activation === 'linear') {
      nodes.push({ opType: 'Identity', inputs: [x], outputs: [out] });
      return;
    }
    if (activation === 'relu6') {
      nodes.push({
        opType: 'Clip',
        name: `${layer.name}_Clip`,
        inputs: [
          x,
          addInit(fresh('clip_min'), [], new Float32Array([0])),
          addInit(fresh('clip_max'), [], new Float32Array([6])),
        ],
        outputs: [out],
      });
      return;
    }
    const n = a[activation];
    if (n === undefined) unsupported(layer, `activation "${activation}"`);
    else nodes.push({ ...n, name: `${layer.name}_${n.opType}` });
  };

  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const cfg = layer.getConfig() as Config;
    const inbound = layer.inboundNodes;
    if (inbound.length !== 1 && cls !== 'InputLayer')
      unsupported(layer, 'a layer applied more than once (shared weights)');
    const inputs = (inbound[0]?.inboundLayers ?? []).map((l) => tensorOf.get(l.name) ?? '');
    const x = inputs[0] ?? '';
    const out = outputLayers.has(layer.name) ? ONNX_OUTPUT_NAME : layer.name;
    const done = (name = out): void => {
      tensorOf.set(layer.name, name);
    };
    const dataFormat = cfg['dataFormat'];
    if (dataFormat !== undefined && dataFormat !== 'channelsLast')
      unsupported(layer, `data format ${JSON.stringify(dataFormat)}`);
    switch (cls) {
      case 'InputLayer':
        done(ONNX_INPUT_NAME);
        break;
      case 'Conv2D':
      case 'Conv2DTranspose': {
        const transpose = cls === 'Conv2DTranspose';
        const weights = layer.getWeights();
        const kernel = weights[0];
        if (kernel === undefined) return unsupported(layer, 'no kernel');
        const [kh, kw, a, b] = kernel.shape as [number, number, number, number];
        // Conv2D kernels are [kh, kw, in, out]; Conv2DTranspose kernels [kh, kw, out, in]. ONNX
        // wants Conv [out, in, kh, kw] and ConvTranspose [in, out, kh, kw]: the same transposition.
        const weight = transposeKernel(kernel.dataSync() as Float32Array, kh, kw, a, b);
        const outChannels = transpose ? a : b;
        const bias = new Float32Array(outChannels);
        if (cfg['useBias'] === true && weights[1] !== undefined) bias.set(weights[1].dataSync());
        const [sh, sw] = pair(cfg['strides'], 1);
        const [dh, dw] = pair(cfg['dilationRate'], 1);
        const groupsOk = cfg['groups'] === undefined || cfg['groups'] === 1;
        if (!groupsOk) unsupported(layer, 'grouped convolution');
        const wName = addInit(`${layer.name}.weight`, [b, a, kh, kw], weight);
        const bName = addInit(`${layer.name}.bias`, [outChannels], bias);
        const attributes: Record<string, OnnxAttribute> = {
          kernel_shape: { ints: [kh, kw] },
          strides: { ints: [sh, sw] },
          dilations: { ints: [dh, dw] },
        };
        const padding = cfg['padding'];
        if (!transpose) {
          if (padding === 'same') attributes['auto_pad'] = { string: 'SAME_UPPER' };
          else if (padding !== 'valid') unsupported(layer, `padding ${String(padding)}`);
        } else {
          if (dh !== 1 || dw !== 1) unsupported(layer, 'dilated transposed convolution');
          // tfjs: 'same' → in·s; 'valid' → in·s + max(k − s, 0). ONNX: s·(in − 1) + k + outpad − pads.
          const pads = [0, 0, 0, 0];
          const outPad = [0, 0];
          [
            [kh, sh],
            [kw, sw],
          ].forEach(([k = 1, s = 1], axis) => {
            if (k >= s) {
              if (padding === 'same') {
                const total = k - s;
                pads[axis] = Math.floor(total / 2);
                pads[axis + 2] = total - Math.floor(total / 2);
              }
            } else outPad[axis] = s - k;
          });
          attributes['pads'] = { ints: pads };
          attributes['output_padding'] = { ints: outPad };
        }
        const activation = typeof cfg['activation'] === 'string' ? cfg['activation'] : 'linear';
        const convOut = activation === 'linear' ? out : fresh(`${layer.name}_pre`);
        nodes.push({
          opType: transpose ? 'ConvTranspose' : 'Conv',
          name: layer.name,
          inputs: [x, wName, bName],
          outputs: [convOut],
          attributes,
        });
        if (activation !== 'linear') emitActivation(layer, activation, convOut, out);
        const perOut = transpose ? kh * kw : a * kh * kw;
        const weights4: ConvWeights = {
          weight,
          bias,
          outChannels,
          scaleChannel: (c, s) => {
            if (transpose) {
              for (let i = 0; i < b; i++)
                for (let k = 0; k < perOut; k++) {
                  const j = (i * a + c) * perOut + k;
                  weight[j] = (weight[j] ?? 0) * s;
                }
            } else
              for (let k = 0; k < perOut; k++) {
                const j = c * perOut + k;
                weight[j] = (weight[j] ?? 0) * s;
              }
          },
        };
        convs.set(layer.name, weights4);
        // Only a convolution without activation can take a following batch norm's affine map.
        if (activation === 'linear') convs.set(`${layer.name}#linear`, weights4);
        done();
        break;
      }
      case 'BatchNormalization': {
        const axis = Number(cfg['axis'] ?? -1);
        if (axis !== -1 && axis !== 3) unsupported(layer, `normalization over axis ${axis}`);
        const w = layer.getWeights().map((t) => t.dataSync() as Float32Array);
        const scale = cfg['scale'] !== false;
        const center = cfg['center'] !== false;
        let i = 0;
        const gamma = scale ? w[i++] : undefined;
        const beta = center ? w[i++] : undefined;
        const mean = w[i++];
        const variance = w[i];
        if (mean === undefined || variance === undefined)
          return unsupported(layer, 'missing moving statistics');
        const eps = Number(cfg['epsilon'] ?? 1e-3);
        const c = mean.length;
        const src = inbound[0]?.inboundLayers[0]?.name ?? '';
        const conv = convs.get(`${src}#linear`);
        if (fold && conv !== undefined && consumers.get(src) === 1 && conv.outChannels === c) {
          for (let k = 0; k < c; k++) {
            const s = (gamma?.[k] ?? 1) / Math.sqrt((variance[k] ?? 1) + eps);
            conv.scaleChannel(k, s);
            conv.bias[k] = ((conv.bias[k] ?? 0) - (mean[k] ?? 0)) * s + (beta?.[k] ?? 0);
          }
          if (out === ONNX_OUTPUT_NAME) {
            nodes.push({ opType: 'Identity', inputs: [x], outputs: [out] });
            done();
          } else done(x);
          break;
        }
        nodes.push({
          opType: 'BatchNormalization',
          name: layer.name,
          inputs: [
            x,
            addInit(`${layer.name}.gamma`, [c], gamma ?? new Float32Array(c).fill(1)),
            addInit(`${layer.name}.beta`, [c], beta ?? new Float32Array(c)),
            addInit(`${layer.name}.mean`, [c], mean),
            addInit(`${layer.name}.var`, [c], variance),
          ],
          outputs: [out],
          attributes: { epsilon: { float: eps } },
        });
        done();
        break;
      }
      case 'Activation':
        emitActivation(layer, String(cfg['activation']), x, out);
        done();
        break;
      case 'ReLU': {
        const max = cfg['maxValue'];
        if (typeof max === 'number') {
          nodes.push({
            opType: 'Clip',
            name: layer.name,
            inputs: [
              x,
              addInit(fresh('clip_min'), [], new Float32Array([0])),
              addInit(fresh('clip_max'), [], new Float32Array([max])),
            ],
            outputs: [out],
          });
        } else nodes.push({ opType: 'Relu', name: layer.name, inputs: [x], outputs: [out] });
        done();
        break;
      }
      case 'LeakyReLU':
        nodes.push({
          opType: 'LeakyRelu',
          name: layer.name,
          inputs: [x],
          outputs: [out],
          attributes: { alpha: { float: Number(cfg['alpha'] ?? 0.3) } },
        });
        done();
        break;
      case 'Softmax': {
        const axis = Number(cfg['axis'] ?? -1);
        if (axis !== -1 && axis !== 3) unsupported(layer, `softmax over axis ${axis}`);
        nodes.push({
          opType: 'Softmax',
          name: layer.name,
          inputs: [x],
          outputs: [out],
          attributes: { axis: { int: 1 } },
        });
        done();
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const [ph, pw] = pair(cfg['poolSize'], 2);
        const [sh, sw] = pair(cfg['strides'] ?? cfg['poolSize'], 2);
        const padding = cfg['padding'];
        const attributes: Record<string, OnnxAttribute> = {
          kernel_shape: { ints: [ph, pw] },
          strides: { ints: [sh, sw] },
        };
        if (padding === 'same') {
          if (cls === 'AveragePooling2D') unsupported(layer, "average pooling with padding 'same'");
          attributes['auto_pad'] = { string: 'SAME_UPPER' };
        }
        nodes.push({
          opType: cls === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool',
          name: layer.name,
          inputs: [x],
          outputs: [out],
          attributes,
        });
        done();
        break;
      }
      case 'UpSampling2D': {
        if ((cfg['interpolation'] ?? 'nearest') !== 'nearest')
          unsupported(layer, 'bilinear upsampling');
        const [fh, fw] = pair(cfg['size'], 2);
        nodes.push({
          opType: 'Resize',
          name: layer.name,
          inputs: [x, '', addInit(fresh('scales'), [4], new Float32Array([1, 1, fh, fw]))],
          outputs: [out],
          attributes: {
            mode: { string: 'nearest' },
            coordinate_transformation_mode: { string: 'asymmetric' },
            nearest_mode: { string: 'floor' },
          },
        });
        done();
        break;
      }
      case 'Concatenate': {
        let axis = Number(cfg['axis'] ?? -1);
        if (axis < 0) axis += 4;
        nodes.push({
          opType: 'Concat',
          name: layer.name,
          inputs,
          outputs: [out],
          attributes: { axis: { int: NHWC_TO_NCHW_AXIS[axis] ?? 1 } },
        });
        done();
        break;
      }
      case 'Add':
      case 'Multiply': {
        const op = cls === 'Add' ? 'Add' : 'Mul';
        let acc = inputs[0] ?? '';
        for (let k = 1; k < inputs.length; k++) {
          const o = k === inputs.length - 1 ? out : fresh(layer.name);
          nodes.push({ opType: op, inputs: [acc, inputs[k] ?? ''], outputs: [o] });
          acc = o;
        }
        done();
        break;
      }
      case 'Dropout':
      case 'SpatialDropout2D':
      case 'GaussianNoise':
      case 'GaussianDropout':
        // Identity at inference.
        if (out === ONNX_OUTPUT_NAME) {
          nodes.push({ opType: 'Identity', inputs: [x], outputs: [out] });
          done();
        } else done(x);
        break;
      default:
        unsupported(layer, 'no ONNX mapping for this layer type');
    }
  }
  const cin = inputShape[3] ?? 1;
  const cout = outputShape[3] ?? 1;
  const metadata: Record<string, string> = {
    [METADATA_KEYS.layout]: 'NCHW',
    [METADATA_KEYS.source]: `tfjs-layers model "${model.name}"`,
    ...(options.config === undefined
      ? {}
      : { [METADATA_KEYS.config]: JSON.stringify(options.config) }),
    ...options.metadata,
  };
  return encodeOnnxModel({
    name: model.name,
    inputs: [{ name: ONNX_INPUT_NAME, shape: ['batch', cin, 'height', 'width'] }],
    outputs: [{ name: ONNX_OUTPUT_NAME, shape: ['batch', cout, 'out_height', 'out_width'] }],
    nodes,
    initializers,
    metadata,
  });
}
