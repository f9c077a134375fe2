import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_DIRECTION, createVolume, isPlatformError } from '../core/index.js';
import { TRANSFER_SYNTAX, writePart10 } from '../dicom/index.js';
import type { DicomDataset, DicomElement } from '../dicom/index.js';
import { writeNifti1, writeNifti1Gz, writePng } from '../formats/index.js';
import { synthesizeCarotidUs } from '../synth/index.js';
import { DICOM_SEG_STORAGE } from './dicom-seg.js';
import { loadSegmentationDataset } from './load-segmentation-dataset.js';

const el = (vr: string, ...values: readonly unknown[]): DicomElement => ({ vr, Value: values });

/** A W×H label mask: a disc of lumen (1) in a ring of wall (2). */
function disc(w: number, h: number): Uint8Array {
  return Uint8Array.from({ length: w * h }, (_, i) => {
    const d = Math.hypot((i % w) - w / 2, Math.floor(i / w) - h / 2);
    return d < w / 5 ? 1 : d < w / 3.5 ? 2 : 0;
  });
}

function grey(w: number, h: number): Uint8Array {
  return Uint8Array.from({ length: w * h }, (_, i) => (i * 37) % 256);
}

const png = (w: number, h: number, data: Uint8Array, channels: 1 | 3 | 4 = 1): Uint8Array =>
  writePng({ width: w, height: h, channels, bitDepth: 8, data });

async function put(dir: string, file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(join(dir, file)), { recursive: true });
  await writeFile(join(dir, file), bytes);
}

/** A single-frame US image (grey) and a DICOM SEG of it with lumen and wall segments. */
function usAndSeg(w: number, h: number, labels: Uint8Array): { us: Uint8Array; seg: Uint8Array } {
  const meta = (sop: string, uid: string): DicomDataset => ({
    '00020001': el('OB', new Uint8Array([0, 1]).buffer),
    '00020002': el('UI', sop),
    '00020003': el('UI', uid),
    '00020010': el('UI', TRANSFER_SYNTAX.ExplicitVRLittleEndian),
  });
  const us: DicomDataset = {
    '00080016': el('UI', '1.2.840.10008.5.1.4.1.1.6.1'),
    '00080018': el('UI', '1.2.3.1'),
    '00080060': el('CS', 'US'),
    '00186011': el('SQ', {
      '00186018': el('UL', 0),
      '0018601A': el('UL', 0),
      '0018601C': el('UL', w - 1),
      '0018601E': el('UL', h - 1),
      '00186024': el('US', 3),
      '00186026': el('US', 3),
      '0018602C': el('FD', 0.008),
      '0018602E': el('FD', 0.008),
    }),
    '00280002': el('US', 1),
    '00280004': el('CS', 'MONOCHROME2'),
    '00280010': el('US', h),
    '00280011': el('US', w),
    '00280100': el('US', 8),
    '00280101': el('US', 8),
    '00280102': el('US', 7),
    '00280103': el('US', 0),
    '7FE00010': el('OB', grey(w, h).buffer),
  };
  // BINARY segmentation: 1 bit per pixel, frames packed back to back, LSB first (PS3.5 §8.1.1).
  const bits = new Uint8Array(Math.ceil((2 * w * h) / 8) + 1);
  for (const [f, segment] of [1, 2].entries()) {
    labels.forEach((v, i) => {
      if (v === segment) bits[(f * w * h + i) >> 3]! |= 1 << ((f * w * h + i) & 7);
    });
  }
  const seg: DicomDataset = {
    '00080016': el('UI', DICOM_SEG_STORAGE),
    '00080018': el('UI', '1.2.3.2'),
    '00080060': el('CS', 'SEG'),
    '00280002': el('US', 1),
    '00280004': el('CS', 'MONOCHROME2'),
    '00280008': el('IS', '2'),
    '00280010': el('US', h),
    '00280011': el('US', w),
    '00280100': el('US', 1),
    '00280101': el('US', 1),
    '00280102': el('US', 0),
    '00280103': el('US', 0),
    '00620001': el('CS', 'BINARY'),
    '00620002': el(
      'SQ',
      { '00620004': el('US', 1), '00620005': el('LO', 'Vessel lumen') },
      { '00620004': el('US', 2), '00620005': el('LO', 'Wall') },
    ),
    '52009230': el(
      'SQ',
      { '0062000A': el('SQ', { '0062000B': el('US', 1) }) },
      { '0062000A': el('SQ', { '0062000B': el('US', 2) }) },
    ),
    '7FE00010': el('OB', bits.buffer.slice(0, bits.length - (bits.length % 2))),
  };
  return {
    us: writePart10(meta('1.2.840.10008.5.1.4.1.1.6.1', '1.2.3.1'), us),
    seg: writePart10(meta(DICOM_SEG_STORAGE, '1.2.3.2'), seg),
  };
}

