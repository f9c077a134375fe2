import { FE_CELL_TYPE, FE_NODES_PER_CELL } from './fe-mesh.js';
import type { FeMesh } from './fe-mesh.js';
import { TextBuffer, formatCoordinate, pushList } from './kernels/text-writer.js';

/** Options of {@link writeFeMeshInp}. */
export interface WriteFeInpOptions {
  /** Text of the `*HEADING` line. @defaultValue `medscale FE mesh (mm)` */
  readonly heading?: string;
}

/** Abaqus names: letters, digits and `_`, starting with a letter; anything else becomes `_`. */
function abaqusName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(clean) ? clean : `S_${clean}`;
}

/**
 * Encodes a mesh as an Abaqus input file (`.inp`, also read by CalculiX, Gmsh and meshio):
 * `*NODE`, `*ELEMENT, TYPE=C3D8` (and `C3D6` for wedges) with `ELSET=<region>`, `*NSET` per node
 * set, `*ELSET` per element set that is not a whole region, and `*SURFACE, TYPE=ELEMENT` per
 * surface with face labels S1–S6. Element ids are the cell index + 1, node ids the node index + 1;
 * coordinates in mm.
 *
 * @see Abaqus Keywords Reference, "*ELEMENT", "*NSET", "*SURFACE"; Abaqus Analysis User's Guide
 *   §28.1.4 for the C3D8 and C3D6 face numbering.
 */
export function writeFeMeshInp(mesh: FeMesh, options: WriteFeInpOptions = {}): Uint8Array {
  const out = new TextBuffer();
  const nPoints = mesh.points.length / 3;
  const nCells = mesh.cellTypes.length;
  out.push(`*HEADING\n${(options.heading ?? 'medscale FE mesh (mm)').replace(/\n/g, ' ')}\n`);
  out.push('*NODE\n');
  for (let n = 0; n < nPoints; n++) {
    out.push(
      `${n + 1}, ${formatCoordinate(mesh.points[3 * n] ?? 0)}, ${formatCoordinate(mesh.points[3 * n + 1] ?? 0)}, ${formatCoordinate(mesh.points[3 * n + 2] ?? 0)}\n`,
    );
  }
  for (const region of mesh.regionList) {
    for (const kind of [FE_CELL_TYPE.hexahedron, FE_CELL_TYPE.wedge]) {
      const hex = kind === FE_CELL_TYPE.hexahedron;
      let header = false;
      for (let c = 0; c < nCells; c++) {
        if (mesh.regions[c] !== region.id || mesh.cellTypes[c] !== kind) continue;
        if (!header) {
          out.push(`*ELEMENT, TYPE=${hex ? 'C3D8' : 'C3D6'}, ELSET=${abaqusName(region.name)}\n`);
          header = true;
        }
        out.int(c + 1);
        const corners = hex ? 8 : 6;
        for (let k = 0; k < corners; k++) {
          out.push(', ');
          out.int((mesh.cells[c * FE_NODES_PER_CELL + k] ?? 0) + 1);
        }
        out.push('\n');
      }
    }
  }
  for (const [name, nodes] of Object.entries(mesh.nodeSets)) {
    out.push(`*NSET, NSET=${abaqusName(name)}\n`);
    pushList(out, nodes, 16, '', true, false);
  }
  const regionNames = new Set(mesh.regionList.map((r) => r.name));
  for (const [name, cells] of Object.entries(mesh.elementSets)) {
    if (regionNames.has(name)) continue;
    out.push(`*ELSET, ELSET=${abaqusName(name)}\n`);
    pushList(out, cells, 16, '', true, false);
  }
  for (const [name, facets] of Object.entries(mesh.surfaces)) {
    out.push(`*SURFACE, TYPE=ELEMENT, NAME=${abaqusName(name)}\n`);
    for (let q = 0; q + 1 < facets.length; q += 2) {
      out.int((facets[q] ?? 0) + 1);
      out.push(', S');
      out.int((facets[q + 1] ?? 0) + 1);
      out.push('\n');
    }
  }
  return out.bytes();
}
