import type { TriangleMesh } from '../../../core/index.js';
import { badMesh, checkIndices, f32 } from './text.js';

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * VTK legacy polydata, file version 3.0 (readable by every VTK since 4, ParaView, meshio, ITK):
 * `POINTS` as float, `POLYGONS` as `3 a b c` rows, and `NORMALS` point data when present.
 * Binary data are big-endian, as the legacy format requires.
 */
export function writeVtkLegacy(mesh: TriangleMesh, binary = true): Uint8Array {
  const p = mesh.points;
  const t = mesh.triangles;
  const nv = p.length / 3;
  const nf = t.length / 3;
  const normals = mesh.normals?.length === p.length ? mesh.normals : undefined;
  const enc = new TextEncoder();
  const head = enc.encode(
    `# vtk DataFile Version 3.0\nmedscale surface (mm, LPS)\n${binary ? 'BINARY' : 'ASCII'}\nDATASET POLYDATA\nPOINTS ${nv} float\n`,
  );
  const floats = (a: Float32Array): Uint8Array => {
    if (!binary) {
      const lines: string[] = [];
      for (let v = 0; v < a.length; v += 3)
        lines.push(`${f32(a[v]!)} ${f32(a[v + 1]!)} ${f32(a[v + 2]!)}`);
      return enc.encode(`${lines.join('\n')}\n`);
    }
    const out = new Uint8Array(4 * a.length + 1);
    const view = new DataView(out.buffer);
    for (let q = 0; q < a.length; q++) view.setFloat32(4 * q, a[q]!, false);
    out[4 * a.length] = 10;
    return out;
  };
  let polys: Uint8Array;
  if (binary) {
    polys = new Uint8Array(16 * nf + 1);
    const view = new DataView(polys.buffer);
    for (let f = 0; f < nf; f++) {
      view.setInt32(16 * f, 3, false);
      view.setInt32(16 * f + 4, t[3 * f]!, false);
      view.setInt32(16 * f + 8, t[3 * f + 1]!, false);
      view.setInt32(16 * f + 12, t[3 * f + 2]!, false);
    }
    polys[16 * nf] = 10;
  } else {
    const lines: string[] = [];
    for (let f = 0; f < nf; f++) lines.push(`3 ${t[3 * f]!} ${t[3 * f + 1]!} ${t[3 * f + 2]!}`);
    polys = enc.encode(`${lines.join('\n')}\n`);
  }
  const parts = [head, floats(p), enc.encode(`POLYGONS ${nf} ${4 * nf}\n`), polys];
  if (normals) parts.push(enc.encode(`POINT_DATA ${nv}\nNORMALS Normals float\n`), floats(normals));
  return concat(parts);
}

/** A cursor over a legacy file: text lines and tokens, or raw big-endian arrays in binary mode. */
class Cursor {
  pos = 0;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  line(): string | undefined {
    while (this.pos < this.bytes.length) {
      let e = this.bytes.indexOf(10, this.pos);
      if (e < 0) e = this.bytes.length;
      const s = new TextDecoder('latin1').decode(this.bytes.subarray(this.pos, e)).trim();
      this.pos = e + 1;
      if (s.length > 0) return s;
    }
    return undefined;
  }
  /** `count` numbers as text tokens spread over lines. */
  numbers(count: number): Float64Array {
    const out = new Float64Array(count);
    let k = 0;
    while (k < count) {
      const l = this.line();
      if (l === undefined) throw badMesh('VTK', 'data end early');
      for (const tok of l.split(/\s+/)) {
        if (k < count) out[k++] = Number(tok);
      }
    }
    return out;
  }
  binary(count: number, type: string): Float64Array {
    const size = /double|int64|vtktypeint64/.test(type)
      ? 8
      : type.includes('short')
        ? 2
        : type.includes('char')
          ? 1
          : 4;
    if (this.pos + count * size > this.bytes.length) throw badMesh('VTK', 'binary data end early');
    const out = new Float64Array(count);
    for (let q = 0; q < count; q++) {
      const o = this.pos + q * size;
      if (type === 'float') out[q] = this.view.getFloat32(o, false);
      else if (type === 'double') out[q] = this.view.getFloat64(o, false);
      else if (size === 8) out[q] = Number(this.view.getBigInt64(o, false));
      else if (size === 4) out[q] = this.view.getInt32(o, false);
      else if (size === 2) out[q] = this.view.getInt16(o, false);
      else out[q] = this.view.getUint8(o);
    }
    this.pos += count * size;
    return out;
  }
}