describe('loadSegmentationDataset', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-datasets-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('pairs PNG files by the default pattern and reports each bad pair without throwing', async () => {
    const dir = join(root, 'png');
    const [w, h] = [24, 16];
    await put(dir, 'P1_1_image.png', png(w, h, grey(w, h)));
    await put(dir, 'P1_1_mask.png', png(w, h, disc(w, h)));
    // RGBA image: alpha is dropped.
    await put(dir, 'sub/P2_1_image.png', png(w, h, new Uint8Array(w * h * 4).fill(90), 4));
    await put(dir, 'sub/P2_1_mask.png', png(w, h, disc(w, h)));
    await put(dir, 'P2_2_image.png', png(w, h, grey(w, h))); // no mask
    await put(dir, 'P3_1_image.png', png(w, h, grey(w, h)));
    await put(dir, 'P3_1_mask.png', png(w + 1, h, new Uint8Array((w + 1) * h))); // size mismatch
    const binary = disc(w, h).map((v) => (v === 1 ? 255 : 0));
    await put(dir, 'P4_1_image.png', png(w, h, grey(w, h)));
    await put(dir, 'P4_1_mask.png', png(w, h, binary)); // 0/255 labels
    await put(dir, 'P5_1_image.png', new Uint8Array([1, 2, 3])); // unreadable
    await put(dir, 'P5_1_mask.png', png(w, h, disc(w, h)));
    await put(dir, 'notes.txt', new Uint8Array([65]));

    const ds = await loadSegmentationDataset(dir);
    expect(ds.layout).toBe('pattern');
    expect(ds.samples.map((s) => [s.key, s.patientId])).toEqual([
      ['P1_1', 'P1'],
      ['P2_1', 'P2'],
    ]);
    const [p1, p2] = ds.samples;
    expect(p1?.mask.data).toEqual(disc(w, h));
    expect(p1?.image.data).toEqual(grey(w, h));
    expect(p1?.pixelSpacing).toBeUndefined();
    expect(p2?.image.samplesPerPixel).toBe(3);
    expect(p2?.source).toEqual({
      image: 'sub/P2_1_image.png',
      mask: 'sub/P2_1_mask.png',
      frame: 0,
    });
    expect(ds.problems.map((p) => [p.key, p.kind])).toEqual([
      ['P2_2', 'unpaired'],
      ['P3_1', 'size-mismatch'],
      ['P4_1', 'labels'],
      ['P5_1', 'unreadable'],
    ]);
    expect(ds.problems[1]?.message).toMatch(/24×16.*25×16/);
    expect(ds.problems[2]?.message).toMatch(/255 \(\d+ pixels\).*labelMap/);
    expect(ds.problems[3]?.message).toMatch(/signature/);
    expect(ds.ignoredFiles).toBe(1);

    const remapped = await loadSegmentationDataset(dir, {
      labelMap: { 255: 1 },
      pixelSpacingMm: [0.1, 0.1],
    });
    const p4 = remapped.samples.find((s) => s.key === 'P4_1');
    expect(p4?.mask.data).toEqual(binary.map((v) => (v === 255 ? 1 : 0)));
    expect(p4?.pixelSpacing).toEqual([0.1, 0.1]);
  });

  it('takes a custom pattern with folders and role words', async () => {
    const dir = join(root, 'custom');
    const [w, h] = [10, 12];
    for (const c of ['case01', 'case02']) {
      await put(dir, `${c}/img.png`, png(w, h, grey(w, h)));
      await put(dir, `${c}/seg.png`, png(w, h, disc(w, h)));
    }
    const ds = await loadSegmentationDataset(dir, {
      pattern: '(?<patient>case\\d+)/(?<role>img|seg)\\.png$',
    });
    expect(ds.samples.map((s) => s.patientId)).toEqual(['case01', 'case02']);
    expect(ds.problems).toEqual([]);
    await expect(loadSegmentationDataset(dir, { pattern: '(case\\d+)/img' })).rejects.toSatisfy(
      (e: unknown) =>
        isPlatformError(e) && e.code === 'ERR_SEGMENT_INPUT' && e.message.includes('(?<patient>'),
    );
  });

  it('reads NIfTI pairs (plain and gzipped) with their voxel size', async () => {
    const dir = join(root, 'nifti');
    const [w, h] = [20, 14];
    const volume = <T extends Float32Array | Uint8Array>(data: T) =>
      createVolume({
        dimensions: [w, h, 1],
        spacing: [0.07, 0.09, 1],
        origin: [0, 0, 0],
        direction: IDENTITY_DIRECTION,
        data,
      });
    const image = Float32Array.from({ length: w * h }, (_, i) => i / 3);
    await put(dir, 'S7_1_image.nii', writeNifti1(volume(image)));
    await put(dir, 'S7_1_mask.nii.gz', writeNifti1Gz(volume(disc(w, h))));
    const ds = await loadSegmentationDataset(dir);
    expect(ds.problems).toEqual([]);
    const s = ds.samples[0];
    expect(s?.image.data).toEqual(image);
    expect(s?.mask.data).toEqual(disc(w, h));
    expect(s?.pixelSpacing?.[0]).toBeCloseTo(0.07, 6);
    expect(s?.pixelSpacing?.[1]).toBeCloseTo(0.09, 6);
  });

  it('reads a DICOM US image with its DICOM SEG mask', async () => {
    const dir = join(root, 'seg');
    const [w, h] = [16, 12];
    const labels = disc(w, h);
    const { us, seg } = usAndSeg(w, h, labels);
    await put(dir, 'U1_1_image.dcm', us);
    await put(dir, 'U1_1_mask.dcm', seg);
    const byNumber = await loadSegmentationDataset(dir);
    expect(byNumber.problems).toEqual([]);
    expect(byNumber.samples[0]?.mask.data).toEqual(labels);
    expect(byNumber.samples[0]?.pixelSpacing?.[0]).toBeCloseTo(0.08, 9);
    // Labels by segment name: wall → 1, lumen → 2.
    const byName = await loadSegmentationDataset(dir, {
      segmentLabels: { wall: 1, 'vessel lumen': 2 },
    });
    expect(byName.samples[0]?.mask.data).toEqual(labels.map((v) => (v === 0 ? 0 : 3 - v)));
  });

  it('loads the carotid synth output by its ground truth (every cine frame) or by file names', async () => {
    const dir = join(root, 'synth');
    const summary = await synthesizeCarotidUs({
      outDir: dir,
      patients: 1,
      seed: 11,
      size: 'small',
    });
    const ds = await loadSegmentationDataset(dir);
    expect(ds.layout).toBe('ground-truth');
    expect(ds.problems).toEqual([]);
    expect(ds.samples).toHaveLength(summary.frames);
    for (const s of ds.samples) {
      expect(s.patientId).toBe('P001');
      expect([s.mask.columns, s.mask.rows]).toEqual([s.image.columns, s.image.rows]);
      expect(s.pixelSpacing?.[0]).toBeGreaterThanOrEqual(0.06);
      expect(s.pixelSpacing?.[0]).toBeLessThanOrEqual(0.12);
      expect(s.mask.data.some((v) => v === 1)).toBe(true);
      expect(s.mask.data.some((v) => v === 2)).toBe(true);
    }
    const byName = await loadSegmentationDataset(dir, { layout: 'pattern' });
    expect(byName.problems).toEqual([]);
    expect(byName.samples).toHaveLength(summary.images);
  });
});
