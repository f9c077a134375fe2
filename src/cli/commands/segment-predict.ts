import { readFile, readdir, mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { PlatformError, createVolume, errorMessage } from '../../core/index.js';
import type { Image2D, Labelmap, Volume, VoxelArray } from '../../core/index.js';
import {
  CAROTID_SEGMENT_CODES,
  decodePixelData,
  framesToImages,
  readPart10,
  seriesToVolume,
  toModalityValues,
  writeDicomSeg,
} from '../../dicom/index.js';
import type { DicomDataset, Part10, SegSegment, SeriesSlice } from '../../dicom/index.js';
import { readNifti1, readPng, writeNifti1Gz, writePng } from '../../formats/index.js';
import {
  OnnxSegmenter,
  exportTfjsToOnnx,
  loadSegmentationModel,
  medscaleUnetConfig,
  parseSegmentModelConfig,
  renderLabelOverlay,
  segmentLabels,
} from '../../segment/index.js';
import type { SegmentModelConfig } from '../../segment/index.js';
import { printJson } from '../output.js';
import { createProgress } from '../progress.js';
import { niftiToVolume } from './reconstruct-surface.js';

/** Result artifacts `segment predict` can write. */
export type PredictFormat = 'seg' | 'nifti' | 'png';

/** Parses `--format seg,nifti,png`. */
export function parseFormats(value: string): PredictFormat[] {
  const parts = value.split(',').map((s) => s.trim().toLowerCase());
  const ok = ['seg', 'nifti', 'png'];
  const badOne = parts.find((p) => !ok.includes(p));
  if (badOne !== undefined || parts.length === 0)
    throw new InvalidArgumentError(`expected a comma list of seg, nifti, png; got "${value}"`);
  return [...new Set(parts)] as PredictFormat[];
}

interface PredictOptions {
  readonly model: string;
  readonly config?: string;
  readonly out: string;
  readonly format: PredictFormat[];
  readonly threads: number;
  readonly saveOnnx?: string;
  readonly json?: boolean;
}

/** One input after reading: an image or a volume, with the DICOM it came from when it did. */
interface InputItem {
  readonly name: string;
  readonly image?: Image2D;
  readonly volume?: Volume<VoxelArray>;
  /** DICOM datasets, one per slice of the volume (stacking order) or the image's file. */
  readonly dicom?: readonly DicomDataset[];
}

const str = (ds: DicomDataset | undefined, tag: string): string | undefined => {
  const v = ds?.[tag]?.Value?.[0];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && 'Alphabetic' in v) return String(v.Alphabetic);
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
};

async function readDicomFiles(files: readonly string[], label: string): Promise<InputItem[]> {
  const parts: {
    file: string;
    part10: Part10;
    decoded: Awaited<ReturnType<typeof decodePixelData>>;
  }[] = [];
  for (const f of files) {
    try {
      const part10 = readPart10(new Uint8Array(await readFile(f)));
      const decoded = await decodePixelData(part10);
      parts.push({ file: f, part10, decoded });
    } catch (error) {
      throw new PlatformError(
        'ERR_SEGMENT_INPUT',
        `cannot read DICOM ${f} (${errorMessage(error)})`,
      );
    }
  }
  const singleFrameGrey = parts.every(
    (p) => p.decoded.frames.length === 1 && str(p.part10.dataset, '00280002') !== '3',
  );
  const hasGeometry = parts.every(
    (p) => p.part10.dataset['00200032'] !== undefined && p.part10.dataset['00200037'] !== undefined,
  );
  if (parts.length > 1 && singleFrameGrey && hasGeometry) {
    const slices: SeriesSlice[] = parts.map((p) => ({
      dataset: p.part10.dataset,
      pixels: toModalityValues(p.decoded.frames[0] ?? new Float32Array(0), p.decoded.rescale),
    }));
    const { volume, order } = seriesToVolume(slices);
    return [{ name: label, volume, dicom: order.map((i) => parts[i]?.part10.dataset ?? {}) }];
  }
  const items: InputItem[] = [];
  for (const p of parts) {
    const images = framesToImages(p.part10.dataset, p.decoded.frames);
    images.forEach((image, f) => {
      const stem = basename(p.file, extname(p.file));
      items.push({
        name: images.length > 1 ? `${stem}.f${f + 1}` : stem,
        image,
        dicom: [p.part10.dataset],
      });
    });
  }
  return items;
}

