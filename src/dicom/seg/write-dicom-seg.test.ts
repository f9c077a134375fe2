import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { createVolume } from '../../core/index.js';
import { packFrames } from './kernels/pack-frames.js';
import { SEG_TAGS } from './seg-tags.js';
import { CAROTID_SEGMENT_CODES, newDicomUid, writeDicomSeg } from './write-dicom-seg.js';

describe('DICOM SEG writer', () => {
  it('every tag and VR it writes is the data dictionary’s (PS3.6, via dcmjs)', () => {
    const nameMap = dcmjs.data.DicomMetaDictionary.nameMap;
    for (const [keyword, [tag, vr]] of Object.entries(SEG_TAGS)) {
      const entry = nameMap[keyword];
      expect(entry, keyword).toBeDefined();
      expect(entry?.tag.replace(/[(),]/g, '').toUpperCase(), keyword).toBe(tag);
      // Pixel Data is OB or OW ("ox" in the dictionary); 1-bit data is written OB.
      if (keyword !== 'PixelData') expect(entry?.vr, keyword).toBe(vr);
    }
  });

  it('packs frames bit by bit, least significant bit first, without padding between frames', () => {
    // 2 slices of 3×3 pixels; frames: (k=0, value 1), (k=1, value 2) → 18 bits.
    const labels = new Uint8Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 2, 2, 0, 0, 0, 0, 0, 0, 2]);
    const packed = packFrames(labels, 9, [
      { k: 0, value: 1 },
      { k: 1, value: 2 },
    ]);
    expect(packed.length).toBe(4); // ceil(18 / 8) = 3, padded to even
    const bit = (b: number): number => ((packed[b >> 3] ?? 0) >> (b & 7)) & 1;
    const bits = Array.from({ length: 18 }, (_, b) => bit(b));
    expect(bits).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('refuses an empty labelmap and a wrong number of source images', () => {
    const lm = createVolume({
      dimensions: [2, 2, 2],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      data: new Uint8Array(8),
    });
    const base = {
      labelmap: lm,
      segments: [{ value: 1, ...CAROTID_SEGMENT_CODES.lumen }],
      source: { studyInstanceUid: '1.2.3', seriesInstanceUid: '1.2.4' },
      algorithm: { name: 'x', version: '1' },
    };
    expect(() => writeDicomSeg(base)).toThrow(/no voxel/);
    expect(() =>
      writeDicomSeg({
        ...base,
        source: { ...base.source, images: [{ sopClassUid: '1', sopInstanceUid: '2' }] },
      }),
    ).toThrow(/one per slice/);
  });

  it('makes 2.25 UIDs of at most 64 characters', () => {
    const uid = newDicomUid();
    expect(uid).toMatch(/^2\.25\.[1-9]\d*$/);
    expect(uid.length).toBeLessThanOrEqual(64);
  });
});
