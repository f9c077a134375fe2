import { PlatformError } from '../../core/index.js';
import { FE_CELL_TYPE, FE_NODES_PER_CELL } from './fe-mesh.js';
import type { FeMesh } from './fe-mesh.js';

/** A point or cell data array to add to a `.vtu` file. */
export interface FeDataArray {
  /** Array name as ParaView shows it. */
  readonly name: string;
  /** One value per point or cell (times `components`). */
  readonly values: Float32Array | Float64Array | Int32Array | Uint8Array;
  /** @defaultValue 1 */
  readonly components?: number;
}

/** Options of {@link writeFeMeshVtu}. */
export interface WriteFeVtuOptions {
  /** Extra cell data (e.g. per-cell scaled Jacobian). */
  readonly cellData?: readonly FeDataArray[];
  /** Extra point data. */
  readonly pointData?: readonly FeDataArray[];
  /**
   * Write each node set as a UInt8 point array `nodeset_<name>` and each element set as a UInt8
   * cell array `elset_<name>` (1 = member), so ParaView can threshold them.
   * @defaultValue true
   */
  readonly includeSets?: boolean;
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** VTK's wedge lists its first triangle clockwise seen from the second (meshio notes the same). */
const VTK_WEDGE_ORDER = [0, 2, 1, 3, 5, 4] as const;

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array;

function vtkType(values: Typed): string {
  if (values instanceof Float32Array) return 'Float32';
  if (values instanceof Float64Array) return 'Float64';
  if (values instanceof Int32Array) return 'Int32';
  return 'UInt8';
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function mask(length: number, members: Uint32Array): Uint8Array {
  const out = new Uint8Array(length);
  for (const m of members) out[m] = 1;
  return out;
}

/**
 * Encodes a mesh as a VTK XML unstructured grid (`.vtu`, VTK file format version 1.0) with raw
 * appended binary data: points (Float64), connectivity, offsets and cell types (12 hexahedron,
 * 13 wedge), cell data `region` (the region id), and optionally node and element sets as 0/1
 * arrays. Readable by ParaView, VTK and meshio.
 *
 * @see {@link https://docs.vtk.org/en/latest/design_documents/VTKFileFormats.html | VTK file formats}
 */
export function writeFeMeshVtu(mesh: FeMesh, options: WriteFeVtuOptions = {}): Uint8Array {
  const nPoints = mesh.points.length / 3;
  const nCells = mesh.cellTypes.length;
  for (const array of [...(options.cellData ?? []), ...(options.pointData ?? [])]) {
    const isCell = (options.cellData ?? []).includes(array);
    const expected = (isCell ? nCells : nPoints) * (array.components ?? 1);
    if (array.values.length !== expected) {
      throw new PlatformError(
        'ERR_MESH_INPUT',
        `data array "${array.name}" has ${array.values.length} values, the mesh needs ${expected}`,
      );
    }
  }
  let connectivityLength = 0;
  for (const t of mesh.cellTypes) connectivityLength += t === FE_CELL_TYPE.wedge ? 6 : 8;
  const connectivity = new Int32Array(connectivityLength);
  const offsets = new Int32Array(nCells);
  let k = 0;
  for (let c = 0; c < nCells; c++) {
    const base = c * FE_NODES_PER_CELL;
    if (mesh.cellTypes[c] === FE_CELL_TYPE.wedge) {
      for (const local of VTK_WEDGE_ORDER) connectivity[k++] = mesh.cells[base + local] ?? 0;
    } else {
      for (let local = 0; local < 8; local++) connectivity[k++] = mesh.cells[base + local] ?? 0;
    }
    offsets[c] = k;
  }
  const region = Int32Array.from(mesh.regions);

  const pointArrays: FeDataArray[] = [...(options.pointData ?? [])];
  const cellArrays: FeDataArray[] = [
    { name: 'region', values: region },
    ...(options.cellData ?? []),
  ];
  if (options.includeSets ?? true) {
    for (const [name, nodes] of Object.entries(mesh.nodeSets)) {
      pointArrays.push({ name: `nodeset_${name}`, values: mask(nPoints, nodes) });
    }
    for (const [name, cells] of Object.entries(mesh.elementSets)) {
      cellArrays.push({ name: `elset_${name}`, values: mask(nCells, cells) });
    }
  }

  const blocks: Typed[] = [];
  let offset = 0;
  const declare = (values: Typed, name: string | undefined, components: number): string => {
    const attrs = [
      `type="${vtkType(values)}"`,
      name === undefined ? '' : `Name="${escapeXml(name)}"`,
      components === 1 ? '' : `NumberOfComponents="${components}"`,
      `format="appended"`,
      `offset="${offset}"`,
    ].filter((a) => a !== '');
    blocks.push(values);
    offset += 8 + values.byteLength;
    return `        <DataArray ${attrs.join(' ')}/>\n`;
  };
  let xml =
    '<?xml version="1.0"?>\n' +
    `<VTKFile type="UnstructuredGrid" version="1.0" byte_order="${HOST_LITTLE_ENDIAN ? 'LittleEndian' : 'BigEndian'}" header_type="UInt64">\n` +
    '  <UnstructuredGrid>\n' +
    `    <Piece NumberOfPoints="${nPoints}" NumberOfCells="${nCells}">\n` +
    '      <PointData>\n';
  for (const a of pointArrays) xml += declare(a.values, a.name, a.components ?? 1);
  xml += '      </PointData>\n      <CellData>\n';
  for (const a of cellArrays) xml += declare(a.values, a.name, a.components ?? 1);
  xml += '      </CellData>\n      <Points>\n';
  xml += declare(mesh.points, 'Points', 3);
  xml += '      </Points>\n      <Cells>\n';
  xml += declare(connectivity, 'connectivity', 1);
  xml += declare(offsets, 'offsets', 1);
  xml += declare(mesh.cellTypes, 'types', 1);
  xml +=
    '      </Cells>\n    </Piece>\n  </UnstructuredGrid>\n  <AppendedData encoding="raw">\n   _';
  const head = new TextEncoder().encode(xml);
  const tail = new TextEncoder().encode('\n  </AppendedData>\n</VTKFile>\n');
  const out = new Uint8Array(head.length + offset + tail.length);
  out.set(head, 0);
  const view = new DataView(out.buffer);
  let at = head.length;
  for (const block of blocks) {
    view.setBigUint64(at, BigInt(block.byteLength), HOST_LITTLE_ENDIAN);
    out.set(new Uint8Array(block.buffer, block.byteOffset, block.byteLength), at + 8);
    at += 8 + block.byteLength;
  }
  out.set(tail, at);
  return out;
}