function isDicomName(f: string): boolean {
  const e = extname(f).toLowerCase();
  return e === '.dcm' || e === '' || e === '.dicom';
}

/** Reads INPUT: a PNG, a NIfTI (.nii, .nii.gz), a DICOM file, or a folder of them. */
export async function readPredictInput(input: string): Promise<InputItem[]> {
  let info;
  try {
    info = await stat(input);
  } catch (error) {
    throw new PlatformError('ERR_SEGMENT_INPUT', `cannot read ${input} (${errorMessage(error)})`);
  }
  if (info.isDirectory()) {
    const names = (await readdir(input)).filter((n) => !n.startsWith('.')).sort();
    const dicom = names.filter(isDicomName).map((n) => join(input, n));
    const others = names.filter((n) => !isDicomName(n));
    const items: InputItem[] = dicom.length > 0 ? await readDicomFiles(dicom, basename(input)) : [];
    for (const n of others) {
      const lower = n.toLowerCase();
      if (lower.endsWith('.png') || lower.endsWith('.nii') || lower.endsWith('.nii.gz'))
        items.push(...(await readPredictInput(join(input, n))));
    }
    if (items.length === 0)
      throw new PlatformError('ERR_SEGMENT_INPUT', `${input} holds no PNG, NIfTI or DICOM file`);
    return items;
  }
  const lower = input.toLowerCase();
  const bytes = new Uint8Array(await readFile(input));
  if (lower.endsWith('.png')) {
    const png = readPng(bytes);
    const spp = png.channels >= 3 ? 3 : 1;
    const n = png.width * png.height;
    const data = new Float32Array(n * spp);
    for (let p = 0; p < n; p++)
      for (let c = 0; c < spp; c++) data[p * spp + c] = png.data[p * png.channels + c] ?? 0;
    return [
      {
        name: basename(input, '.png'),
        image: { columns: png.width, rows: png.height, samplesPerPixel: spp, data },
      },
    ];
  }
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz'))
    return [
      {
        name: basename(input).replace(/\.nii(\.gz)?$/i, ''),
        volume: niftiToVolume(readNifti1(bytes)),
      },
    ];
  return readDicomFiles([input], basename(input, extname(input)));
}

const COLOURS: readonly (readonly [number, number, number])[] = [
  [230, 40, 40],
  [250, 220, 40],
  [60, 140, 255],
  [60, 220, 120],
  [220, 80, 220],
];

function segmentsFor(config: SegmentModelConfig): SegSegment[] {
  return segmentLabels(config).map(({ value, name }) => {
    const known = name === 'lumen' || name === 'wall' ? CAROTID_SEGMENT_CODES[name] : undefined;
    return (
      known === undefined
        ? {
            value,
            label: name,
            category: { value: '85756007', scheme: 'SCT', meaning: 'Tissue' },
            type: { value: '85756007', scheme: 'SCT', meaning: 'Tissue' },
          }
        : { value, ...known }
    ) satisfies SegSegment;
  });
}

