import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TAG } from '../../core/index.js';
import { readPart10, writePart10 } from '../../dicom/index.js';
import type { DicomDataset } from '../../dicom/index.js';
import { readNifti1, readPng, writePng } from '../../formats/index.js';
import {
  DEFAULT_PREPROCESSING,
  buildUnet,
  encodeOnnxModel,
  fileModelHandler,
  METADATA_KEYS,
} from '../../segment/index.js';
import { registerSegmentPredict } from './segment-predict.js';

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const program = new Command('medscale').exitOverride();
  const segment = program.command('segment').exitOverride();
  registerSegmentPredict(segment);
  for (const c of segment.commands) c.exitOverride();
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['segment', 'predict', ...args], { from: 'user' });
    return { code: 0, out, err };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode === 0 ? 0 : 2, out, err };
    throw error;
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/**
 * A 2D or 3D single-convolution model (1×1 or 1×1×1) whose two logits are 10·(x − 0.3) and
 * 40·(x − 0.65) after `fixed` 0–255 normalization: the second wins above x = 23/30, and either
 * passes the 0.5 threshold above x = 0.3.
 */
function thresholdModel(spatialDims: 2 | 3, config: object | undefined): Uint8Array {
  const k = spatialDims === 2 ? [1, 1] : [1, 1, 1];
  const spatial = spatialDims === 2 ? ['h', 'w'] : ['d', 'h', 'w'];
  return encodeOnnxModel({
    name: 'threshold',
    inputs: [{ name: 'x', shape: ['n', 1, ...spatial] }],
    outputs: [{ name: 'y', shape: ['n', 2, ...spatial] }],
    initializers: [
      { name: 'w', dims: [2, 1, ...k], data: new Float32Array([10, 40]) },
      { name: 'b', dims: [2], data: new Float32Array([-3, -26]) },
    ],
    nodes: [
      {
        opType: 'Conv',
        inputs: ['x', 'w', 'b'],
        outputs: ['y'],
        attributes: { kernel_shape: { ints: k } },
      },
    ],
    ...(config === undefined
      ? {}
      : { metadata: { [METADATA_KEYS.config]: JSON.stringify(config) } }),
  });
}

const baseConfig = {
  normalization: { method: 'fixed', min: 0, max: 255 },
  activation: 'sigmoid',
  decision: 'threshold',
  classes: ['lumen', 'wall'],
};
const expected = (v: number): number => (v / 255 > 23 / 30 ? 2 : v / 255 > 0.3 ? 1 : 0);

