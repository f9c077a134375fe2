import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FE_CELL_TYPE, feFacetNodes } from './fe-mesh.js';
import type { FeMesh } from './fe-mesh.js';
import { feMeshCellQuality } from './fe-mesh-quality.js';
import { sweepOGridMesh } from './sweep-ogrid.js';
import { writeFeMeshFeb } from './write-fe-feb.js';
import { writeFeMeshInp } from './write-fe-inp.js';
import { writeFeMeshVtu } from './write-fe-vtu.js';

// A mixed mesh: polar core (wedges) + hexahedral rings + a wall region, with every kind of set.
const { mesh } = sweepOGridMesh(
  [
    {
      name: 'cca',
      points: [
        [0, 0, 0],
        [1, 0, 6],
        [3, 0, 12],
      ],
      radii: [3, 3, 2.5],
    },
  ],
  { sectors: 12, core: 'polar', radialCells: 2, wallThicknessMm: 0.5, wallLayers: 1 },
);
const nPoints = mesh.points.length / 3;
const nCells = mesh.cellTypes.length;
const decoder = new TextDecoder();

/** The first Python that can import the module, or undefined. */
function python(module: string): string | undefined {
  for (const exe of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(exe, ['-c', `import ${module}`], { encoding: 'utf8' });
    if (r.status === 0) return exe;
  }
  return undefined;
}
const withMeshio = python('meshio');
const withPython = python('xml.etree.ElementTree');
const dir = mkdtempSync(join(tmpdir(), 'medscale-fe-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface VtuArray {
  readonly name: string;
  readonly type: string;
  readonly components: number;
  readonly values: ArrayLike<number>;
}

/** Minimal reader of our raw-appended .vtu: header attributes and every array, decoded. */
function readVtu(bytes: Uint8Array): { header: string; arrays: Map<string, VtuArray> } {
  const text = decoder.decode(bytes.subarray(0, Math.min(bytes.length, 1 << 16)));
  const marker = text.indexOf('<AppendedData encoding="raw">');
  const underscore = text.indexOf('_', marker);
  const header = text.slice(0, underscore);
  const start = new TextEncoder().encode(text.slice(0, underscore + 1)).length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const arrays = new Map<string, VtuArray>();
  for (const m of header.matchAll(/<DataArray ([^>]*)\/>/g)) {
    const attr = (k: string): string | undefined =>
      new RegExp(`${k}="([^"]*)"`).exec(m[1] ?? '')?.[1];
    const offset = start + Number(attr('offset'));
    const size = Number(view.getBigUint64(offset, true));
    const body = bytes.slice(offset + 8, offset + 8 + size);
    const type = attr('type') ?? '';
    const values =
      type === 'Float64'
        ? new Float64Array(body.buffer)
        : type === 'Float32'
          ? new Float32Array(body.buffer)
          : type === 'Int32'
            ? new Int32Array(body.buffer)
            : body;
    const name = attr('Name') ?? '';
    arrays.set(name, { name, type, components: Number(attr('NumberOfComponents') ?? 1), values });
  }
  return { header, arrays };
}

describe('writeFeMeshVtu', () => {
  const quality = feMeshCellQuality(mesh);
  const bytes = writeFeMeshVtu(mesh, {
    cellData: [{ name: 'scaled_jacobian', values: quality.scaledJacobian }],
  });
  writeFileSync(join(dir, 'mesh.vtu'), bytes);

  it('writes well-formed XML with the counts and appended arrays of the mesh', () => {
    const { header, arrays } = readVtu(bytes);
    expect(header).toContain(`<Piece NumberOfPoints="${nPoints}" NumberOfCells="${nCells}">`);
    // Tags balance.
    const open = [...header.matchAll(/<([A-Za-z]+)(\s[^>]*)?>/g)]
      .filter((m) => !m[0].endsWith('/>'))
      .map((m) => m[1]);
    const close = [...header.matchAll(/<\/([A-Za-z]+)>/g)].map((m) => m[1]);
    // AppendedData and VTKFile close after the binary data, at the end of the file.
    expect(open.filter((t) => t !== 'AppendedData' && t !== 'VTKFile').sort()).toEqual(
      close.sort(),
    );
    expect(decoder.decode(bytes.subarray(bytes.length - 30))).toMatch(
      /\n {2}<\/AppendedData>\n<\/VTKFile>\n$/,
    );
    expect(Array.from(arrays.get('Points')?.values ?? [])).toEqual(Array.from(mesh.points));
    expect(Array.from(arrays.get('region')?.values ?? [])).toEqual(Array.from(mesh.regions));
    expect(Array.from(arrays.get('types')?.values ?? [])).toEqual(Array.from(mesh.cellTypes));
    expect(mesh.cellTypes.includes(FE_CELL_TYPE.wedge)).toBe(true);
    const offsets = Array.from(arrays.get('offsets')?.values ?? []);
    const connectivity = Array.from(arrays.get('connectivity')?.values ?? []);
    expect(offsets.length).toBe(nCells);
    expect(offsets.at(-1)).toBe(connectivity.length);
    // Wedges go out in VTK order (0, 2, 1, 3, 5, 4); hexahedra unchanged.
    let at = 0;
    for (let c = 0; c < nCells; c++) {
      const order =
        mesh.cellTypes[c] === FE_CELL_TYPE.wedge ? [0, 2, 1, 3, 5, 4] : [0, 1, 2, 3, 4, 5, 6, 7];
      expect(connectivity.slice(at, at + order.length)).toEqual(
        order.map((k) => mesh.cells[8 * c + k]),
      );
      at = offsets[c] ?? 0;
    }
    const inlet = Array.from(arrays.get('nodeset_inlet')?.values ?? []);
    expect(inlet.reduce((s, v) => s + v, 0)).toBe(mesh.nodeSets['inlet']?.length);
    expect(arrays.get('elset_wall')?.values.length).toBe(nCells);
    expect(arrays.get('scaled_jacobian')?.type).toBe('Float32');
  });

  it('rejects a data array of the wrong length', () => {
    expect(() =>
      writeFeMeshVtu(mesh, { pointData: [{ name: 'x', values: new Float32Array(3) }] }),
    ).toThrow(/has 3 values/);
  });
});

describe('writeFeMeshInp', () => {
  const text = decoder.decode(writeFeMeshInp(mesh));
  writeFileSync(join(dir, 'mesh.inp'), text);

  it('writes nodes, C3D8 and C3D6 elements per region, sets and element-face surfaces', () => {
    const lines = text.split('\n');
    const keywordAt = (k: string): number => lines.findIndex((l) => l.startsWith(k));
    const nodeLines = lines.slice(keywordAt('*NODE') + 1, keywordAt('*ELEMENT'));
    expect(nodeLines).toHaveLength(nPoints);
    expect(nodeLines[0]?.split(',').map(Number)).toEqual([
      1,
      ...Array.from(mesh.points.subarray(0, 3)),
    ]);
    expect(text).toContain('*ELEMENT, TYPE=C3D8, ELSET=lumen');
    expect(text).toContain('*ELEMENT, TYPE=C3D6, ELSET=lumen');
    expect(text).toContain('*ELEMENT, TYPE=C3D8, ELSET=wall');
    let elementLines = 0;
    let inElements = false;
    for (const l of lines) {
      if (l.startsWith('*')) inElements = l.startsWith('*ELEMENT');
      else if (inElements && l !== '') {
        elementLines++;
        expect([7, 9]).toContain(l.split(',').length);
      }
    }
    expect(elementLines).toBe(nCells);
    // Data lines hold at most 16 entries.
    expect(lines.every((l) => l.split(',').length <= 16)).toBe(true);
    const surface = lines.slice(keywordAt('*SURFACE, TYPE=ELEMENT, NAME=inlet') + 1);
    const facets = surface.slice(
      0,
      surface.findIndex((l) => l.startsWith('*') || l === ''),
    );
    expect(facets).toHaveLength((mesh.surfaces['inlet']?.length ?? 0) / 2);
    expect(facets.every((l) => l.endsWith(' S1'))).toBe(true);
    expect(text).toContain('*ELSET, ELSET=branch_cca');
    expect(text).not.toContain('*ELSET, ELSET=lumen\n');
  });
});

describe('writeFeMeshFeb', () => {
  const text = decoder.decode(writeFeMeshFeb(mesh));
  writeFileSync(join(dir, 'mesh.feb'), text);

  it('writes an FEBio 4 mesh: nodes, hex8 and penta6 parts, node sets, surfaces, element sets', () => {
    expect(
      text.startsWith('<?xml version="1.0" encoding="ISO-8859-1"?>\n<febio_spec version="4.0">'),
    ).toBe(true);
    expect(text.match(/<node id="/g)).toHaveLength(nPoints);
    expect(text.match(/<elem id="/g)).toHaveLength(nCells);
    expect(text).toContain('<Elements type="hex8" name="lumen">');
    expect(text).toContain('<Elements type="penta6" name="lumen_penta6">');
    expect(text).toContain('<Elements type="hex8" name="wall">');
    const inlet = /<Surface name="inlet">([\s\S]*?)<\/Surface>/.exec(text)?.[1] ?? '';
    const facets = [...inlet.matchAll(/<(quad4|tri3) id="\d+">([\d,]+)</g)];
    expect(facets).toHaveLength((mesh.surfaces['inlet']?.length ?? 0) / 2);
    // The facets are the mesh's outward facets, 1-based.
    const surface = mesh.surfaces['inlet'] ?? new Uint32Array();
    facets.forEach((m, q) => {
      const nodes = feFacetNodes(mesh, surface[2 * q] ?? 0, surface[2 * q + 1] ?? 0);
      expect(m[1]).toBe(nodes.length === 4 ? 'quad4' : 'tri3');
      expect(m[2]?.split(',').map(Number)).toEqual(nodes.map((n) => n + 1));
    });
    const nodeSet = /<NodeSet name="outlet_cca">([\s\S]*?)<\/NodeSet>/.exec(text)?.[1] ?? '';
    expect(nodeSet.split(',').map((s) => Number(s.trim()))).toEqual(
      Array.from(mesh.nodeSets['outlet_cca'] ?? [], (n) => n + 1),
    );
    // Regions are parts already: only the non-region element sets are written.
    expect(text).toContain('<ElementSet name="branch_cca">');
    expect(text).not.toContain('<ElementSet name="lumen">');
    expect(text).not.toContain('<MeshDomains>');
  });

  it('adds materials and solid domains when every region has a material', () => {
    const withMaterials = decoder.decode(
      writeFeMeshFeb(mesh, {
        materials: {
          lumen: { type: 'neo-Hookean', parameters: { E: 0.001, v: 0.49 } },
          wall: { type: 'neo-Hookean', parameters: { E: 1, v: 0.45 } },
        },
      }),
    );
    expect(withMaterials).toContain('<material id="2" name="wall" type="neo-Hookean">');
    expect(withMaterials).toContain('<SolidDomain name="lumen_penta6" mat="lumen"/>');
    expect(() =>
      writeFeMeshFeb(mesh, { materials: { lumen: { type: 'neo-Hookean', parameters: {} } } }),
    ).toThrow(/missing for regions wall/);
  });

  it.skipIf(withPython === undefined)(
    'parses as XML with an independent parser (python3 xml.etree)',
    () => {
      const script = `
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == 'febio_spec' and root.get('version') == '4.0'
mesh = root.find('Mesh')
print(len(mesh.find('Nodes')), sum(len(e) for e in mesh.findall('Elements')), len(mesh.findall('Surface')), len(mesh.findall('NodeSet')))
`;
      const r = spawnSync(withPython ?? 'python3', ['-c', script, join(dir, 'mesh.feb')], {
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(
        `${nPoints} ${nCells} ${Object.keys(mesh.surfaces).length} ${Object.keys(mesh.nodeSets).length}`,
      );
    },
  );
});

describe('independent reader (meshio)', () => {
  it.skipIf(withMeshio === undefined)(
    'reads the .vtu and .inp back to the same mesh with positive cells',
    () => {
      // meshio reorders VTK wedges to the gmsh/Abaqus order; both files must then agree cell for
      // cell, and every cell's corner Jacobian at node 0 must be positive in that order.
      const script = `
import sys, json, numpy as np, meshio
v = meshio.read(sys.argv[1]); a = meshio.read(sys.argv[2])
def cells(m):
    out = {}
    for block in m.cells:
        out.setdefault(block.type, []).append(block.data)
    return {k: np.concatenate(x) for k, x in out.items()}
cv, ca = cells(v), cells(a)
def positive(p, c, t):
    e = (1, 3, 4) if t == 'hexahedron' else (1, 2, 3)
    d = [p[c[:, k]] - p[c[:, 0]] for k in e]
    return int((np.einsum('ij,ij->i', np.cross(d[0], d[1]), d[2]) > 0).sum())
print(json.dumps({
  'points': len(v.points), 'maxPointDiff': float(np.abs(v.points - a.points).max()),
  'types': {k: len(x) for k, x in cv.items()},
  'sameCells': all(sorted(map(tuple, cv[k].tolist())) == sorted(map(tuple, ca[k].tolist())) for k in cv),
  'positive': {k: positive(v.points, x, k) for k, x in cv.items()},
  'inpPointSets': {k: len(x) for k, x in a.point_sets.items()},
  'vtuInlet': int(v.point_data['nodeset_inlet'].sum()),
}))
`;
      const r = spawnSync(
        withMeshio ?? 'python3',
        ['-c', script, join(dir, 'mesh.vtu'), join(dir, 'mesh.inp')],
        {
          encoding: 'utf8',
        },
      );
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as {
        points: number;
        maxPointDiff: number;
        types: Record<string, number>;
        sameCells: boolean;
        positive: Record<string, number>;
        inpPointSets: Record<string, number>;
        vtuInlet: number;
      };
      const wedges = mesh.cellTypes.filter((t) => t === FE_CELL_TYPE.wedge).length;
      expect(out.points).toBe(nPoints);
      expect(out.maxPointDiff).toBeLessThan(1e-6);
      expect(out.types).toEqual({ wedge: wedges, hexahedron: nCells - wedges });
      expect(out.sameCells).toBe(true);
      expect(out.positive).toEqual(out.types);
      expect(out.inpPointSets['inlet']).toBe(mesh.nodeSets['inlet']?.length);
      expect(out.vtuInlet).toBe(mesh.nodeSets['inlet']?.length);
    },
  );
});

/** Keeps the writers honest about 1-based ids: the mesh under test has node 0 in a cell. */
function usesNodeZero(m: FeMesh): boolean {
  return m.cells.includes(0);
}
it('tests a mesh that uses node 0', () => {
  expect(usesNodeZero(mesh)).toBe(true);
});
