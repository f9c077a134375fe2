import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePixelData, framesToImages, readPart10 } from '../../dicom/index.js';
import { createRandom } from '../random.js';
import { drawCarotidModel } from './carotid-model.js';
import type { CarotidUsGroundTruth } from './carotid-truth.js';
import { renderImage } from './render-image.js';
import { ULTRASOUND_SCANNERS } from './scanners.js';
import { CAROTID_US_LAYOUT, synthesizeCarotidUs } from './synthesize-carotid-us.js';
import { US_IMAGE_STORAGE, US_MULTIFRAME_IMAGE_STORAGE, encodeUsInstance } from './us-headers.js';
import { planView } from './views.js';

/** Decodes an 8-bit greyscale, filter-0 PNG as `encodeGreyPng` writes it (independent of it). */
function decodeGreyPng(bytes: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  expect([bytes[24], bytes[25]]).toEqual([8, 0]);
  const idat: Uint8Array[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (type === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width + 1)]).toBe(0);
    data.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, data };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

function digests(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex'),
    ]),
  );
}

describe('synthesizeCarotidUs', () => {
  let root: string;
  let truth: CarotidUsGroundTruth;
  let out: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-carotid-us-'));
    out = join(root, 'a');
    const summary = await synthesizeCarotidUs({ outDir: out, patients: 2, seed: 5, size: 'small' });
    truth = JSON.parse(readFileSync(summary.groundTruthFile, 'utf8')) as CarotidUsGroundTruth;
    expect(summary.images).toBe(truth.images.length);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes the documented layout, patients.csv and 4–5 images per patient', () => {
    expect(truth.layout).toBe(CAROTID_US_LAYOUT);
    const files = listFiles(out);
    expect(files).toContain('ground-truth.json');
    expect(files).toContain('patients.csv');
    for (const image of truth.images) {
      expect(files).toContain(image.file);
      expect(image.file).toMatch(/^P\d{3}\/P\d{3}_\d{2}_image\.dcm$/);
      expect(image.masks[0]).toBe(image.file.replace('_image.dcm', '_mask.png'));
      for (const mask of image.masks) expect(files).toContain(mask);
    }
    for (const p of truth.patients) {
      expect(p.images.length === 4 || p.images.length === 5).toBe(true);
      expect(
        new Set(truth.images.filter((i) => i.patientId === p.patientId).map((i) => i.side)),
      ).toEqual(new Set(['left', 'right']));
    }
    const csv = readFileSync(join(out, 'patients.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[1]).toMatch(/^P001,[FM],\d+,[\d.]+,[\d.]+,[\d.]+,test-mini,[45],[\d.]+,[\d.]+$/);
  });

  it('is deterministic: the same seed gives byte-identical files (also on workers), another seed differs', async () => {
    const again = join(root, 'b');
    await synthesizeCarotidUs({
      outDir: again,
      patients: 2,
      seed: 5,
      size: 'small',
      concurrency: 2,
    });
    expect(digests(again)).toEqual(digests(out));
    const other = join(root, 'c');
    await synthesizeCarotidUs({ outDir: other, patients: 1, seed: 6, size: 'small' });
    const first = 'P001/P001_01_image.dcm';
    expect(readFileSync(join(other, first)).equals(readFileSync(join(out, first)))).toBe(false);
  });

  it('writes readable US DICOM with the region calibration, laterality and patient traits', async () => {
    for (const image of truth.images) {
      const part10 = readPart10(new Uint8Array(readFileSync(join(out, image.file))), {
        strict: true,
      });
      const d = part10.dataset;
      expect(d['00080016']?.Value?.[0]).toBe(
        image.frames > 1 ? US_MULTIFRAME_IMAGE_STORAGE : US_IMAGE_STORAGE,
      );
      expect(d['00080060']?.Value?.[0]).toBe('US');
      expect(d['00200062']?.Value?.[0]).toBe(image.side === 'left' ? 'L' : 'R');
      const patient = truth.patients.find((p) => p.patientId === image.patientId);
      expect(d['00101010']?.Value?.[0]).toBe(`${String(patient?.ageYears).padStart(3, '0')}Y`);
      expect(d['00100040']?.Value?.[0]).toBe(patient?.sex);
      expect(Number(d['00101030']?.Value?.[0])).toBe(patient?.weightKg);
      expect(Number(d['00101020']?.Value?.[0])).toBeCloseTo((patient?.heightCm ?? 0) / 100, 3);
      const pixels = await decodePixelData(part10);
      expect(pixels.photometricInterpretation).toBe(image.photometricInterpretation);
      const frames = framesToImages(d, pixels.frames);
      expect(frames).toHaveLength(image.frames);
      expect(frames[0]?.pixelSpacing?.[0]).toBeCloseTo(image.pixelSpacingMm[0], 9);
      expect(frames[0]?.columns).toBe(image.columns);
      expect(image.pixelSpacingMm[0]).toBeGreaterThanOrEqual(0.06);
      expect(image.pixelSpacingMm[0]).toBeLessThanOrEqual(0.12);
      const region = (d['00186011']?.Value?.[0] ?? {}) as Record<string, { Value?: unknown[] }>;
      expect(region['00186018']?.Value?.[0]).toBe(image.region.x0);
      expect(region['0018601E']?.Value?.[0]).toBe(image.region.y1);
    }
  });

  it('writes exact masks: labels 0–2 inside the region only, lumen where the model says', () => {
    let checkedTransversal = 0;
    for (const image of truth.images) {
      const mask = decodeGreyPng(readFileSync(join(out, image.masks[0] ?? '')));
      expect([mask.width, mask.height]).toEqual([image.columns, image.rows]);
      const counts = [0, 0, 0, 0];
      let outside = 0;
      for (let y = 0; y < mask.height; y++) {
        for (let x = 0; x < mask.width; x++) {
          const v = mask.data[y * mask.width + x]!;
          counts[Math.min(v, 3)]!++;
          const inside =
            x >= image.region.x0 &&
            x <= image.region.x1 &&
            y >= image.region.y0 &&
            y <= image.region.y1;
          if (!inside && v !== 0) outside++;
        }
      }
      expect(counts[3]).toBe(0);
      expect(outside).toBe(0);
      expect(counts[1]).toBeGreaterThan(0);
      expect(counts[2]).toBeGreaterThan(0);
      const m = image.measurements;
      if (image.view === 'transversal' && m.centreX !== undefined && m.centreY !== undefined) {
        // The lumen run along the row through the axis point has the analytic chord length.
        const y = Math.round(m.centreY);
        const x0 = Math.round(m.centreX);
        expect(mask.data[y * mask.width + x0]).toBe(1);
        let left = x0;
        let right = x0;
        while (mask.data[y * mask.width + left - 1] === 1) left--;
        while (mask.data[y * mask.width + right + 1] === 1) right++;
        const runMm = (right - left + 1) * image.pixelSpacingMm[0];
        // Row through the rounded centre: within two pixels plus the row offset's effect.
        expect(Math.abs(runMm - (m.horizontalDiameterMm ?? 0))).toBeLessThan(0.35);
        checkedTransversal++;
      }
      for (const d of m.diameters) {
        if (Math.abs(d.offPlaneMm) < 0.01)
          expect(mask.data[Math.round(d.y) * mask.width + Math.round(d.x)]).toBe(1);
      }
    }
    expect(checkedTransversal).toBeGreaterThan(0);
  });

  it('records the view truth the reconstruction needs', () => {
    for (const image of truth.images) {
      expect(['longitudinal', 'transversal']).toContain(image.view);
      if (image.view === 'transversal') {
        expect(['cca', 'ica', 'eca']).toContain(image.target);
        if (image.target === 'cca') expect(image.positionMm).toBeLessThan(0);
        else expect(image.positionMm).toBeGreaterThan(0);
      }
      expect(image.branchesInView.length).toBeGreaterThan(0);
      const patient = truth.patients.find((p) => p.patientId === image.patientId);
      expect(image.nascetPercent).toBe(patient?.arteries[image.side].nascetPercent);
    }
  });

  it('refuses a non-empty folder and bad options', async () => {
    await expect(synthesizeCarotidUs({ outDir: out, patients: 1, size: 'small' })).rejects.toThrow(
      /not empty/,
    );
    await expect(synthesizeCarotidUs({ outDir: join(root, 'd'), patients: 0 })).rejects.toThrow(
      /patients/,
    );
  });
});

