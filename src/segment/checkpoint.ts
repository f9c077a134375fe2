import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** A tensor with a name (tfjs's optimizer weights). */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}
import { PlatformError, errorMessage } from '../core/index.js';

/**
 * A tfjs `IOHandler` that saves and loads a layers model as `model.json` (topology and weight
 * manifest, tfjs's own format, so `tf.loadLayersModel('file://…/model.json')` in tfjs-node reads
 * it too) and `weights.bin` in a folder.
 *
 * @param dir - folder of the model files.
 */
export function fileModelHandler(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts) => {
      if (artifacts.modelTopology instanceof ArrayBuffer)
        throw new PlatformError('ERR_SEGMENT_MODEL', 'binary model topologies are not supported');
      const weightData = artifacts.weightData;
      const buffers =
        weightData === undefined ? [] : Array.isArray(weightData) ? weightData : [weightData];
      const bytes = Buffer.concat(buffers.map((b) => Buffer.from(b)));
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'weights.bin'), bytes);
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: async () => {
      let json: {
        modelTopology: object;
        weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      };
      try {
        json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as typeof json;
      } catch (error) {
        throw new PlatformError(
          'ERR_SEGMENT_MODEL',
          `cannot read ${join(dir, 'model.json')} (${errorMessage(error)}): give the folder written by medscale segment train`,
        );
      }
      const specs = json.weightsManifest.flatMap((g) => g.weights);
      const parts = await Promise.all(
        json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(dir, p))),
      );
      const all = Buffer.concat(parts);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

/** Loads a model saved by {@link fileModelHandler}. */
export async function loadModelFromDir(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileModelHandler(dir));
}

/** Writes named tensors (optimizer state) as `<name>.json` (specs) and `<name>.bin` (data). */
export async function saveNamedTensors(
  dir: string,
  name: string,
  tensors: NamedTensor[],
): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  const buffers = Array.isArray(data) ? data : [data];
  await writeFile(join(dir, `${name}.bin`), Buffer.concat(buffers.map((b) => Buffer.from(b))));
  await writeFile(join(dir, `${name}.json`), JSON.stringify(specs));
}

/** Reads tensors written by {@link saveNamedTensors}, in their saved order. */
export async function loadNamedTensors(dir: string, name: string): Promise<NamedTensor[]> {
  const specs = JSON.parse(
    await readFile(join(dir, `${name}.json`), 'utf8'),
  ) as tf.io.WeightsManifestEntry[];
  const bytes = await readFile(join(dir, `${name}.bin`));
  const map = tf.io.decodeWeights(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    specs,
  );
  return specs.map((s) => {
    const tensor = map[s.name];
    if (tensor === undefined)
      throw new PlatformError('ERR_SEGMENT_TRAIN', `checkpoint lacks tensor ${s.name}`);
    return { name: s.name, tensor };
  });
}

/**
 * Replaces folder `dir` with what `write` puts into a fresh temporary sibling, so a crash leaves
 * the old complete folder or the new one (the rename is the commit point).
 */
export async function replaceDirAtomically(
  dir: string,
  write: (tmp: string) => Promise<void>,
): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  const old = `${dir}.old-${process.pid}-${Date.now()}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await write(tmp);
  let hadOld = true;
  try {
    await rename(dir, old);
  } catch {
    hadOld = false;
  }
  await rename(tmp, dir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}
