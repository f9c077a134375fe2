import { PlatformError } from '../../core/index.js';
import { FE_CELL_TYPE, FE_NODES_PER_CELL, feFacetNodes } from './fe-mesh.js';
import type { FeMesh } from './fe-mesh.js';
import { TextBuffer, formatCoordinate, pushList } from './kernels/text-writer.js';

/** A FEBio material for one region (see the FEBio user manual, "Materials"). */
export interface FebMaterial {
  /** FEBio material type, e.g. `neo-Hookean`, `isotropic elastic`, `Mooney-Rivlin`. */
  readonly type: string;
  /** Parameters by FEBio tag name, e.g. `{ density: 1, E: 1000, v: 0.45 }` (units of the model: mm, N, s → MPa). */
  readonly parameters: Readonly<Record<string, number>>;
}

/** Options of {@link writeFeMeshFeb}. */
export interface WriteFeFebOptions {
  /**
   * Materials by region name. When every region has one, the file also holds `Material` and
   * `MeshDomains` (a solid domain per part) and FEBio can run it once boundary conditions and a
   * step are added; without them it is a mesh file to import into FEBio Studio or to merge.
   */
  readonly materials?: Readonly<Record<string, FebMaterial>>;
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/**
 * Encodes a mesh as an FEBio input file (`.feb`, `febio_spec` version 4.0): `Mesh` with `Nodes`,
 * one `Elements` part per region and cell kind (`hex8`, `penta6`; FEBio ids numbered part by
 * part), a `NodeSet` per node set, a `Surface` of `quad4`/`tri3` facets (outward normals) per
 * surface, and an `ElementSet` per element set that is not a whole region (regions are parts
 * already).
 *
 * @see {@link https://help.febio.org/ | FEBio user manual, chapter "Mesh Section"}
 */
export function writeFeMeshFeb(mesh: FeMesh, options: WriteFeFebOptions = {}): Uint8Array {
  const out = new TextBuffer();
  const nPoints = mesh.points.length / 3;
  const nCells = mesh.cellTypes.length;
  out.push('<?xml version="1.0" encoding="ISO-8859-1"?>\n<febio_spec version="4.0">\n');
  out.push('  <Module type="solid"/>\n');
  const materials = options.materials;
  const withMaterials =
    materials !== undefined && mesh.regionList.every((r) => materials[r.name] !== undefined);
  if (materials !== undefined && !withMaterials) {
    const missing = mesh.regionList
      .filter((r) => materials[r.name] === undefined)
      .map((r) => r.name);
    throw new PlatformError(
      'ERR_MESH_INPUT',
      `materials are missing for regions ${missing.join(', ')}: give one per region or none`,
    );
  }
  if (withMaterials) {
    out.push('  <Material>\n');
    mesh.regionList.forEach((region, i) => {
      const m = materials[region.name];
      if (m === undefined) return;
      out.push(
        `    <material id="${i + 1}" name="${escapeXml(region.name)}" type="${escapeXml(m.type)}">\n`,
      );
      for (const [tag, value] of Object.entries(m.parameters)) {
        out.push(`      <${tag}>${value}</${tag}>\n`);
      }
      out.push('    </material>\n');
    });
    out.push('  </Material>\n');
  }
  out.push('  <Mesh>\n    <Nodes name="nodes">\n');
  for (let n = 0; n < nPoints; n++) {
    out.push(
      `      <node id="${n + 1}">${formatCoordinate(mesh.points[3 * n] ?? 0)},${formatCoordinate(mesh.points[3 * n + 1] ?? 0)},${formatCoordinate(mesh.points[3 * n + 2] ?? 0)}</node>\n`,
    );
  }
  out.push('    </Nodes>\n');
  // Parts: region × cell kind, FEBio ids consecutive part by part.
  const febId = new Uint32Array(nCells);
  const parts: string[] = [];
  let next = 1;
  for (const region of mesh.regionList) {
    for (const kind of [FE_CELL_TYPE.hexahedron, FE_CELL_TYPE.wedge]) {
      let count = 0;
      for (let c = 0; c < nCells; c++) {
        if (mesh.regions[c] === region.id && mesh.cellTypes[c] === kind) count++;
      }
      if (count === 0) continue;
      const hex = kind === FE_CELL_TYPE.hexahedron;
      const name = hex ? region.name : `${region.name}_penta6`;
      parts.push(name);
      out.push(`    <Elements type="${hex ? 'hex8' : 'penta6'}" name="${escapeXml(name)}">\n`);
      const corners = hex ? 8 : 6;
      for (let c = 0; c < nCells; c++) {
        if (mesh.regions[c] !== region.id || mesh.cellTypes[c] !== kind) continue;
        febId[c] = next;
        out.push('      <elem id="');
        out.int(next);
        out.push('">');
        for (let k = 0; k < corners; k++) {
          out.int((mesh.cells[c * FE_NODES_PER_CELL + k] ?? 0) + 1);
          if (k + 1 < corners) out.push(',');
        }
        out.push('</elem>\n');
        next++;
      }
      out.push('    </Elements>\n');
    }
  }
  for (const [name, nodes] of Object.entries(mesh.nodeSets)) {
    out.push(`    <NodeSet name="${escapeXml(name)}">\n`);
    pushList(out, nodes, 16, '      ', true, true);
    out.push('    </NodeSet>\n');
  }
  for (const [name, facets] of Object.entries(mesh.surfaces)) {
    out.push(`    <Surface name="${escapeXml(name)}">\n`);
    for (let q = 0; q + 1 < facets.length; q += 2) {
      const nodes = feFacetNodes(mesh, facets[q] ?? 0, facets[q + 1] ?? 0);
      const tag = nodes.length === 4 ? 'quad4' : 'tri3';
      out.push(
        `      <${tag} id="${q / 2 + 1}">${nodes.map((n) => String(n + 1)).join(',')}</${tag}>\n`,
      );
    }
    out.push('    </Surface>\n');
  }
  const regionNames = new Set(mesh.regionList.map((r) => r.name));
  for (const [name, cells] of Object.entries(mesh.elementSets)) {
    if (regionNames.has(name)) continue;
    out.push(`    <ElementSet name="${escapeXml(name)}">\n`);
    pushList(
      out,
      Array.from(cells, (c) => febId[c] ?? 0),
      16,
      '      ',
      false,
      true,
    );
    out.push('    </ElementSet>\n');
  }
  out.push('  </Mesh>\n');
  if (withMaterials) {
    out.push('  <MeshDomains>\n');
    for (const part of parts) {
      const region = part.endsWith('_penta6') ? part.slice(0, -'_penta6'.length) : part;
      out.push(`    <SolidDomain name="${escapeXml(part)}" mat="${escapeXml(region)}"/>\n`);
    }
    out.push('  </MeshDomains>\n');
  }
  out.push('</febio_spec>\n');
  return out.bytes();
}