/** A 2D image as a one-slice volume (pixel spacing when known, else 1 mm). */
function imageLabelmap(image: Image2D, labels: Uint8Array): Labelmap {
  const ps = image.pixelSpacing ?? [1, 1];
  return createVolume({
    dimensions: [image.columns, image.rows, 1],
    spacing: [ps[0], ps[1], 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    data: labels,
  });
}

/**
 * The segmenter for `--model`: an ONNX file on onnxruntime-node, or a tfjs model folder (with its
 * `preprocessing.json`) on tfjs, optionally exported to ONNX on the way.
 */
async function openSegmenter(options: PredictOptions, config: unknown): Promise<OnnxSegmenter> {
  let isDir: boolean;
  try {
    isDir = (await stat(options.model)).isDirectory();
  } catch (error) {
    throw new PlatformError(
      'ERR_IO',
      `cannot read the model ${options.model} (${errorMessage(error)})`,
    );
  }
  if (!isDir) {
    if (options.saveOnnx !== undefined)
      throw new PlatformError('ERR_USAGE', '--save-onnx needs a tfjs model folder as --model');
    return OnnxSegmenter.open(options.model, config, options.threads);
  }
  const loaded = await loadSegmentationModel(options.model);
  const resolved =
    config ?? medscaleUnetConfig(loaded.preprocessing, loaded.model.outputs[0]?.shape[3] ?? 2);
  if (options.saveOnnx !== undefined)
    await writeFile(
      options.saveOnnx,
      exportTfjsToOnnx(loaded.model, { config: parseSegmentModelConfig(resolved) }),
    );
  return OnnxSegmenter.fromTfjs(loaded.model, resolved);
}

/**
 * `medscale segment predict --model M.onnx [--config C.json] INPUT --out DIR [--format LIST] [--threads N] [--json]`:
 * segments images or volumes with an ONNX model on onnxruntime-node and
 * writes DICOM SEG, NIfTI label maps and PNG overlays.
 */
export function registerSegmentPredict(segment: Command): void {
  segment
    .command('predict')
    .description(
      'segment images (PNG, DICOM) or volumes (NIfTI, DICOM series) with an ONNX model (medscale export, nnU-Net, MONAI) and write DICOM SEG, NIfTI label maps and PNG overlays',
    )
    .argument(
      '<input>',
      'PNG, NIfTI (.nii/.nii.gz) or DICOM file, or a folder of them (a DICOM series folder is one volume)',
    )
    .requiredOption(
      '--model <path>',
      'ONNX model (.onnx), or a model folder written by medscale segment train (runs on tfjs, the fallback path)',
    )
    .option(
      '--config <file>',
      'model config JSON (patchSize, spacing, normalization, activation, classes…); optional for models exported by medscale, which embed it',
    )
    .requiredOption('--out <dir>', 'output folder')
    .option('--format <list>', 'artifacts: seg, nifti, png (comma list)', parseFormats, [
      'nifti',
      'png',
    ] as PredictFormat[])
    .option(
      '--threads <n>',
      'onnxruntime intra-op threads',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1)
          throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
        return n;
      },
      2,
    )
    .option(
      '--save-onnx <file>',
      'with a tfjs model folder: also export it to ONNX, its preprocessing embedded',
    )
    .option('--json', 'print the summary as JSON')
    .action(async (input: string, options: PredictOptions) => {
      let config: unknown;
      if (options.config !== undefined) {
        try {
          config = JSON.parse(await readFile(options.config, 'utf8'));
        } catch (error) {
          throw new PlatformError(
            'ERR_SEGMENT_MODEL',
            `cannot read the config ${options.config} (${errorMessage(error)})`,
          );
        }
      }
      const items = await readPredictInput(input);
      const segmenter = await openSegmenter(options, config);
      const progress = createProgress('segment predict', options.json === true);
      await mkdir(options.out, { recursive: true });
      const labelNames = segmentLabels(segmenter.config);
      const results = [];
      try {
        for (const [n, item] of items.entries()) {
          progress.update(n, items.length, item.name);
          const started = performance.now();
          let labelmap: Labelmap;
          let grey: Float32Array | undefined;
          if (item.volume !== undefined) {
            labelmap = await segmenter.segmentVolume(item.volume);
          } else if (item.image !== undefined) {
            const r = await segmenter.segmentImage(item.image);
            labelmap = imageLabelmap(item.image, r.labels);
            const img = item.image;
            const spp = img.samplesPerPixel;
            grey = Float32Array.from({ length: img.rows * img.columns }, (_, p) => {
              let s = 0;
              for (let c = 0; c < spp; c++) s += img.data[p * spp + c] ?? 0;
              return s / spp;
            });
          } else continue;
          const seconds = (performance.now() - started) / 1000;
          const counts: Record<string, number> = {};
          for (const { name } of labelNames) counts[name] = 0;
          for (const v of labelmap.data) {
            const name = labelNames.find((l) => l.value === v)?.name;
            if (name !== undefined) counts[name] = (counts[name] ?? 0) + 1;
          }
          const outputs: string[] = [];
          if (options.format.includes('nifti')) {
            const f = join(options.out, `${item.name}.labels.nii.gz`);
            await writeFile(
              f,
              writeNifti1Gz(labelmap, {
                description: `medscale labels: ${labelNames.map((l) => `${l.value}=${l.name}`).join(' ')}`,
              }),
            );
            outputs.push(f);
          }
          if (options.format.includes('png')) {
            const [ni, nj, nk] = labelmap.dimensions;
            const pixels = ni * nj;
            const source = grey ?? Float32Array.from(item.volume?.data ?? []);
            for (let k = 0; k < nk; k++) {
              const lab = labelmap.data.subarray(k * pixels, (k + 1) * pixels);
              if (nk > 1 && !lab.some((v) => v !== 0)) continue;
              const rgb = renderLabelOverlay(
                source.subarray(k * pixels, (k + 1) * pixels),
                lab,
                ni,
                nj,
                COLOURS,
              );
              const f = join(
                options.out,
                nk > 1 ? `${item.name}.k${k}.overlay.png` : `${item.name}.overlay.png`,
              );
              await writeFile(
                f,
                writePng({ width: ni, height: nj, channels: 3, bitDepth: 8, data: rgb }),
              );
              outputs.push(f);
            }
          }
          if (options.format.includes('seg')) {
            const first = item.dicom?.[0];
            const study = str(first, '0020000D');
            const series = str(first, '0020000E');
            if (item.dicom === undefined || study === undefined || series === undefined) {
              if (options.json !== true)
                process.stderr.write(
                  `${item.name}: not DICOM, no SEG written (a SEG refers to its source series)\n`,
                );
            } else if (!labelmap.data.some((v) => v !== 0)) {
              if (options.json !== true)
                process.stderr.write(`${item.name}: nothing segmented, no SEG written\n`);
            } else {
              const f = join(options.out, `${item.name}.seg.dcm`);
              const images = item.dicom.map((d) => ({
                sopClassUid: str(d, '00080016') ?? '',
                sopInstanceUid: str(d, '00080018') ?? '',
              }));
              const frameOfReferenceUid = str(first, '00200052');
              await writeFile(
                f,
                writeDicomSeg({
                  labelmap,
                  segments: segmentsFor(segmenter.config),
                  source: {
                    studyInstanceUid: study,
                    seriesInstanceUid: series,
                    ...(frameOfReferenceUid === undefined ? {} : { frameOfReferenceUid }),
                    ...(images.length === labelmap.dimensions[2] ? { images } : {}),
                    ...Object.fromEntries(
                      (
                        [
                          ['patientName', '00100010'],
                          ['patientId', '00100020'],
                          ['patientBirthDate', '00100030'],
                          ['patientSex', '00100040'],
                          ['studyDate', '00080020'],
                          ['studyTime', '00080030'],
                          ['accessionNumber', '00080050'],
                          ['studyId', '00200010'],
                        ] as const
                      ).flatMap(([k, tag]) => {
                        const v = str(first, tag);
                        return v === undefined ? [] : [[k, v]];
                      }),
                    ),
                  },
                  algorithm: { name: basename(options.model, '.onnx'), version: '1' },
                }),
              );
              outputs.push(f);
            }
          }
          results.push({
            input: item.name,
            kind: item.volume === undefined ? 'image' : 'volume',
            dimensions: labelmap.dimensions,
            voxels: counts,
            seconds: Number(seconds.toFixed(3)),
            outputs,
          });
        }
      } finally {
        progress.stop();
        await segmenter.dispose();
      }
      const summary = {
        model: options.model,
        engine: segmenter.engine,
        labels: labelNames,
        results,
      };
      if (options.json === true) printJson(summary);
      else
        for (const r of results)
          process.stdout.write(
            `${r.input}: ${Object.entries(r.voxels)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')} (${r.seconds} s) → ${r.outputs.length} file(s)\n`,
          );
    });
}
