import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createVolume, isPlatformError } from '../core/index.js';
import type { Mat3, Vec3, Volume, VoxelArray } from '../core/index.js';
import {
  nifti1AffineFromQuatern,
  nifti1QuaternFromAffine,
  volumeToNifti1Affine,
} from './nifti1-header.js';
import type { Nifti1Affine } from './nifti1-header.js';
import { readNifti1, readNifti1Header } from './read-nifti1.js';
import { writeNifti1, writeNifti1Gz } from './write-nifti1.js';

function volume<T extends VoxelArray>(
  data: T,
  direction: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1],
  origin: Vec3 = [-10, 20, 30],
): Volume<T> {
  return createVolume({
    dimensions: [4, 3, 2],
    spacing: [0.5, 0.75, 2.5],
    origin,
    direction,
    data,
  });
}

/** A rotation matrix, column by column, from Euler angles in degrees (z, then y, then x). */
function rotation(az: number, ay: number, ax: number): Mat3 {
  const [a, b, c] = [az, ay, ax].map((d) => (d * Math.PI) / 180) as [number, number, number];
  const [ca, sa, cb, sb, cc, sc] = [
    Math.cos(a),
    Math.sin(a),
    Math.cos(b),
    Math.sin(b),
    Math.cos(c),
    Math.sin(c),
  ];
  // R = Rz(a) Ry(b) Rx(c); rows written out, then stored column by column.
  const r = [
    [ca * cb, ca * sb * sc - sa * cc, ca * sb * cc + sa * sc],
    [sa * cb, sa * sb * sc + ca * cc, sa * sb * cc - ca * sc],
    [-sb, cb * sc, cb * cc],
  ];
  return [0, 1, 2].flatMap((col) => [0, 1, 2].map((row) => r[row]![col]!)) as unknown as Mat3;
}

function expectAffineClose(actual: Nifti1Affine, expected: Nifti1Affine, tolerance: number): void {
  const worst = Math.max(...actual.map((v, i) => Math.abs(v - expected[i]!)));
  expect(worst).toBeLessThan(tolerance);
}

