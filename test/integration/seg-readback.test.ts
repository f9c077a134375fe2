// A labelmap written as DICOM SEG by medscale must come back voxel for voxel through dcmjs (the
// DICOM library of the JavaScript viewers) and be accepted by dcmtk's dcmdump.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createVolume, indexToWorld } from '../../src/core/index.js';
import type { Labelmap, Mat3 } from '../../src/core/index.js';
import { CAROTID_SEGMENT_CODES, writeDicomSeg } from '../../src/dicom/seg/index.js';

type Natural = Record<string, unknown>;
const dcm = dcmjs as unknown as {
  adapters: {
    Cornerstone: {
      Segmentation: {
        generateToolState(
          imageIds: string[],
          buffer: ArrayBuffer,
          metadata: { get(type: string, imageId: string): unknown },
        ): { labelmapBufferArray: ArrayBuffer[]; segMetadata: { data: (Natural | undefined)[] } };
      };
    };
  };
  data: {
    DicomMessage: { readFile(b: ArrayBuffer): { dict: unknown; meta: unknown } };
    DicomMetaDictionary: { naturalizeDataset(d: unknown): Natural };
  };
};

function carotidLabelmap(): Labelmap {
  const [ni, nj, nk] = [24, 20, 6];
  const data = new Uint8Array(ni * nj * nk);
  for (let k = 1; k < nk - 1; k++)
    for (let j = 0; j < nj; j++)
      for (let i = 0; i < ni; i++) {
        const r = Math.hypot(i - 11 - k * 0.5, j - 9);
        data[i + j * ni + k * ni * nj] = r < 4 ? 1 : r < 6 ? 2 : 0;
      }
  const c = Math.cos(0.3);
  const s = Math.sin(0.3);
  const direction: Mat3 = [c, s, 0, -s, c, 0, 0, 0, 1];
  return createVolume({
    dimensions: [ni, nj, nk],
    spacing: [0.5, 0.6, 2],
    origin: [-10, 20, 30],
    direction,
    data,
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'medscale-seg-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('DICOM SEG read back', () => {
  const lm = carotidLabelmap();
  const images = Array.from({ length: 6 }, (_, k) => ({
    sopClassUid: '1.2.840.10008.5.1.4.1.1.4',
    sopInstanceUid: `1.2.826.0.1.3680043.8.498.${100 + k}`,
  }));
  const bytes = writeDicomSeg({
    labelmap: lm,
    segments: [
      { value: 1, ...CAROTID_SEGMENT_CODES.lumen },
      { value: 2, ...CAROTID_SEGMENT_CODES.wall },
    ],
    source: {
      studyInstanceUid: '1.2.826.0.1.3680043.8.498.1',
      seriesInstanceUid: '1.2.826.0.1.3680043.8.498.2',
      frameOfReferenceUid: '1.2.826.0.1.3680043.8.498.3',
      images,
      patientName: 'Test^Carotid',
      patientId: 'P001',
    },
    algorithm: { name: 'medscale-unet', version: '0.1.0' },
  });
  const file = join(tmp, 'seg.dcm');
  writeFileSync(file, bytes);

  it('dcmjs reads the SEG and its frames rebuild the labelmap exactly', () => {
    const buffer = new Uint8Array(bytes).buffer;
    const ds = dcm.data.DicomMetaDictionary.naturalizeDataset(
      dcm.data.DicomMessage.readFile(buffer).dict,
    );
    expect(ds['SOPClassUID']).toBe('1.2.840.10008.5.1.4.1.1.66.4');
    expect(ds['Modality']).toBe('SEG');
    expect(ds['SegmentationType']).toBe('BINARY');
    expect(ds['BitsAllocated']).toBe(1);
    const segs = ds['SegmentSequence'] as Natural[];
    expect(segs.map((s) => s['SegmentLabel'])).toEqual(['lumen', 'wall']);
    expect(segs[0]?.['SegmentAlgorithmType']).toBe('AUTOMATIC');
    const type0 = segs[0]?.['SegmentedPropertyTypeCodeSequence'] as Natural | Natural[];
    expect((Array.isArray(type0) ? type0[0] : type0)?.['CodeValue']).toBe('67170007');
    const refSeries = ds['ReferencedSeriesSequence'] as Natural | Natural[];
    expect((Array.isArray(refSeries) ? refSeries[0] : refSeries)?.['SeriesInstanceUID']).toBe(
      '1.2.826.0.1.3680043.8.498.2',
    );
    const frames = ds['PerFrameFunctionalGroupsSequence'] as Natural[];
    expect(Number(ds['NumberOfFrames'])).toBe(frames.length);
    expect(frames.length).toBe(2 * 4); // two segments × four non-empty slices
    const [ni, nj, nk] = lm.dimensions;
    const pixels = ni * nj;
    const pd = ds['PixelData'] as ArrayBuffer[] | ArrayBuffer;
    const packed = new Uint8Array(Array.isArray(pd) ? pd[0]! : pd);
    const rebuilt = new Uint8Array(ni * nj * nk);
    const first = (v: unknown): Natural => (Array.isArray(v) ? (v[0] as Natural) : (v as Natural));
    frames.forEach((f, n) => {
      const seg = Number(first(f['SegmentIdentificationSequence'])['ReferencedSegmentNumber']);
      const pos = (first(f['PlanePositionSequence'])['ImagePositionPatient'] as number[]).map(
        Number,
      );
      const k = Array.from({ length: nk }, (_, kk) => kk).find((kk) => {
        const w = indexToWorld(lm, [0, 0, kk]);
        return Math.hypot(w[0] - (pos[0] ?? 0), w[1] - (pos[1] ?? 0), w[2] - (pos[2] ?? 0)) < 1e-3;
      });
      expect(k).toBeDefined();
      const src = first(first(f['DerivationImageSequence'])['SourceImageSequence']);
      expect(src['ReferencedSOPInstanceUID']).toBe(images[k ?? 0]?.sopInstanceUid);
      for (let p = 0; p < pixels; p++) {
        const b = n * pixels + p;
        if (((packed[b >> 3] ?? 0) >> (b & 7)) & 1) rebuilt[(k ?? 0) * pixels + p] = seg;
      }
    });
    expect(rebuilt).toEqual(lm.data);
    const shared = first(ds['SharedFunctionalGroupsSequence']);
    const measures = first(shared['PixelMeasuresSequence']);
    expect((measures['PixelSpacing'] as number[]).map(Number)).toEqual([0.6, 0.5]);
  });

  it("dcmjs's Cornerstone SEG adapter maps every frame onto its source slice", () => {
    const [ni, nj, nk] = lm.dimensions;
    const imageIds = images.map((_, k) => `medscale:${k}`);
    const kOf = (id: string): number => Number(id.split(':')[1]);
    const d = lm.direction;
    const metadata = {
      get(type: string, imageId: string): unknown {
        const k = kOf(imageId);
        const instance = {
          ImagePositionPatient: indexToWorld(lm, [0, 0, k]),
          FrameOfReferenceUID: '1.2.826.0.1.3680043.8.498.3',
          SeriesInstanceUID: '1.2.826.0.1.3680043.8.498.2',
          SOPInstanceUID: images[k]?.sopInstanceUid,
        };
        const modules: Record<string, unknown> = {
          imagePlaneModule: {
            rowCosines: [d[0], d[1], d[2]],
            columnCosines: [d[3], d[4], d[5]],
            rows: nj,
            columns: ni,
            imagePositionPatient: instance.ImagePositionPatient,
          },
          generalSeriesModule: { seriesInstanceUID: instance.SeriesInstanceUID },
          sopCommonModule: { sopInstanceUID: instance.SOPInstanceUID },
          imagePixelModule: { rows: nj, columns: ni },
          instance,
        };
        return modules[type];
      },
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const state = dcm.adapters.Cornerstone.Segmentation.generateToolState(
      imageIds,
      new Uint8Array(bytes).buffer,
      metadata,
    );
    warn.mockRestore();
    const labels = new Uint16Array(state.labelmapBufferArray[0]!);
    expect(labels.length).toBe(ni * nj * nk);
    expect(Array.from(labels)).toEqual(Array.from(lm.data));
    expect(state.segMetadata.data.slice(1).map((s) => s?.['SegmentLabel'])).toEqual([
      'lumen',
      'wall',
    ]);
  });

  it("dcmtk's dcmdump parses it without errors", () => {
    const which = spawnSync('which', ['dcmdump'], { encoding: 'utf8' });
    if (which.status !== 0) throw new Error('dcmdump missing: apt-get install -y dcmtk');
    const r = spawnSync('dcmdump', ['-M', file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('=SegmentationStorage');
    expect(r.stdout).toMatch(/\(0062,0005\) LO \[lumen\]/);
    expect(r.stdout).toMatch(/\(0028,0008\) IS \[8\]/);
    expect(r.stdout).toContain('(5200,9230)');
  });
});
