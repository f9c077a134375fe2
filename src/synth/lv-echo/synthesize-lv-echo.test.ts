import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePixelData, framesToImages, readPart10 } from '../../dicom/index.js';
import type { DicomJson } from '../../core/index.js';
import { readLabelStack } from './label-stack.js';
import { synthesizeLvEcho } from './synthesize-lv-echo.js';
import type { LvEchoGroundTruth, LvEchoSummary } from './synthesize-lv-echo.js';
import { US_MULTIFRAME_IMAGE_STORAGE } from './us-dataset.js';

let root: string;
let out: string;
let summary: LvEchoSummary;
let truth: LvEchoGroundTruth;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'medscale-lv-echo-'));
  out = join(root, 'lv');
  // 16 frames at 75 bpm: 50 ms apart, so a frame falls in the 70 ms isovolumic relaxation (ESV).
  summary = await synthesizeLvEcho({ outDir: out, cases: 2, frames: 16, seed: 3 });
  truth = JSON.parse(readFileSync(summary.groundTruthFile, 'utf8')) as LvEchoGroundTruth;
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function first(dataset: DicomJson, tag: string): unknown {
  return dataset[tag]?.Value?.[0];
}

describe('synthesizeLvEcho', () => {
  it('writes a DICOM US multi-frame clip and a label stack per view, and the ground truth', () => {
    expect(summary).toMatchObject({ cases: 2, frames: 2 * 2 * 16, files: 2 * 2 * 3 + 1 });
    expect(readdirSync(join(out, 'lv-001')).sort()).toEqual([
      'a2c.dcm',
      'a2c.labels.json',
      'a2c.labels.u8',
      'a4c.dcm',
      'a4c.labels.json',
      'a4c.labels.u8',
    ]);
    let bytes = 0;
    for (const c of ['lv-001', 'lv-002'])
      for (const f of readdirSync(join(out, c))) bytes += statSync(join(out, c, f)).size;
    expect(summary.bytes).toBe(bytes + statSync(summary.groundTruthFile).size);
    expect(truth.cases.map((c) => c.caseId)).toEqual(['lv-001', 'lv-002']);
  });

  it('writes clips a DICOM reader understands: SOP class, frames, frame time, pixel size, patient', async () => {
    const c = truth.cases[0]!;
    const part10 = readPart10(new Uint8Array(readFileSync(join(out, c.files.a4c.image))));
    const d = part10.dataset as DicomJson;
    expect(first(d, '00080016')).toBe(US_MULTIFRAME_IMAGE_STORAGE);
    expect(first(d, '00080060')).toBe('US');
    expect(Number(first(d, '00280008'))).toBe(16);
    expect(Number(first(d, '00181063'))).toBeCloseTo(50, 6); // 800 ms / 16
    expect(Number(first(d, '00181088'))).toBe(75);
    expect(first(d, '00101010')).toBe('058Y');
    expect(Number(first(d, '00101020'))).toBeCloseTo(1.75, 6);
    expect(Number(first(d, '00101030'))).toBe(75);
    const decoded = await decodePixelData(part10);
    const images = framesToImages(d, decoded.frames);
    expect(images).toHaveLength(16);
    expect(images[0]!.pixelSpacing).toEqual([0.5, 0.5]);
    expect(images[0]!.rows).toBe(c.image.rows);
    expect(images[0]!.columns).toBe(c.image.columns);
  });

  it('draws blood dark and myocardium bright, where the masks say they are', async () => {
    const c = truth.cases[0]!;
    const part10 = readPart10(new Uint8Array(readFileSync(join(out, c.files.a2c.image))));
    const frames = (await decodePixelData(part10)).frames;
    const labels = await readLabelStack(join(out, c.files.a2c.labels));
    const mean = (label: number): number => {
      let sum = 0;
      let n = 0;
      const pixels = frames[0]!;
      const mask = labels.frames[0]!.data;
      for (let i = 0; i < mask.length; i++) {
        if (mask[i] !== label) continue;
        sum += pixels[i]!;
        n++;
      }
      return sum / n;
    };
    expect(mean(2) - mean(1)).toBeGreaterThan(80); // myocardium vs cavity, grey levels
    expect(mean(2) - mean(3)).toBeGreaterThan(80); // myocardium vs atrium
  });

  it('labels the exact section of the analytic cavity', async () => {
    for (const c of truth.cases) {
      const labels = await readLabelStack(join(out, c.files.a4c.labels));
      expect(labels.sidecar).toMatchObject({ frames: 16, view: 'a4c', pixelSpacingMm: [0.5, 0.5] });
      for (const f of [c.edFrame, c.esFrame]) {
        const e = c.frames[f]!.endo;
        const tau = e.truncationMm / e.longSemiAxisMm;
        // Area of the ellipse x²/b² + z²/a² ≤ 1 cut at z = τ·a.
        const area =
          e.longSemiAxisMm *
          e.shortSemiAxesMm[0] *
          (tau * Math.sqrt(1 - tau * tau) + Math.asin(tau) + Math.PI / 2);
        const count = labels.frames[f]!.data.reduce((n, v) => n + (v === 1 ? 1 : 0), 0);
        expect(Math.abs((count * 0.25) / area - 1)).toBeLessThan(0.01);
      }
    }
  });

  it('records per-frame volumes with EDV at frame 0, ESV sampled, and a constant wall', () => {
    const c = truth.cases[0]!;
    expect(c.edFrame).toBe(0);
    expect(c.frameEdvMl).toBe(120);
    expect(c.frameEsvMl).toBe(50);
    expect(c.frameEjectionFractionPct).toBeCloseTo(58.3333, 3);
    expect(c.massG).toBeCloseTo(140, 2);
    for (const f of c.frames) expect(f.epiVolumeMl - f.endoVolumeMl).toBeCloseTo(c.wallVolumeMl, 2);
    expect(truth.cases[1]!.frameEdvMl).toBe(216);
  });

  it('is deterministic: the same seed gives the same bytes, another seed other speckle', async () => {
    const digest = async (seed: number, dir: string): Promise<Record<string, string>> => {
      await synthesizeLvEcho({ outDir: join(root, dir), cases: 1, frames: 4, seed });
      const files: Record<string, string> = {};
      for (const f of readdirSync(join(root, dir, 'lv-001')))
        files[f] = createHash('sha256')
          .update(readFileSync(join(root, dir, 'lv-001', f)))
          .digest('hex');
      return files;
    };
    const a = await digest(9, 'a');
    const b = await digest(9, 'b');
    const c = await digest(10, 'c');
    expect(b).toEqual(a);
    expect(c['a4c.dcm']).not.toBe(a['a4c.dcm']);
    expect(c['a4c.labels.u8']).toBe(a['a4c.labels.u8']); // the fixed case has the same geometry
  });

  it('writes a cine short-axis stack on request, slices fixed on the ED base', async () => {
    const dir = join(root, 'sax');
    await synthesizeLvEcho({ outDir: dir, cases: 1, frames: 4, shortAxis: true });
    const t = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as LvEchoGroundTruth;
    const c = t.cases[0]!;
    const stack = await readLabelStack(join(dir, c.files.sax!));
    expect(stack.volumes).toHaveLength(4);
    const v = stack.volumes![0]!;
    expect(v.spacing).toEqual([1.5, 1.5, 8]);
    expect(v.origin[2]).toBe(85 - 4); // the basal slab's top on the ED base, 85 mm above the apex
    // Slice k at height z above the apex cuts the cavity in an ellipse of area π·b₄·b₂·(1 − zc²/a²).
    const e = c.frames[0]!.endo;
    const [ni, nj] = v.dimensions;
    for (const k of [1, 5, 9]) {
      const zc = v.origin[2] - 8 * k - e.longSemiAxisMm;
      const area =
        Math.PI * e.shortSemiAxesMm[0] * e.shortSemiAxesMm[1] * (1 - (zc / e.longSemiAxisMm) ** 2);
      const count = v.data
        .subarray(k * ni * nj, (k + 1) * ni * nj)
        .reduce((n, x) => n + (x === 1 ? 1 : 0), 0);
      expect(Math.abs((count * 2.25) / area - 1)).toBeLessThan(0.03);
    }
  });

  it('refuses a non-empty folder and invalid options', async () => {
    const dir = join(root, 'busy');
    await synthesizeLvEcho({ outDir: dir, cases: 1, frames: 4 });
    await expect(synthesizeLvEcho({ outDir: dir, cases: 1, frames: 4 })).rejects.toThrow(
      /not empty/,
    );
    await writeFile(join(root, 'file'), 'x');
    await expect(synthesizeLvEcho({ outDir: join(root, 'x1'), cases: 0 })).rejects.toThrow(
      /cases must be an integer/,
    );
    await expect(synthesizeLvEcho({ outDir: join(root, 'x2'), frames: 2 })).rejects.toThrow(
      /frames must be/,
    );
    await expect(synthesizeLvEcho({ outDir: join(root, 'x3'), pixelSpacingMm: 3 })).rejects.toThrow(
      /pixelSpacingMm/,
    );
    await expect(synthesizeLvEcho({ outDir: join(root, 'file', 'sub') })).rejects.toMatchObject({
      code: 'ERR_IO',
    });
  });
});