describe('writeNifti1', () => {
  it('writes the NIfTI-1 header fields exactly (nifti1.h offsets)', () => {
    const bytes = writeNifti1(volume(new Int16Array(24)), { description: 'phantom' });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(bytes.length).toBe(352 + 48);
    expect(view.getInt32(0, true)).toBe(348); // sizeof_hdr
    expect(Array.from({ length: 8 }, (_, i) => view.getInt16(40 + 2 * i, true))).toEqual([
      3, 4, 3, 2, 1, 1, 1, 1,
    ]);
    expect(view.getInt16(70, true)).toBe(4); // DT_INT16
    expect(view.getInt16(72, true)).toBe(16); // bitpix
    expect(Array.from({ length: 4 }, (_, i) => view.getFloat32(76 + 4 * i, true))).toEqual([
      1, 0.5, 0.75, 2.5,
    ]);
    expect(view.getFloat32(108, true)).toBe(352); // vox_offset
    expect(view.getFloat32(112, true)).toBe(1); // scl_slope
    expect(view.getFloat32(116, true)).toBe(0); // scl_inter
    expect(view.getUint8(123)).toBe(10); // xyzt_units: NIFTI_UNITS_MM | NIFTI_UNITS_SEC
    expect(new TextDecoder().decode(bytes.subarray(148, 155))).toBe('phantom');
    expect(view.getInt16(252, true)).toBe(1); // qform_code: NIFTI_XFORM_SCANNER_ANAT
    expect(view.getInt16(254, true)).toBe(1); // sform_code
    // LPS identity is RAS diag(-1, -1, 1): a half-turn about z, quaternion (0, 0, 0, 1).
    expect(Array.from({ length: 6 }, (_, i) => view.getFloat32(256 + 4 * i, true))).toEqual([
      0, 0, 1, 10, -20, 30,
    ]);
    expect(Array.from({ length: 12 }, (_, i) => view.getFloat32(280 + 4 * i, true))).toEqual([
      -0.5, -0, -0, 10, -0, -0.75, -0, -20, 0, 0, 2.5, 30,
    ]);
    expect(Array.from(bytes.subarray(344, 352))).toEqual([0x6e, 0x2b, 0x31, 0, 0, 0, 0, 0]); // "n+1\0", no extension
  });

  it('stores each array type with its datatype code and reads it back bit for bit', () => {
    const cases: [VoxelArray, number][] = [
      [Uint8Array.from({ length: 24 }, (_, i) => i * 10), 2],
      [Int16Array.from({ length: 24 }, (_, i) => i * 1000 - 12000), 4],
      [Int32Array.from({ length: 24 }, (_, i) => i * 100000 - 1), 8],
      [Float32Array.from({ length: 24 }, (_, i) => i / 3 - 1024.5), 16],
      [Float64Array.from({ length: 24 }, (_, i) => Math.PI * i), 64],
      [Int8Array.from({ length: 24 }, (_, i) => i - 12), 256],
      [Uint16Array.from({ length: 24 }, (_, i) => i * 2700), 512],
      [Uint32Array.from({ length: 24 }, (_, i) => i * 170000000), 768],
    ];
    for (const [data, code] of cases) {
      const { header, data: back } = readNifti1(writeNifti1(volume(data)));
      expect(header.datatype).toBe(
        Object.entries({
          2: 'uint8',
          4: 'int16',
          8: 'int32',
          16: 'float32',
          64: 'float64',
          256: 'int8',
          512: 'uint16',
          768: 'uint32',
        }).find(([c]) => Number(c) === code)?.[1],
      );
      expect(back.constructor).toBe(data.constructor);
      expect(Array.from(back)).toEqual(Array.from(data));
    }
  });

  it('converts to a requested integer datatype only when every value fits exactly', () => {
    const ok = readNifti1(
      writeNifti1(volume(Float32Array.from({ length: 24 }, (_, i) => i - 1000)), {
        datatype: 'int16',
      }),
    );
    expect(ok.data).toBeInstanceOf(Int16Array);
    expect(ok.data[3]).toBe(-997);
    for (const bad of [0.5, 40000]) {
      const data = new Float32Array(24);
      data[7] = bad;
      try {
        writeNifti1(volume(data), { datatype: 'int16' });
        expect.unreachable();
      } catch (error) {
        expect(isPlatformError(error) && error.code).toBe('ERR_EXPORT');
        expect(String(error)).toContain('voxel 7');
      }
    }
  });

  it('sets sform to the exact RAS affine and a qform that describes the same mapping, for rotations and reflections', () => {
    const cases: readonly (readonly [number, number, number])[] = [
      [0, 0, 0],
      [30, 0, 0],
      [10, 20, 30],
      [-120, 75, 200],
      [180, 0, 0],
      [0, 180, 0],
      [90, 90, 0],
      [179.9, 0.1, 180],
    ];
    for (const angles of cases) {
      for (const flip of [1, -1]) {
        const r = rotation(...angles);
        const direction = [...r.slice(0, 6), ...r.slice(6).map((v) => v * flip)] as unknown as Mat3;
        const v = volume(new Float32Array(24), direction, [12.5, -40, 7]);
        const header = readNifti1Header(writeNifti1(v));
        const exact = volumeToNifti1Affine(v);
        expectAffineClose(header.sformAffine, exact, 1e-5);
        // In double precision the quaternion is exact, up to nifti1_io's rule that reads
        // a² < 1e-7 as a half-turn (a = 0): within 1e-5 of a unit…
        const q = nifti1QuaternFromAffine(exact);
        expectAffineClose(nifti1AffineFromQuatern(q, [0.5, 0.75, 2.5]), exact, 1e-5);
        // …and as stored (float32), read the nifti1_io way, within float32 precision.
        expectAffineClose(header.qformAffine, exact, 1e-5);
        // The LPS→RAS flip is a proper rotation, so a reflected direction needs qfac -1.
        expect(header.quatern.qfac).toBe(flip);
        expect(header.pixdim[0]).toBe(flip);
      }
    }
  });

  it('keeps a sheared (tilted) grid exact in sform and gives qform the nearest rotation', () => {
    const t = Math.PI / 6;
    const v = volume(new Float32Array(24), [1, 0, 0, 0, 1, 0, 0, Math.sin(t), Math.cos(t)]);
    const header = readNifti1Header(writeNifti1(v));
    expectAffineClose(header.sformAffine, volumeToNifti1Affine(v), 1e-6);
    const q = header.qformAffine;
    const columns = [0, 1, 2].map((c) => [q[c]!, q[4 + c]!, q[8 + c]!]);
    const dot = (a: number[], b: number[]): number => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
    expect(Math.abs(dot(columns[0]!, columns[1]!))).toBeLessThan(1e-6);
    expect(Math.abs(dot(columns[1]!, columns[2]!))).toBeLessThan(1e-6);
    expect(Math.abs(dot(columns[0]!, columns[2]!))).toBeLessThan(1e-6);
    expect(nifti1QuaternFromAffine(volumeToNifti1Affine(v)).qfac).toBe(1);
  });

  it('truncates the description to 79 ASCII characters and replaces others', () => {
    const header = readNifti1Header(
      writeNifti1(volume(new Uint8Array(24)), { description: `é${'x'.repeat(100)}` }),
    );
    expect(header.description).toBe(`?${'x'.repeat(78)}`);
  });

  it('writes the same bytes gzip-compressed for .nii.gz, and reads them back', () => {
    const v = volume(Float32Array.from({ length: 24 }, (_, i) => i));
    const gz = writeNifti1Gz(v, { level: 9 });
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(Buffer.from(gunzipSync(gz)).equals(Buffer.from(writeNifti1(v)))).toBe(true);
    expect(Array.from(readNifti1(gz).data)).toEqual(Array.from(v.data));
  });
});

