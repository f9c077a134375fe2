import { describe, expect, it } from 'vitest';
import { isUid } from '../core/index.js';
import type { Vec3 } from '../core/index.js';
import { readPart10, writePart10 } from '../dicom/index.js';
import { encodeCsa2 } from './csa.js';
import type { SeriesGeometry } from './geometry.js';
import { imagePosition, orientationAxes } from './geometry.js';
import { readProtocolFile } from '../protocol/index.js';
import { createSeriesEncoder, ds, fileMeta, instanceDataset, seriesDataset } from './mr-headers.js';
import type { PatientHeader, SeriesHeader, StudyHeader } from './mr-headers.js';
import { makeSites } from './people.js';
import { createRandom, deriveUid } from './random.js';

const PATIENT: PatientHeader = {
  name: 'Müller^Jürgen',
  id: 'AUG104242',
  birthDate: '19620314',
  sex: 'M',
  address: 'Hauptstraße 5, 86156 Augsburg, DE',
  telephone: '+49 821 1234567',
  cohortId: 'C123456789',
  heightM: 1.81,
  weightKg: 84.5,
  age: '054Y',
};

const STUDY: StudyHeader = {
  studyInstanceUid: deriveUid('test', 'study'),
  frameOfReferenceUid: deriveUid('test', 'for'),
  date: '20160412',
  time: '083500',
  accessionNumber: 'AUG16000001',
  studyId: '1',
  requestedProcedureId: 'RP00000001',
  scheduledProcedureStepId: 'SPS00000001',
  performedProcedureStepId: 'PPS00000001',
  referringPhysician: 'Weiß^Götz',
  performingPhysician: 'Krämer^Anna',
  operator: 'Schäfer^Bärbel',
};

async function seriesFixture(index: number) {
  const protocol = await readProtocolFile();
  const series = protocol.series[index]!;
  const site = makeSites(1, (id) => createRandom('test', id))[0]!;
  const axes = orientationAxes(series.orientation, [0.55, -0.45, -0.7]);
  const p = series.parameters;
  const geometry: SeriesGeometry = {
    rowDirection: axes.row,
    columnDirection: axes.column,
    normal: axes.normal,
    centre: [1.5, -20.25, 150.1],
    rows: p.rows,
    columns: p.columns,
    slices: 4,
    pixelSpacingMm: p.pixelSpacingMm,
    spacingBetweenSlicesMm: p.spacingBetweenSlicesMm,
  };
  const header: SeriesHeader = {
    series,
    seriesInstanceUid: deriveUid('test', 'series', index),
    time: '084012',
    repetitionTimeMs: p.repetitionTimeMs,
    echoTimeMs: p.echoTimeMs,
    flipAngleDeg: p.flipAngleDeg,
    sliceThicknessMm: p.sliceThicknessMm,
    geometry,
    window: [1200, 2400],
    sarWPerKg: 1.25,
    tablePositionMm: 150,
  };
  return { protocol, site, geometry, base: seriesDataset(protocol, site, PATIENT, STUDY, header) };
}

describe('createSeriesEncoder', () => {
  it('writes exactly what writePart10 writes for the full dataset, for every instance', async () => {
    // The cine short axis is double-oblique: long, negative and fractional positions.
    for (const index of [0, 4, 6]) {
      const { site, geometry, base } = await seriesFixture(index);
      const uid = (k: number): string => deriveUid('test', 'sop', index, k);
      const first = {
        sopInstanceUid: uid(1),
        instanceNumber: 1,
        position: imagePosition(geometry, 0),
      };
      const encode = createSeriesEncoder(base, site.aeTitle, first, geometry.normal);
      const count = geometry.rows * geometry.columns;
      for (const k of [1, 2, 4, 10, 100, 1000]) {
        const position: Vec3 = imagePosition(geometry, k - 1);
        const pixels = Uint16Array.from({ length: count }, (_, i) => (i * 7 + k) % 4096);
        const fast = encode(
          { sopInstanceUid: uid(k), instanceNumber: k, position },
          count,
          (out) => {
            out.set(pixels);
          },
        );
        const reference = writePart10(fileMeta(uid(k), site.aeTitle), {
          ...instanceDataset(base, uid(k), k, position, geometry.normal),
          '7FE00010': { vr: 'OW', Value: [pixels.buffer] },
        });
        expect(
          Buffer.from(fast).equals(Buffer.from(reference)),
          `series ${index}, instance ${k}`,
        ).toBe(true);
      }
    }
  });

  it('writes UTF-8 names that read back unchanged', async () => {
    const { site, geometry, base } = await seriesFixture(0);
    const first = {
      sopInstanceUid: deriveUid('x'),
      instanceNumber: 1,
      position: imagePosition(geometry, 0),
    };
    const file = createSeriesEncoder(
      base,
      site.aeTitle,
      first,
      geometry.normal,
    )(first, geometry.rows * geometry.columns, () => undefined);
    const { dataset } = readPart10(file);
    expect(dataset['00100010']?.Value?.[0]).toMatchObject({ Alphabetic: 'Müller^Jürgen' });
    expect(dataset['00081070']?.Value?.[0]).toMatchObject({ Alphabetic: 'Schäfer^Bärbel' });
  });
});

