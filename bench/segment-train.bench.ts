/**
 * U-Net training and inference on tfjs's wasm backend (one thread), with the training kernels
 * medscale registers (DESIGN.md §5):
 *
 * 1. the peak: `tf.matMul` of two 1024² matrices on the same backend (GFLOP/s);
 * 2. training step time of the default model (8/16/32/64) for batch 4 at 128² and batch 1 at
 *    512², and the achieved GFLOP/s (forward convolution FLOPs counted analytically × 3 for
 *    forward + input gradient + filter gradient) as a fraction of that peak;
 * 3. inference images/s at 512² for the default model and the study's full-size network
 *    (24/64/128/256/512/768), with achieved GFLOP/s;
 * 4. a time-boxed training run (`--minutes`, default 5) from scratch on simple synthetic
 *    carotid-like images in a worker thread, its curve per epoch, and the evaluation of the best
 *    model on the held-out test patients against the targets (Dice ≥ 0.90 lumen, ≥ 0.80 wall).
 *
 * Run: `npx tsx bench/segment-train.bench.ts [--minutes 5] [--patients 40] [--skip-paper]`.
 * Prints figures; asserts nothing. Timings are medians after one warm-up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  buildUnet,
  countParameters,
  DEFAULT_PREPROCESSING,
  DEFAULT_UNET,
  evaluateSegmentation,
  formatEvaluationTable,
  initTfBackend,
  makeSyntheticVesselSamples,
  PAPER_UNET,
  segmentationLoss,
  trainUnet,
  unetConvFlops,
} from '../src/segment/index.js';
import type { UnetConfig } from '../src/segment/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const minutes = arg('minutes', 5);
const patients = arg('patients', 40);
const skipPaper = process.argv.includes('--skip-paper');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeIt(runs: number, f: () => Promise<void>): Promise<number> {
  await f(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    t.push(performance.now() - t0);
  }
  return median(t) / 1000;
}

const backend = await initTfBackend('wasm');
console.log(`backend ${backend}, tfjs ${tf.version.tfjs}, node ${process.version}`);

// 1. Peak: 1024² matrix product.
const a = tf.randomUniform([1024, 1024], 0, 1, 'float32', 1);
const b = tf.randomUniform([1024, 1024], 0, 1, 'float32', 2);
const mmS = await timeIt(5, async () => {
  const c = tf.matMul(a, b);
  await c.data();
  c.dispose();
});
const peak = (2 * 1024 ** 3) / mmS / 1e9;
console.log(
  `matMul 1024²: ${(mmS * 1000).toFixed(1)} ms = ${peak.toFixed(2)} GFLOP/s (peak reference)`,
);
tf.dispose([a, b]);

// 2. Training steps.
async function stepTime(config: UnetConfig, batch: number, runs: number): Promise<number> {
  const model = buildUnet(config);
  const [h, w] = config.inputSize;
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, h, w, 1], 0, 1, 'float32', 3);
  const y = tf.cast(
    tf.greater(tf.randomUniform([batch, h, w, 2], 0, 1, 'float32', 4), 0.7),
    'float32',
  );
  const vars = model.trainableWeights.map((v) => v.read()).filter((v) => v instanceof tf.Variable);
  const s = await timeIt(runs, async () => {
    const loss = optimizer.minimize(
      () => segmentationLoss(y, model.apply(x, { training: true }) as tf.Tensor),
      true,
      vars,
    )!;
    await loss.data();
    loss.dispose();
  });
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return s;
}

const rows: string[] = [];
for (const [size, batch, runs] of [
  [128, 4, 5],
  [512, 1, 2],
] as const) {
  const cfg: UnetConfig = { ...DEFAULT_UNET, inputSize: [size, size] };
  const s = await stepTime(cfg, batch, runs);
  const gflop = (3 * batch * unetConvFlops(cfg, size, size)) / 1e9;
  rows.push(
    `train step default ${size}² batch ${batch}: ${(s * 1000).toFixed(0)} ms, ${gflop.toFixed(2)} GFLOP → ${(gflop / s).toFixed(2)} GFLOP/s = ${((100 * gflop) / s / peak).toFixed(0)}% of matMul peak`,
  );
  console.log(rows[rows.length - 1]);
}

// 3. Inference at 512².
for (const [name, cfg, runs] of [
  ['default', { ...DEFAULT_UNET, inputSize: [512, 512] } as UnetConfig, 3],
  ['paper  ', PAPER_UNET, 1],
] as const) {
  if (skipPaper && cfg === PAPER_UNET) continue;
  const model = buildUnet(cfg);
  const x = tf.randomUniform([1, 512, 512, 1], 0, 1, 'float32', 5);
  const s = await timeIt(runs, async () => {
    const p = model.predict(x) as tf.Tensor;
    await p.data();
    p.dispose();
  });
  const gflop = unetConvFlops(cfg, 512, 512) / 1e9;
  console.log(
    `inference ${name} (${(countParameters(model) / 1e6).toFixed(2)} M params) 512²: ${(s * 1000).toFixed(0)} ms = ${(1 / s).toFixed(2)} images/s, ${gflop.toFixed(1)} GFLOP → ${(gflop / s).toFixed(2)} GFLOP/s = ${((100 * gflop) / s / peak).toFixed(0)}% of peak`,
  );
  x.dispose();
  model.dispose();
}

// 4. Time-boxed training from scratch on synthetic data, then the held-out test patients.
const samples = makeSyntheticVesselSamples({
  patients,
  imagesPerPatient: 4,
  width: 320,
  height: 256,
  spacingMm: 0.1,
  seed: 7,
});
const out = await mkdtemp(join(tmpdir(), 'medscale-bench-unet-'));
const preprocessing = { ...DEFAULT_PREPROCESSING, crop: { width: 256, height: 256 } };
console.log(
  `training default U-Net (${DEFAULT_UNET.widths.join('/')}, ${preprocessing.inputSize.join('×')}) for ≤ ${minutes} min on ${patients} synthetic patients × 4 images, in a worker thread…`,
);
const t0 = performance.now();
const result = await trainUnet(samples, { outDir: out, preprocessing, minutes, patience: 1000 });
console.log(
  `trained ${result.epochs} epochs in ${((performance.now() - t0) / 60000).toFixed(1)} min (${result.stoppedBy}), ${(result.secondsPerStep * 1000).toFixed(0)} ms/step (batch 4, 128², with augmentation), best epoch ${result.bestEpoch}`,
);
console.log('epoch  train loss  val loss  train F1  val F1 lumen  val F1 wall');
for (const h of result.history) {
  console.log(
    `${String(h.epoch).padStart(5)}  ${h.train.loss.toFixed(4).padStart(10)}  ${(h.validation?.loss ?? NaN).toFixed(4).padStart(8)}  ${h.train.f1.toFixed(3).padStart(8)}  ${(h.validation?.f1ByStructure.lumen ?? NaN).toFixed(3).padStart(12)}  ${(h.validation?.f1ByStructure.wall ?? NaN).toFixed(3).padStart(11)}`,
  );
}
const test = new Set(result.split.test);
const evaluation = await evaluateSegmentation(
  result.modelDir,
  samples.filter((s) => test.has(s.patientId)),
  { backend: 'wasm' },
);
console.log(
  `held-out test patients (${result.split.test.length}, ${evaluation.images.length} images):`,
);
process.stdout.write(formatEvaluationTable(evaluation));
const dl = evaluation.aggregate.lumen.dice.mean;
const dw = evaluation.aggregate.wall.dice.mean;
console.log(
  `Dice lumen ${dl.toFixed(3)} (target ≥ 0.90: ${dl >= 0.9 ? 'met' : 'not met'}), wall ${dw.toFixed(3)} (target ≥ 0.80: ${dw >= 0.8 ? 'met' : 'not met'}) after ${minutes} min`,
);
console.log(`curves: ${result.curvesSvg} (folder removed at exit unless --keep)`);
if (!process.argv.includes('--keep')) await rm(out, { recursive: true, force: true });