describe('readNifti1', () => {
  it('reads big-endian files', () => {
    const le = writeNifti1(volume(Int16Array.from({ length: 24 }, (_, i) => i * 300 - 4000)));
    const be = new Uint8Array(le);
    const view = new DataView(be.buffer);
    const src = new DataView(le.buffer);
    // Swap every multi-byte header field and the voxels.
    view.setInt32(0, 348, false);
    for (let i = 0; i < 8; i++) view.setInt16(40 + 2 * i, src.getInt16(40 + 2 * i, true), false);
    for (const o of [70, 72, 252, 254]) view.setInt16(o, src.getInt16(o, true), false);
    for (let o = 76; o < 120; o += 4) view.setFloat32(o, src.getFloat32(o, true), false);
    for (let o = 256; o < 328; o += 4) view.setFloat32(o, src.getFloat32(o, true), false);
    for (let o = 352; o < be.length; o += 2) view.setInt16(o, src.getInt16(o, true), false);
    const a = readNifti1(le);
    const b = readNifti1(be);
    expect(b.header.littleEndian).toBe(false);
    expect(b.header.sformAffine).toEqual(a.header.sformAffine);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('reads from a Node Buffer that is a view into a larger pool', () => {
    const bytes = writeNifti1(volume(Int16Array.from({ length: 24 }, (_, i) => i - 5)));
    const pooled = Buffer.alloc(bytes.length + 16);
    pooled.set(bytes, 16);
    const { data } = readNifti1(pooled.subarray(16));
    expect(Array.from(data)).toEqual(Array.from({ length: 24 }, (_, i) => i - 5));
  });

  it('rejects bytes that are not NIfTI-1', () => {
    try {
      readNifti1(new Uint8Array(400));
      expect.unreachable();
    } catch (error) {
      expect(isPlatformError(error) && error.code).toBe('ERR_USAGE');
    }
  });
});
