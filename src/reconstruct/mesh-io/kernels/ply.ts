import type { TriangleMesh } from '../../../core/index.js';
import { badMesh, checkIndices, f32, num } from './text.js';

/**
 * PLY (Turk 1994, the Stanford polygon format): a vertex element with float x, y, z (and nx, ny,
 * nz when the mesh has normals) and a face element with `list uchar int vertex_indices`.
 * `binary` writes `binary_little_endian 1.0`, else `ascii 1.0`.
 */
export function writePly(mesh: TriangleMesh, binary = true): Uint8Array {
  const nv = mesh.points.length / 3;
  const nf = mesh.triangles.length / 3;
  const normals = mesh.normals?.length === mesh.points.length ? mesh.normals : undefined;
  const header = [
    'ply',
    `format ${binary ? 'binary_little_endian' : 'ascii'} 1.0`,
    'comment medscale surface, millimetres, LPS',
    `element vertex ${nv}`,
    'property float x',
    'property float y',
    'property float z',
    ...(normals ? ['property float nx', 'property float ny', 'property float nz'] : []),
    `element face ${nf}`,
    'property list uchar int vertex_indices',
    'end_header',
    '',
  ].join('\n');
  const head = new TextEncoder().encode(header);
  const p = mesh.points;
  const t = mesh.triangles;
  if (!binary) {
    const lines: string[] = [];
    for (let v = 0; v < nv; v++) {
      const xyz = `${f32(p[3 * v]!)} ${f32(p[3 * v + 1]!)} ${f32(p[3 * v + 2]!)}`;
      lines.push(
        normals
          ? `${xyz} ${f32(normals[3 * v]!)} ${f32(normals[3 * v + 1]!)} ${f32(normals[3 * v + 2]!)}`
          : xyz,
      );
    }
    for (let f = 0; f < nf; f++) lines.push(`3 ${t[3 * f]!} ${t[3 * f + 1]!} ${t[3 * f + 2]!}`);
    const body = new TextEncoder().encode(`${lines.join('\n')}\n`);
    const out = new Uint8Array(head.length + body.length);
    out.set(head);
    out.set(body, head.length);
    return out;
  }
  const stride = normals ? 24 : 12;
  const out = new Uint8Array(head.length + nv * stride + nf * 13);
  out.set(head);
  const view = new DataView(out.buffer);
  let o = head.length;
  for (let v = 0; v < nv; v++) {
    view.setFloat32(o, p[3 * v]!, true);
    view.setFloat32(o + 4, p[3 * v + 1]!, true);
    view.setFloat32(o + 8, p[3 * v + 2]!, true);
    if (normals) {
      view.setFloat32(o + 12, normals[3 * v]!, true);
      view.setFloat32(o + 16, normals[3 * v + 1]!, true);
      view.setFloat32(o + 20, normals[3 * v + 2]!, true);
    }
    o += stride;
  }
  for (let f = 0; f < nf; f++) {
    view.setUint8(o, 3);
    view.setInt32(o + 1, t[3 * f]!, true);
    view.setInt32(o + 5, t[3 * f + 1]!, true);
    view.setInt32(o + 9, t[3 * f + 2]!, true);
    o += 13;
  }
  return out;
}

const SIZES: Record<string, number> = {
  char: 1,
  uchar: 1,
  int8: 1,
  uint8: 1,
  short: 2,
  ushort: 2,
  int16: 2,
  uint16: 2,
  int: 4,
  uint: 4,
  int32: 4,
  uint32: 4,
  float: 4,
  float32: 4,
  double: 8,
  float64: 8,
};

function readScalar(view: DataView, o: number, type: string, le: boolean): number {
  switch (type) {
    case 'char':
    case 'int8':
      return view.getInt8(o);
    case 'uchar':
    case 'uint8':
      return view.getUint8(o);
    case 'short':
    case 'int16':
      return view.getInt16(o, le);
    case 'ushort':
    case 'uint16':
      return view.getUint16(o, le);
    case 'int':
    case 'int32':
      return view.getInt32(o, le);
    case 'uint':
    case 'uint32':
      return view.getUint32(o, le);
    case 'float':
    case 'float32':
      return view.getFloat32(o, le);
    case 'double':
    case 'float64':
      return view.getFloat64(o, le);
    default:
      throw badMesh('PLY', `unknown property type "${type}"`);
  }
}

interface PlyProperty {
  readonly name: string;
  readonly type: string;
  /** For list properties: the count type. */
  readonly countType?: string;
}
interface PlyElement {
  readonly name: string;
  readonly count: number;
  readonly properties: PlyProperty[];
}