describe('cine loops', () => {
  it('encode as US Multi-frame with one exact mask per frame, the lumen pulsating', async () => {
    const model = drawCarotidModel(createRandom('cine'), 'left', { ageYears: 60, sex: 'F' });
    const scanner = {
      ...ULTRASOUND_SCANNERS[2]!,
      columns: 300,
      rows: 240,
      marginTop: 12,
      marginLeft: 12,
      marginRight: 60,
      marginBottom: 12,
    };
    const r = createRandom('cine', 'view');
    const plan = planView(r, model, scanner, 'longitudinal', 'bifurcation', true);
    const image = renderImage(r, model, plan, scanner, 'sepia');
    expect(image.frames.length).toBeGreaterThanOrEqual(6);
    const bytes = encodeUsInstance(
      scanner,
      {
        id: 'X',
        name: 'Test^Cine',
        birthDate: '19650101',
        sex: 'F',
        age: '060Y',
        heightM: 1.7,
        weightKg: 70,
      },
      {
        studyInstanceUid: '1.2.3',
        seriesInstanceUid: '1.2.3.4',
        date: '20250101',
        time: '120000',
        accessionNumber: 'A1',
        institutionName: 'Lab',
        operator: 'Op^One',
      },
      {
        sopInstanceUid: '1.2.3.4.5',
        instanceNumber: 1,
        time: '120100',
        plan,
        columns: image.columns,
        rows: image.rows,
        samplesPerPixel: image.samplesPerPixel,
        frames: image.frames,
      },
    );
    const part10 = readPart10(bytes, { strict: true });
    expect(part10.dataset['00080016']?.Value?.[0]).toBe(US_MULTIFRAME_IMAGE_STORAGE);
    expect(part10.dataset['00280009']?.Value?.[0]).toBe(0x00181063);
    const pixels = await decodePixelData(part10);
    expect(pixels.numberOfFrames).toBe(image.frames.length);
    expect(pixels.samplesPerPixel).toBe(3);
    expect(Array.from(pixels.frames[3] ?? [])).toEqual(Array.from(image.frames[3] ?? []));
    const lumen = image.masks.map((m) => m.reduce((n, v) => n + (v === 1 ? 1 : 0), 0));
    const systole = image.motion.findIndex(
      (m) => m.radiusScale === Math.max(...image.motion.map((x) => x.radiusScale)),
    );
    expect(lumen[systole]).toBeGreaterThan(lumen[0]! * 0.99);
    expect(new Set(lumen).size).toBeGreaterThan(1);
  });
});
