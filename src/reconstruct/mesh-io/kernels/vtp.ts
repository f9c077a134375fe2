import type { TriangleMesh } from '../../../core/index.js';
import { badMesh, checkIndices, f32 } from './text.js';

type ArrayType = 'Float32' | 'Int32';

/**
 * One `DataArray`: ASCII text, or inline `binary` (base64). For binary, VTK encodes a UInt64 byte
 * count (the file's `header_type`) and the data as two separate base64 blocks (vtkXMLWriter's
 * uncompressed inline layout), which is what VTK's reader expects.
 */
function dataArray(
  name: string,
  type: ArrayType,
  components: number,
  data: Float32Array | Int32Array,
  binary: boolean,
): string {
  const attrs = `type="${type}" Name="${name}"${components > 1 ? ` NumberOfComponents="${components}"` : ''}`;
  if (!binary) {
    const parts: string[] = [];
    for (const x of data) parts.push(type === 'Float32' ? f32(x) : String(x));
    return `<DataArray ${attrs} format="ascii">\n${parts.join(' ')}\n</DataArray>`;
  }
  const raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const header = Buffer.alloc(8);
  header.writeBigUInt64LE(BigInt(raw.length));
  return `<DataArray ${attrs} format="binary">\n${header.toString('base64')}${raw.toString('base64')}\n</DataArray>`;
}

/**
 * VTK XML polydata (`.vtp`, VTKFile version 1.0, little-endian, UInt64 headers): points,
 * triangles as `connectivity`/`offsets`, and point normals when present. `binary` writes inline
 * base64 (no compression), else ASCII.
 */
export function writeVtp(mesh: TriangleMesh, binary = true): Uint8Array {
  const nv = mesh.points.length / 3;
  const nf = mesh.triangles.length / 3;
  const offsets = new Int32Array(nf);
  for (let f = 0; f < nf; f++) offsets[f] = 3 * (f + 1);
  const conn = new Int32Array(
    mesh.triangles.buffer,
    mesh.triangles.byteOffset,
    mesh.triangles.length,
  );
  const normals = mesh.normals?.length === mesh.points.length ? mesh.normals : undefined;
  const xml = [
    '<?xml version="1.0"?>',
    '<VTKFile type="PolyData" version="1.0" byte_order="LittleEndian" header_type="UInt64">',
    '<PolyData>',
    `<Piece NumberOfPoints="${nv}" NumberOfVerts="0" NumberOfLines="0" NumberOfStrips="0" NumberOfPolys="${nf}">`,
    normals ? '<PointData Normals="Normals">' : '<PointData>',
    ...(normals ? [dataArray('Normals', 'Float32', 3, normals, binary)] : []),
    '</PointData>',
    '<Points>',
    dataArray('Points', 'Float32', 3, mesh.points, binary),
    '</Points>',
    '<Polys>',
    dataArray('connectivity', 'Int32', 1, conn, binary),
    dataArray('offsets', 'Int32', 1, offsets, binary),
    '</Polys>',
    '</Piece>',
    '</PolyData>',
    '</VTKFile>',
    '',
  ].join('\n');
  return new TextEncoder().encode(xml);
}

const TYPE_SIZE: Record<string, number> = {
  Int8: 1,
  UInt8: 1,
  Int16: 2,
  UInt16: 2,
  Int32: 4,
  UInt32: 4,
  Int64: 8,
  UInt64: 8,
  Float32: 4,
  Float64: 8,
};

