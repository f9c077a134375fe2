import onnxProto from 'onnx-proto';
import { PlatformError } from '../../core/index.js';

// onnx-proto is CommonJS (protobufjs static code); its one export is the `onnx` namespace.
const { onnx } = onnxProto;

/** ONNX operator set the exporter and the builders target (ONNX 1.12, onnxruntime ≥ 1.12). */
export const ONNX_OPSET = 17;

/** ONNX IR version matching opset 17 (IR 8). */
export const ONNX_IR_VERSION = 8;

/** A dimension of a graph input or output: a fixed size or a symbolic (dynamic) name. */
export type OnnxDim = number | string;

/** One attribute value of a node: integer(s), float(s) or a string. */
export type OnnxAttribute =
  | { readonly int: number }
  | { readonly ints: readonly number[] }
  | { readonly float: number }
  | { readonly floats: readonly number[] }
  | { readonly string: string };

/** One node of an ONNX graph. */
export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
}

/** A float32 or int64 constant (weights, shapes) stored in the graph. */
export interface OnnxInitializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

/** A float32 graph input or output with its (possibly symbolic) shape. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly shape: readonly OnnxDim[];
}

/** Everything needed to encode a single-graph ONNX model. */
export interface OnnxModelSpec {
  readonly name: string;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxInitializer[];
  /** `metadata_props` key–value pairs (ONNX IR ModelProto field 14). */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly producerName?: string;
  readonly producerVersion?: string;
}

function attributeProto(name: string, a: OnnxAttribute): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('int' in a) return { name, type: T.INT, i: a.int };
  if ('ints' in a) return { name, type: T.INTS, ints: [...a.ints] };
  if ('float' in a) return { name, type: T.FLOAT, f: a.float };
  if ('floats' in a) return { name, type: T.FLOATS, floats: [...a.floats] };
  return { name, type: T.STRING, s: new TextEncoder().encode(a.string) };
}

function valueInfo(v: OnnxValueInfo): onnxProto.onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: {
          dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function bytesOf(a: Float32Array | BigInt64Array): Uint8Array {
  // ONNX raw_data is little endian, as are the typed arrays of every platform Node runs on.
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Encodes a model as ONNX protobuf bytes (ONNX IR 8, opset {@link ONNX_OPSET}) through the
 * onnx-proto message classes. Weights go to `raw_data`, little endian.
 */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: spec.producerName ?? 'medscale',
    producerVersion: spec.producerVersion ?? '0.1.0',
    graph: {
      name: spec.name,
      node: spec.nodes.map((n, i) => ({
        opType: n.opType,
        name: n.name ?? `${n.opType}_${i}`,
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attributeProto(k, v)),
      })),
      initializer: spec.initializers.map((t) => ({
        name: t.name,
        dims: [...t.dims],
        dataType:
          t.data instanceof Float32Array
            ? onnx.TensorProto.DataType.FLOAT
            : onnx.TensorProto.DataType.INT64,
        rawData: bytesOf(t.data),
      })),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** What {@link readOnnxModelInfo} finds in a model file without running it. */
export interface OnnxModelInfo {
  /** `metadata_props` of the model. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Graph inputs with their shapes (symbolic dims as names, unknown as `?`). */
  readonly inputs: readonly OnnxValueInfo[];
  /** Graph outputs. */
  readonly outputs: readonly OnnxValueInfo[];
  /** Default-domain opset, 0 when absent. */
  readonly opset: number;
  readonly producerName: string;
}

/**
 * Reads metadata, opset and input/output shapes of an ONNX model (onnxruntime-node does not
 * expose `metadata_props`). Throws `ERR_SEGMENT_MODEL` when the bytes are not an ONNX model.
 */
export function readOnnxModelInfo(bytes: Uint8Array): OnnxModelInfo {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new PlatformError(
      'ERR_SEGMENT_MODEL',
      `not an ONNX model (${error instanceof Error ? error.message : String(error)}): give a .onnx file`,
    );
  }
  const metadata: Record<string, string> = {};
  for (const p of model.metadataProps) if (p.key) metadata[p.key] = p.value ?? '';
  const initializerNames = new Set((model.graph?.initializer ?? []).map((t) => t.name));
  const info = (v: onnxProto.onnx.IValueInfoProto): OnnxValueInfo => ({
    name: v.name ?? '',
    shape: (v.type?.tensorType?.shape?.dim ?? []).map((d) => {
      if (d.dimParam) return d.dimParam;
      return d.dimValue === undefined || d.dimValue === null ? '?' : Number(d.dimValue as unknown);
    }),
  });
  const opset: unknown = model.opsetImport.find((o) => !o.domain)?.version;
  return {
    metadata,
    // Old exporters list initializers among the inputs too.
    inputs: (model.graph?.input ?? []).filter((v) => !initializerNames.has(v.name ?? '')).map(info),
    outputs: (model.graph?.output ?? []).map(info),
    opset: opset === undefined || opset === null ? 0 : Number(opset),
    producerName: model.producerName,
  };
}
