import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readPart10 } from './read-part10.js';
import type { Part10 } from './read-part10.js';
import { scanDataset } from './scan-dataset.js';
import { TRANSFER_SYNTAX } from './transfer-syntax.js';
import { writePart10 } from './write-part10.js';

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files/';
const pydicomFile = (name: string): Buffer => readFileSync(PYDICOM + name);

function frames(part10: Part10): number[][] {
  return (part10.dataset['7FE00010']?.Value ?? []).map((f) => [
    ...new Uint8Array(f as ArrayBuffer),
  ]);
}

/** Offset of the data set: after the preamble, `DICM` and the meta group. */
function datasetOffset(bytes: Uint8Array): number {
  return 144 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(140, true);
}

describe('writePart10', () => {
  it('writes a deflated data set as raw deflate after an uncompressed meta group', () => {
    const original = readPart10(pydicomFile('image_dfl.dcm'));
    const written = writePart10(original.meta, original.dataset);
    // PS3.5 §A.5: the bytes after the meta group inflate, with no zlib header, to an explicit
    // VR little endian data set.
    const inflated = inflateRawSync(written.subarray(datasetOffset(written)));
    const scan = scanDataset(inflated, { littleEndian: true, explicitVr: true });
    expect(scan.topLevelTags).toContain('7FE00010');
    expect(written.length).toBeLessThan(inflated.length / 10);
  });

  it('writes a deflated file that reads back with the same pixel data', () => {
    const original = readPart10(pydicomFile('image_dfl.dcm'));
    const again = readPart10(writePart10(original.meta, original.dataset));
    expect(again.transferSyntaxUid).toBe(TRANSFER_SYNTAX.DeflatedExplicitVRLittleEndian);
    expect(again.warnings).toEqual([]);
    expect(frames(again)).toEqual(frames(original));
  });

  it('writes the File Meta Information Group Length once, whatever meta holds', () => {
    const original = readPart10(pydicomFile('MR_small.dcm'));
    const meta = { ...original.meta, '00020000': { vr: 'UL', Value: [999] } };
    const written = writePart10(meta, original.dataset);
    const scan = scanDataset(written.subarray(132, datasetOffset(written)), {
      littleEndian: true,
      explicitVr: true,
    });
    expect(scan.topLevelTags.filter((t) => t === '00020000')).toHaveLength(1);
    expect(readPart10(written).warnings).toEqual([]);
  });

  it('writes encapsulated multi-frame pixel data that reads back frame for frame', () => {
    const original = readPart10(pydicomFile('SC_rgb_rle_2frame.dcm'));
    const again = readPart10(writePart10(original.meta, original.dataset));
    expect(again.transferSyntaxUid).toBe(TRANSFER_SYNTAX.Rle);
    expect(frames(again)).toEqual(frames(original));
  });

  it('rewrites an implicit VR file as explicit VR when meta says so', () => {
    const original = readPart10(pydicomFile('MR_small_implicit.dcm'));
    const meta = {
      ...original.meta,
      '00020010': { vr: 'UI', Value: [TRANSFER_SYNTAX.ExplicitVRLittleEndian] },
    };
    const again = readPart10(writePart10(meta, original.dataset));
    expect(again.transferSyntaxUid).toBe(TRANSFER_SYNTAX.ExplicitVRLittleEndian);
    expect(again.dataset['00100010']?.Value).toEqual(original.dataset['00100010']?.Value);
    expect(frames(again)).toEqual(frames(original));
  });
});