describe('medscale segment predict', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-segment-predict-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('segments a PNG with the config embedded in the model: NIfTI labels and a PNG overlay', async () => {
    const model = join(root, 'm2d.onnx');
    await writeFile(
      model,
      thresholdModel(2, { ...baseConfig, spatialDims: 2, patchSize: [16, 16] }),
    );
    const [w, h] = [40, 30];
    const grey = Uint8Array.from({ length: w * h }, (_, i) => (i * 7) % 256);
    const png = join(root, 'img.png');
    await writeFile(png, writePng({ width: w, height: h, channels: 1, bitDepth: 8, data: grey }));
    const out = join(root, 'out-png');
    const r = await cli(['--model', model, png, '--out', out, '--format', 'nifti,png', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as {
      engine: string;
      results: { voxels: Record<string, number>; outputs: string[] }[];
    };
    expect(summary.engine).toBe('onnxruntime-node');
    const nii = readNifti1(readFileSync(join(out, 'img.labels.nii.gz')));
    expect(nii.header.dimensions.slice(0, 2)).toEqual([w, h]);
    const labels = nii.data as Uint8Array;
    for (let i = 0; i < w * h; i++) expect(labels[i]).toBe(expected(grey[i] ?? 0));
    expect(summary.results[0]?.voxels['wall']).toBe(labels.filter((v) => v === 2).length);
    const overlay = readPng(readFileSync(join(out, 'img.overlay.png')));
    expect([overlay.width, overlay.height, overlay.channels]).toEqual([w, h, 3]);
  });

  it('segments a DICOM series folder as a volume and writes a DICOM SEG referring to it', async () => {
    const model = join(root, 'm3d.onnx');
    await writeFile(model, thresholdModel(3, undefined));
    const config = join(root, 'config.json');
    await writeFile(
      config,
      JSON.stringify({ ...baseConfig, spatialDims: 3, patchSize: [2, 8, 8] }),
    );
    const dir = join(root, 'series');
    await mkdir(dir);
    const [rows, cols, n] = [12, 10, 3];
    const text = (vr: string, v: unknown) => ({ vr, Value: [v] });
    const value = (r: number, c: number, k: number): number => (r * 11 + c * 5 + k * 40) % 256;
    for (let k = 0; k < n; k++) {
      const sop = `1.2.826.0.1.3680043.8.498.77.${k + 1}`;
      const pixels = Int16Array.from({ length: rows * cols }, (_, p) =>
        value(Math.floor(p / cols), p % cols, k),
      );
      const meta: DicomDataset = {
        '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
        '00020002': text('UI', '1.2.840.10008.5.1.4.1.1.4'),
        '00020003': text('UI', sop),
        '00020010': text('UI', '1.2.840.10008.1.2.1'),
      };
      const dataset: DicomDataset = {
        [TAG.SOPClassUID]: text('UI', '1.2.840.10008.5.1.4.1.1.4'),
        [TAG.SOPInstanceUID]: text('UI', sop),
        [TAG.Modality]: text('CS', 'MR'),
        [TAG.PatientID]: text('LO', 'P9'),
        [TAG.StudyInstanceUID]: text('UI', '1.2.826.0.1.3680043.8.498.77'),
        [TAG.SeriesInstanceUID]: text('UI', '1.2.826.0.1.3680043.8.498.78'),
        [TAG.InstanceNumber]: text('IS', String(k + 1)),
        [TAG.ImagePositionPatient]: { vr: 'DS', Value: ['0', '0', String(k * 2)] },
        [TAG.ImageOrientationPatient]: { vr: 'DS', Value: ['1', '0', '0', '0', '1', '0'] },
        [TAG.FrameOfReferenceUID]: text('UI', '1.2.826.0.1.3680043.8.498.79'),
        [TAG.SamplesPerPixel]: text('US', 1),
        [TAG.PhotometricInterpretation]: text('CS', 'MONOCHROME2'),
        [TAG.Rows]: text('US', rows),
        [TAG.Columns]: text('US', cols),
        [TAG.PixelSpacing]: { vr: 'DS', Value: ['0.5', '0.5'] },
        [TAG.BitsAllocated]: text('US', 16),
        [TAG.BitsStored]: text('US', 16),
        [TAG.HighBit]: text('US', 15),
        [TAG.PixelRepresentation]: text('US', 1),
        [TAG.PixelData]: { vr: 'OW', Value: [pixels.buffer] },
      };
      await writeFile(join(dir, `${k}.dcm`), writePart10(meta, dataset));
    }
    const out = join(root, 'out-seg');
    const r = await cli([
      '--model',
      model,
      '--config',
      config,
      dir,
      '--out',
      out,
      '--format',
      'seg,nifti',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const nii = readNifti1(readFileSync(join(out, 'series.labels.nii.gz')));
    const labels = nii.data as Uint8Array;
    for (let k = 0; k < n; k++)
      for (let p = 0; p < rows * cols; p++)
        expect(labels[k * rows * cols + p]).toBe(
          expected(value(Math.floor(p / cols), p % cols, k)),
        );
    const seg = readPart10(readFileSync(join(out, 'series.seg.dcm')));
    expect(seg.dataset[TAG.SOPClassUID]?.Value?.[0]).toBe('1.2.840.10008.5.1.4.1.1.66.4');
    expect(seg.dataset[TAG.StudyInstanceUID]?.Value?.[0]).toBe('1.2.826.0.1.3680043.8.498.77');
    expect(existsSync(join(out, 'series.k0.overlay.png'))).toBe(false);
  });

  it('rejects an unknown format and a model without config', async () => {
    expect(
      (await cli(['--model', 'x.onnx', 'in.png', '--out', root, '--format', 'jpeg'])).code,
    ).toBe(2);
    const model = join(root, 'bare.onnx');
    await writeFile(model, thresholdModel(2, undefined));
    const png = join(root, 'img2.png');
    await writeFile(
      png,
      writePng({ width: 4, height: 4, channels: 1, bitDepth: 8, data: new Uint8Array(16) }),
    );
    await expect(cli(['--model', model, png, '--out', join(root, 'o3')])).rejects.toThrow(
      /--config/,
    );
  });

  it('runs a tfjs model folder (fallback path), exports it to ONNX, and the ONNX gives the same labels', async () => {
    const dir = join(root, 'unet');
    const model = buildUnet({
      widths: [4, 8],
      inputSize: [32, 32],
      outputChannels: 2,
      bnMomentum: 0.9,
      seed: 5,
    });
    await model.save(fileModelHandler(dir));
    const preprocessing = {
      ...DEFAULT_PREPROCESSING,
      crop: { width: 40, height: 40 },
      inputSize: [32, 32],
    };
    await writeFile(join(dir, 'preprocessing.json'), JSON.stringify(preprocessing));
    const [w, h] = [48, 44];
    const grey = Uint8Array.from(
      { length: w * h },
      (_, i) => 30 + (((i % w) * 4 + Math.floor(i / w) * 3) % 200),
    );
    const png = join(root, 'us.png');
    await writeFile(png, writePng({ width: w, height: h, channels: 1, bitDepth: 8, data: grey }));
    const onnx = join(root, 'unet.onnx');
    const a = await cli([
      '--model',
      dir,
      '--save-onnx',
      onnx,
      png,
      '--out',
      join(root, 'o-tfjs'),
      '--format',
      'nifti',
      '--json',
    ]);
    expect(a.code).toBe(0);
    expect((JSON.parse(a.out) as { engine: string }).engine).toMatch(/^tfjs-/);
    const b = await cli([
      '--model',
      onnx,
      png,
      '--out',
      join(root, 'o-onnx'),
      '--format',
      'nifti',
      '--json',
    ]);
    expect((JSON.parse(b.out) as { engine: string }).engine).toBe('onnxruntime-node');
    const la = readNifti1(readFileSync(join(root, 'o-tfjs', 'us.labels.nii.gz')))
      .data as Uint8Array;
    const lb = readNifti1(readFileSync(join(root, 'o-onnx', 'us.labels.nii.gz')))
      .data as Uint8Array;
    let differ = 0;
    for (let i = 0; i < la.length; i++) if (la[i] !== lb[i]) differ++;
    expect(differ).toBeLessThanOrEqual(2);
    expect(new Set(la).size).toBeGreaterThan(1);
    model.dispose();
  }, 30_000);
});