describe('ds', () => {
  it('formats decimal strings with at most 6 decimals and no negative zero', () => {
    expect(ds(2.98)).toBe('2.98');
    expect(ds(-0.0000001)).toBe('0');
    expect(ds(123.4567891)).toBe('123.456789');
    expect(ds(-1234.5)).toBe('-1234.5');
    expect(ds(1e-7)).toBe('0');
  });
});

describe('deriveUid', () => {
  it('makes valid 44-character 2.25 UIDs whose 128-bit value is an RFC 9562 version-8 UUID', () => {
    for (let i = 0; i < 200; i++) {
      const uid = deriveUid('seed', 'sop', i);
      expect(isUid(uid)).toBe(true);
      expect(uid).toHaveLength(44);
      const hex = BigInt(uid.slice(5)).toString(16).padStart(32, '0');
      expect(hex[12]).toBe('8');
      expect(['8', '9', 'a', 'b']).toContain(hex[16]);
    }
    expect(deriveUid('a', 1)).toBe(deriveUid('a', 1));
    expect(deriveUid('a', 1)).not.toBe(deriveUid('a', 2));
  });
});

describe('createRandom', () => {
  it('repeats for the same name and differs between names', () => {
    const draw = (r: ReturnType<typeof createRandom>): number[] =>
      Array.from({ length: 5 }, () => r.nextUint32());
    expect(draw(createRandom('s', 1))).toEqual(draw(createRandom('s', 1)));
    expect(draw(createRandom('s', 1))).not.toEqual(draw(createRandom('s', 2)));
  });

  it('draws uniform floats and normal deviates with the right moments', () => {
    const r = createRandom('moments');
    let sum = 0;
    let sumNormal = 0;
    let sumSquares = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      sum += r.next();
      const z = r.normal();
      sumNormal += z;
      sumSquares += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 1);
    expect(sumNormal / n).toBeCloseTo(0, 1);
    expect(sumSquares / n).toBeCloseTo(1, 1);
  });
});

describe('encodeCsa2', () => {
  it('writes the SV10 layout nibabel and dcm2niix read', () => {
    const bytes = encodeCsa2([
      { name: 'SliceNormalVector', vr: 'FD', items: ['0', '0', '1'] },
      { name: 'B_value', vr: 'IS', items: ['1000'] },
    ]);
    const view = new DataView(bytes.buffer);
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('SV10');
    expect(view.getUint32(8, true)).toBe(2);
    expect(view.getUint32(12, true)).toBe(77);
    // First element: name, VM 3, VR "FD", 3 items; first item "0\0" of length 2, padded to 4.
    expect(Buffer.from(bytes.subarray(16, 33)).toString('latin1')).toBe('SliceNormalVector');
    expect(view.getInt32(16 + 64, true)).toBe(3);
    expect(Buffer.from(bytes.subarray(16 + 68, 16 + 70)).toString('latin1')).toBe('FD');
    expect(view.getInt32(16 + 76, true)).toBe(3);
    expect(view.getInt32(16 + 84 + 4, true)).toBe(2);
    expect(bytes.length % 4).toBe(0);
  });
});