function decodeArray(attrs: string, body: string, headerType: string): Float64Array {
  const attr = (n: string): string | undefined => new RegExp(`\\b${n}="([^"]*)"`).exec(attrs)?.[1];
  const type = attr('type') ?? '';
  const format = attr('format') ?? 'ascii';
  if (format === 'ascii') {
    const toks = body
      .trim()
      .split(/\s+/)
      .filter((s) => s.length > 0);
    return Float64Array.from(toks, Number);
  }
  if (format !== 'binary')
    throw badMesh('VTP', `DataArray format "${format}" (appended data is not read)`);
  const size = TYPE_SIZE[type];
  if (size === undefined) throw badMesh('VTP', `DataArray type "${type}"`);
  const text = body.replace(/\s+/g, '');
  const hsize = headerType === 'UInt64' ? 8 : 4;
  const hchars = 4 * Math.ceil(hsize / 3);
  // Header and data are separate base64 blocks (VTK); fall back to one joint block.
  const header = Buffer.from(text.slice(0, hchars), 'base64');
  const nbytes = hsize === 8 ? Number(header.readBigUInt64LE(0)) : header.readUInt32LE(0);
  let data = Buffer.from(text.slice(hchars), 'base64');
  if (data.length < nbytes) data = Buffer.from(text, 'base64').subarray(hsize);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = Math.floor(nbytes / size);
  const out = new Float64Array(n);
  for (let q = 0; q < n; q++) {
    const o = q * size;
    switch (type) {
      case 'Float32':
        out[q] = view.getFloat32(o, true);
        break;
      case 'Float64':
        out[q] = view.getFloat64(o, true);
        break;
      case 'Int8':
        out[q] = view.getInt8(o);
        break;
      case 'UInt8':
        out[q] = view.getUint8(o);
        break;
      case 'Int16':
        out[q] = view.getInt16(o, true);
        break;
      case 'UInt16':
        out[q] = view.getUint16(o, true);
        break;
      case 'Int32':
        out[q] = view.getInt32(o, true);
        break;
      case 'UInt32':
        out[q] = view.getUint32(o, true);
        break;
      default:
        out[q] = Number(view.getBigInt64(o, true));
    }
  }
  return out;
}

/**
 * Reads a `.vtp` written with ASCII or inline binary (uncompressed) arrays, little-endian: the
 * first piece's points, polygons (fanned into triangles) and point normals.
 */
export function readVtp(bytes: Uint8Array): TriangleMesh {
  const xml = new TextDecoder().decode(bytes);
  if (!/<VTKFile[^>]*type="PolyData"/.test(xml))
    throw badMesh('VTP', 'no <VTKFile type="PolyData">');
  if (xml.includes('compressor="')) throw badMesh('VTP', 'compressed arrays are not read');
  if (xml.includes('byte_order="BigEndian"')) throw badMesh('VTP', 'big-endian files are not read');
  const headerType = /header_type="(\w+)"/.exec(xml)?.[1] ?? 'UInt32';
  const section = (tag: string): string =>
    new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`).exec(xml)?.[1] ?? '';
  const arrays = (text: string): Map<string, Float64Array> => {
    const out = new Map<string, Float64Array>();
    for (const m of text.matchAll(/<DataArray([^>]*)>([\s\S]*?)<\/DataArray>/g)) {
      const name = /\bName="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '';
      out.set(name, decodeArray(m[1] ?? '', m[2] ?? '', headerType));
    }
    return out;
  };
  const pts = [...arrays(section('Points')).values()][0];
  if (pts === undefined) throw badMesh('VTP', 'no <Points> array');
  const polys = arrays(section('Polys'));
  const conn = polys.get('connectivity') ?? new Float64Array(0);
  const offs = polys.get('offsets') ?? new Float64Array(0);
  const tris: number[] = [];
  let s = 0;
  for (const e of offs) {
    for (let v = s + 1; v + 1 < e; v++) tris.push(conn[s]!, conn[v]!, conn[v + 1]!);
    s = e;
  }
  const points = Float32Array.from(pts);
  const triangles = Uint32Array.from(tris);
  checkIndices('VTP', triangles, points.length / 3);
  const normalArray = arrays(section('PointData')).get('Normals');
  return normalArray?.length === points.length
    ? { points, triangles, normals: Float32Array.from(normalArray) }
    : { points, triangles };
}