/**
 * Reads VTK legacy polydata (ASCII or binary; file versions up to 4.2 with `POLYGONS n size`
 * rows, and 5.1 with `OFFSETS`/`CONNECTIVITY` arrays): points, polygons (fanned into triangles)
 * and `NORMALS` point data.
 */
export function readVtkLegacy(bytes: Uint8Array): TriangleMesh {
  const c = new Cursor(bytes);
  const magic = c.line();
  if (magic?.startsWith('# vtk DataFile') !== true)
    throw badMesh('VTK', 'no "# vtk DataFile" line');
  c.line(); // title
  const mode = c.line()?.toUpperCase();
  if (mode !== 'ASCII' && mode !== 'BINARY') throw badMesh('VTK', `mode "${mode ?? ''}"`);
  const binary = mode === 'BINARY';
  const read = (count: number, type: string): Float64Array =>
    binary ? c.binary(count, type) : c.numbers(count);
  let points: Float32Array | undefined;
  let normals: Float32Array | undefined;
  const tris: number[] = [];
  for (let l = c.line(); l !== undefined; l = c.line()) {
    const tok = l.split(/\s+/);
    const key = tok[0]?.toUpperCase();
    if (key === 'DATASET' && tok[1]?.toUpperCase() !== 'POLYDATA') {
      throw badMesh('VTK', `dataset ${tok[1] ?? ''} is not POLYDATA`);
    } else if (key === 'POINTS') {
      points = Float32Array.from(read(3 * Number(tok[1]), tok[2] ?? 'float'));
    } else if (key === 'POLYGONS') {
      const n = Number(tok[1]);
      const size = Number(tok[2]);
      const next = bytes.subarray(c.pos, c.pos + 7);
      if (new TextDecoder().decode(next) === 'OFFSETS') {
        // File version 5.1: OFFSETS (n values) then CONNECTIVITY (size values).
        const offType = c.line()?.split(/\s+/)[1] ?? 'vtktypeint64';
        const offsets = read(n, offType);
        const connType = c.line()?.split(/\s+/)[1] ?? 'vtktypeint64';
        const conn = read(size, connType);
        for (let q = 0; q + 1 < n; q++) {
          const s = offsets[q]!,
            e = offsets[q + 1]!;
          for (let v = s + 1; v + 1 < e; v++) tris.push(conn[s]!, conn[v]!, conn[v + 1]!);
        }
      } else {
        const rows = read(size, 'int');
        let o = 0;
        for (let q = 0; q < n; q++) {
          const m = rows[o]!;
          for (let v = 1; v + 1 < m; v++)
            tris.push(rows[o + 1]!, rows[o + 1 + v]!, rows[o + 2 + v]!);
          o += m + 1;
        }
      }
    } else if (key === 'NORMALS' && points) {
      normals = Float32Array.from(read(points.length, tok[2] ?? 'float'));
    } else if (key === 'VERTICES' || key === 'LINES' || key === 'TRIANGLE_STRIPS') {
      read(Number(tok[2]), 'int');
    }
  }
  if (points === undefined) throw badMesh('VTK', 'no POINTS');
  const triangles = Uint32Array.from(tris);
  checkIndices('VTK', triangles, points.length / 3);
  return normals ? { points, triangles, normals } : { points, triangles };
}
