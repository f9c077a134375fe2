import { describe, expect, it } from 'vitest';
import { TAG, firstNumber, isPlatformError } from '../../core/index.js';
import type { DicomJson } from '../../core/index.js';
import { sliceOrder, sortSlices } from './sort-slices.js';

const AXIAL = [1, 0, 0, 0, 1, 0];

function slice(
  position: readonly number[] | undefined,
  instance: number,
  extra: Record<string, { vr: string; Value: unknown[] }> = {},
  orientation: readonly number[] = AXIAL,
): DicomJson {
  return {
    [TAG.InstanceNumber]: { vr: 'IS', Value: [instance] },
    [TAG.Rows]: { vr: 'US', Value: [4] },
    [TAG.Columns]: { vr: 'US', Value: [3] },
    [TAG.FrameOfReferenceUID]: { vr: 'UI', Value: ['1.2.3'] },
    ...(position === undefined
      ? {}
      : { [TAG.ImagePositionPatient]: { vr: 'DS', Value: [...position] } }),
    [TAG.ImageOrientationPatient]: { vr: 'DS', Value: [...orientation] },
    ...extra,
  };
}

function instances(slices: readonly DicomJson[]): (number | undefined)[] {
  return slices.map((s) => firstNumber(s, TAG.InstanceNumber));
}

function errorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isPlatformError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a PlatformError');
}

describe('sortSlices', () => {
  it('sorts an axial stack given in reverse order by position along the normal', () => {
    const input = [slice([0, 0, 10], 1), slice([0, 0, 5], 2), slice([0, 0, 0], 3)];
    expect(instances(sortSlices(input))).toEqual([3, 2, 1]);
    expect(sliceOrder(input)).toMatchObject({ order: [2, 1, 0], offsets: [0, 5, 10] });
  });

  it('uses positions, not InstanceNumber or input order', () => {
    const input = [slice([0, 0, -2.5], 9), slice([0, 0, 7.5], 1), slice([0, 0, 2.5], 5)];
    expect(instances(sortSlices(input))).toEqual([9, 5, 1]);
  });

  it('sorts along the normal of a sagittal stack (row +y, column -z: normal -x)', () => {
    const sagittal = [0, 1, 0, 0, 0, -1];
    const input = [-20, 10, 0, -10].map((x, i) => slice([x, 0, 0], i + 1, {}, sagittal));
    const { normal, order } = sliceOrder(input);
    expect(normal[0]).toBeCloseTo(-1, 15);
    // Ascending along -x is descending x: 10, 0, -10, -20.
    expect(order).toEqual([1, 2, 3, 0]);
  });

  it('breaks exact ties by InstanceNumber when duplicates are allowed (tolerance 0)', () => {
    const input = [slice([0, 0, 1], 4), slice([0, 0, 1], 2), slice([0, 0, 0], 3)];
    expect(instances(sortSlices(input, { positionToleranceMm: 0 }))).toEqual([3, 2, 4]);
  });

  it('rejects an empty series', () => {
    expect(errorOf(() => sortSlices([])).code).toBe('ERR_SERIES_EMPTY');
  });

  it('rejects mixed orientations, naming ImageOrientationPatient', () => {
    const e = errorOf(() =>
      sortSlices([slice([0, 0, 0], 1), slice([0, 0, 1], 2, {}, [1, 0, 0, 0, 0, -1])]),
    );
    expect(e.code).toBe('ERR_SERIES_INCONSISTENT');
    expect(e.message).toContain('ImageOrientationPatient (0020,0037)');
  });

  it('rejects different Rows, Columns or FrameOfReferenceUID, naming the attribute', () => {
    const rows = errorOf(() =>
      sortSlices([
        slice([0, 0, 0], 1),
        slice([0, 0, 1], 2, { [TAG.Rows]: { vr: 'US', Value: [5] } }),
      ]),
    );
    expect(rows).toMatchObject({ code: 'ERR_SERIES_INCONSISTENT' });
    expect(rows.message).toContain('Rows (0028,0010)');
    const columns = errorOf(() =>
      sortSlices([
        slice([0, 0, 0], 1),
        slice([0, 0, 1], 2, { [TAG.Columns]: { vr: 'US', Value: [5] } }),
      ]),
    );
    expect(columns.message).toContain('Columns (0028,0011)');
    const frame = errorOf(() =>
      sortSlices([
        slice([0, 0, 0], 1),
        slice([0, 0, 1], 2, { [TAG.FrameOfReferenceUID]: { vr: 'UI', Value: ['1.2.4'] } }),
      ]),
    );
    expect(frame.code).toBe('ERR_SERIES_INCONSISTENT');
    expect(frame.message).toContain('FrameOfReferenceUID (0020,0052)');
  });

  it('reports duplicate positions with the slices that share them', () => {
    const e = errorOf(() =>
      sortSlices([
        slice([0, 0, 0], 1),
        slice([0, 0, 1], 2),
        slice([0, 0, 1.0004], 3),
        slice([0, 0, 2], 4),
      ]),
    );
    expect(e.code).toBe('ERR_SERIES_INCONSISTENT');
    expect(e.message).toContain('duplicate slice positions');
    expect(e.message).toContain('InstanceNumber 2');
    expect(e.message).toContain('InstanceNumber 3');
  });

  it('reports multiple echoes at every position with the count per position', () => {
    const input = [0, 1, 2].flatMap((z) => [
      slice([0, 0, z], 2 * z + 1),
      slice([0, 0, z], 2 * z + 2),
    ]);
    const e = errorOf(() => sortSlices(input));
    expect(e.code).toBe('ERR_SERIES_INCONSISTENT');
    expect(e.message).toContain('3 slice positions hold 2 images each (6 images)');
  });

  it('rejects slices without position or orientation with ERR_SERIES_GEOMETRY', () => {
    expect(errorOf(() => sortSlices([slice(undefined, 1)]))).toMatchObject({
      code: 'ERR_SERIES_GEOMETRY',
      message: expect.stringContaining('ImagePositionPatient (0020,0032)') as unknown,
    });
    const noOrientation = Object.fromEntries(
      Object.entries(slice([0, 0, 0], 1)).filter(([tag]) => tag !== TAG.ImageOrientationPatient),
    );
    expect(errorOf(() => sortSlices([noOrientation]))).toMatchObject({
      code: 'ERR_SERIES_GEOMETRY',
      message: expect.stringContaining('ImageOrientationPatient (0020,0037)') as unknown,
    });
  });
});
