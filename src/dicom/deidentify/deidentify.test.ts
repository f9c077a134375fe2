import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPart10 } from '../part10/read-part10.js';
import { writePart10 } from '../part10/write-part10.js';
import type { DicomDataset } from '../part10/dicom-dataset.js';
import { Deidentifier, shiftDate } from './deidentify.js';

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files/';
const SECRET = 'test-secret-0123456789abcdef';

function load(name: string): { meta: DicomDataset; dataset: DicomDataset } {
  const part = readPart10(readFileSync(PYDICOM + name));
  return { meta: part.meta, dataset: part.dataset };
}

function first(dataset: DicomDataset, tag: string): unknown {
  return dataset[tag]?.Value?.[0];
}

describe('Deidentifier', () => {
  it('replaces Patient ID and Name with a keyed pseudonym that is stable per project', () => {
    const a = load('MR_small.dcm');
    const b = load('MR_small.dcm');
    const result = new Deidentifier({ secret: SECRET }).deidentify(a.meta, a.dataset);
    const again = new Deidentifier({ secret: SECRET }).deidentify(b.meta, b.dataset);
    const other = new Deidentifier({ secret: 'another-secret-0123456789' }).pseudonym('4MR1');
    expect(result.pseudonym).toMatch(/^MS[A-Z2-7]{16}$/);
    expect(again.pseudonym).toBe(result.pseudonym);
    expect(other).not.toBe(result.pseudonym);
    expect(first(a.dataset, '00100020')).toBe(result.pseudonym);
    expect(first(a.dataset, '00100010')).toEqual({ Alphabetic: result.pseudonym });
  });

  it('remaps study, series, instance and frame-of-reference UIDs consistently and keeps standard UIDs', () => {
    const { meta, dataset } = load('MR_small.dcm');
    const originalStudy = first(dataset, '0020000D') as string;
    const originalSop = first(dataset, '00080018') as string;
    const deid = new Deidentifier({ secret: SECRET });
    deid.deidentify(meta, dataset);
    const newStudy = first(dataset, '0020000D') as string;
    expect(newStudy).not.toBe(originalStudy);
    expect(newStudy).toMatch(/^2\.25\.[1-9][0-9]*$/);
    expect(newStudy.length).toBeLessThanOrEqual(64);
    expect(newStudy).toBe(deid.mapUid(originalStudy));
    expect(first(meta, '00020003')).toBe(deid.mapUid(originalSop));
    expect(first(dataset, '00080018')).toBe(deid.mapUid(originalSop));
    expect(first(dataset, '00080016')).toBe('1.2.840.10008.5.1.4.1.1.4');
  });

  it('remaps UIDs inside nested sequences with the same map as at the top level', () => {
    const referenced = '1.2.3.4.5.6.7';
    const dataset: DicomDataset = {
      '00100020': { vr: 'LO', Value: ['ID1'] },
      '00081140': {
        vr: 'SQ',
        Value: [
          {
            '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.4'] },
            '00081155': { vr: 'UI', Value: [referenced] },
            '00400009': {
              vr: 'SQ',
              Value: [{ '0020000D': { vr: 'UI', Value: [referenced] } }],
            },
          },
        ],
      },
    };
    const deid = new Deidentifier({ secret: SECRET });
    deid.deidentify({}, dataset);
    const item = (dataset['00081140']?.Value?.[0] ?? {}) as DicomDataset;
    expect(first(item, '00081155')).toBe(deid.mapUid(referenced));
    expect(first(item, '00081150')).toBe('1.2.840.10008.5.1.4.1.1.4');
  });

  it('shifts every date of a subject by one offset, preserving intervals between visits', () => {
    const deid = new Deidentifier({ secret: SECRET, maxDateShiftDays: 100 });
    const make = (date: string): DicomDataset => ({
      '00100020': { vr: 'LO', Value: ['SUBJ-7'] },
      '00080020': { vr: 'DA', Value: [date] },
      '0008002A': { vr: 'DT', Value: [`${date}101500.000000`] },
    });
    const baseline = make('20240110');
    const followUp = make('20250315');
    const r1 = deid.deidentify({}, baseline);
    deid.deidentify({}, followUp);
    expect(r1.dateOffsetDays).toBeGreaterThanOrEqual(1);
    expect(r1.dateOffsetDays).toBeLessThanOrEqual(100);
    const d1 = Date.parse(
      String(first(baseline, '00080020')).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3'),
    );
    const d2 = Date.parse(
      String(first(followUp, '00080020')).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3'),
    );
    expect((d2 - d1) / 86_400_000).toBe(430);
    expect(first(baseline, '00080020')).not.toBe('20240110');
    expect(String(first(baseline, '0008002A')).slice(8)).toBe('101500.000000');
  });

  it('shifts dates across month and year boundaries and empties unparseable dates', () => {
    expect(shiftDate('20240301', 1, 'DA')).toBe('20240229');
    expect(shiftDate('20240105', 10, 'DA')).toBe('20231226');
    expect(shiftDate('1994.01.30', 30, 'DA')).toBe('19931231');
    expect(shiftDate('20240110-20240120', 10, 'DA')).toBe('20231231-20240110');
    expect(shiftDate('unknown', 10, 'DA')).toBe('');
  });

  it('removes private attributes unless allow-listed as safe', () => {
    const make = (): DicomDataset => ({
      '00100020': { vr: 'LO', Value: ['ID1'] },
      '00290010': { vr: 'LO', Value: ['SIEMENS CSA HEADER'] },
      '00291010': { vr: 'OB', Value: [new TextEncoder().encode('Doe^John').buffer] },
      '00291020': { vr: 'LO', Value: ['safe value'] },
    });
    const removed = make();
    new Deidentifier({ secret: SECRET }).deidentify({}, removed);
    expect(Object.keys(removed).filter((t) => t.startsWith('0029'))).toEqual([]);
    const kept = make();
    new Deidentifier({ secret: SECRET, safePrivate: ['SIEMENS CSA HEADER/20'] }).deidentify(
      {},
      kept,
    );
    expect(first(kept, '00291020')).toBe('safe value');
    expect(kept['00291010']).toBeUndefined();
  });

  it('removes private attributes nested in sequences', () => {
    const { meta, dataset } = load('nested_priv_SQ.dcm');
    new Deidentifier({ secret: SECRET }).deidentify(meta, dataset);
    const hasPrivate = (ds: DicomDataset): boolean =>
      Object.entries(ds).some(
        ([tag, el]) =>
          Number.parseInt(tag.slice(0, 4), 16) % 2 === 1 ||
          (el.vr === 'SQ' && (el.Value ?? []).some((item) => hasPrivate(item as DicomDataset))),
      );
    expect(hasPrivate(dataset)).toBe(false);
  });

  it('keeps sex, age, size and weight and records the profile and options applied', () => {
    const { meta, dataset } = load('MR_small.dcm');
    const result = new Deidentifier({ secret: SECRET }).deidentify(meta, dataset);
    expect(result.sex).toBe('F');
    expect(first(dataset, '00100040')).toBe('F');
    expect(first(dataset, '00101030')).toBe(80);
    expect(first(dataset, '00120062')).toBe('YES');
    expect(first(dataset, '00280303')).toBe('MODIFIED');
    const codes = (dataset['00120064']?.Value ?? []).map((item) =>
      first(item as DicomDataset, '00080100'),
    );
    expect(codes).toEqual(['113100', '113105', '113107', '113108', '113109']);
  });

  it('writes a file that contains none of the original identifying bytes', () => {
    const original = readFileSync(PYDICOM + 'MR_small.dcm');
    const { meta, dataset } = load('MR_small.dcm');
    const originalUids = ['0020000D', '0020000E', '00080018', '00200052'].map((t) =>
      String(first(dataset, t)),
    );
    new Deidentifier({ secret: SECRET }).deidentify(meta, dataset);
    const written = Buffer.from(writePart10(meta, dataset));
    expect(original.includes('CompressedSamples')).toBe(true);
    for (const needle of ['CompressedSamples', '4MR1', ...originalUids]) {
      expect(written.includes(needle), needle).toBe(false);
    }
    const reread = readPart10(written);
    expect(first(reread.dataset, '00120062')).toBe('YES');
  });

  it('scrubs the patient name out of retained descriptors', () => {
    const dataset: DicomDataset = {
      '00100020': { vr: 'LO', Value: ['12345'] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Mustermann^Erika' }] },
      '0008103E': { vr: 'LO', Value: ['T1 MPRAGE Mustermann 12345'] },
    };
    new Deidentifier({ secret: SECRET }).deidentify({}, dataset);
    expect(first(dataset, '0008103E')).toBe('T1 MPRAGE  ');
  });

  it('rejects a secret too short to key a pseudonym', () => {
    expect(() => new Deidentifier({ secret: 'short' })).toThrow(/at least 16 bytes/);
  });
});