/**
 * Reads ASCII, binary little- or big-endian PLY: vertex x, y, z (nx, ny, nz when present) and
 * faces (polygons are fanned into triangles). Other elements and properties are skipped.
 */
export function readPly(bytes: Uint8Array): TriangleMesh {
  const probe = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 65536)));
  const end = probe.indexOf('end_header');
  if (!probe.startsWith('ply') || end < 0) throw badMesh('PLY', 'no "ply … end_header" header');
  const nl = probe.indexOf('\n', end);
  const bodyStart = nl + 1;
  const lines = probe
    .slice(0, end)
    .split(/\r?\n/)
    .map((l) => l.trim().split(/\s+/));
  let format = '';
  const elements: PlyElement[] = [];
  for (const l of lines) {
    if (l[0] === 'format') format = l[1] ?? '';
    else if (l[0] === 'element')
      elements.push({ name: l[1] ?? '', count: num('PLY', l[2]), properties: [] });
    else if (l[0] === 'property') {
      const el = elements[elements.length - 1];
      if (el === undefined) throw badMesh('PLY', 'a property before any element');
      if (l[1] === 'list')
        el.properties.push({ name: l[4] ?? '', type: l[3] ?? '', countType: l[2] ?? '' });
      else el.properties.push({ name: l[2] ?? '', type: l[1] ?? '' });
    }
  }
  if (!['ascii', 'binary_little_endian', 'binary_big_endian'].includes(format)) {
    throw badMesh('PLY', `format "${format}"`);
  }
  const vertexEl = elements.find((e) => e.name === 'vertex');
  if (vertexEl === undefined) throw badMesh('PLY', 'no vertex element');
  const nv = vertexEl.count;
  const points = new Float32Array(3 * nv);
  const hasNormals = ['nx', 'ny', 'nz'].every((n) => vertexEl.properties.some((p) => p.name === n));
  const normals = hasNormals ? new Float32Array(3 * nv) : undefined;
  const slot = (name: string): number => ['x', 'y', 'z', 'nx', 'ny', 'nz'].indexOf(name);
  const tris: number[] = [];
  const pushFace = (idx: number[]): void => {
    for (let q = 1; q + 1 < idx.length; q++) tris.push(idx[0]!, idx[q]!, idx[q + 1]!);
  };
  const store = (
    el: PlyElement,
    row: number,
    prop: PlyProperty,
    value: number | number[],
  ): void => {
    if (el === vertexEl && typeof value === 'number') {
      const s = slot(prop.name);
      if (s >= 0 && s < 3) points[3 * row + s] = value;
      else if (s >= 3 && normals) normals[3 * row + s - 3] = value;
    } else if (
      el.name === 'face' &&
      Array.isArray(value) &&
      /^vertex_ind(ex|ices)$/.test(prop.name)
    ) {
      pushFace(value);
    }
  };
  if (format === 'ascii') {
    const text = new TextDecoder().decode(bytes.subarray(bodyStart));
    const tokens = text.split(/\s+/).filter((s) => s.length > 0);
    let k = 0;
    for (const el of elements) {
      for (let row = 0; row < el.count; row++) {
        for (const prop of el.properties) {
          if (prop.countType !== undefined) {
            const n = num('PLY', tokens[k++]);
            const list: number[] = [];
            for (let q = 0; q < n; q++) list.push(num('PLY', tokens[k++]));
            store(el, row, prop, list);
          } else {
            store(el, row, prop, num('PLY', tokens[k++]));
          }
        }
      }
    }
  } else {
    const le = format === 'binary_little_endian';
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let o = bodyStart;
    for (const el of elements) {
      for (let row = 0; row < el.count; row++) {
        for (const prop of el.properties) {
          if (prop.countType !== undefined) {
            const n = readScalar(view, o, prop.countType, le);
            o += SIZES[prop.countType] ?? 0;
            const list: number[] = [];
            for (let q = 0; q < n; q++) {
              list.push(readScalar(view, o, prop.type, le));
              o += SIZES[prop.type] ?? 0;
            }
            store(el, row, prop, list);
          } else {
            if (o + (SIZES[prop.type] ?? 0) > bytes.length) throw badMesh('PLY', 'data ends early');
            store(el, row, prop, readScalar(view, o, prop.type, le));
            o += SIZES[prop.type] ?? 0;
          }
        }
      }
    }
  }
  const triangles = Uint32Array.from(tris);
  checkIndices('PLY', triangles, nv);
  return normals ? { points, triangles, normals } : { points, triangles };
}
