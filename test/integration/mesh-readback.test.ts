import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  labelSurface,
  measureMesh,
  MESH_FORMATS,
  phantomLabelmap,
  tubeUnionShape,
  writeMesh,
} from '../../src/reconstruct/index.js';

// Independent peers: VTK's own readers (Debian python3-vtk9: vtkSTLReader, vtkPLYReader,
// vtkOBJReader, vtkPolyDataReader, vtkXMLPolyDataReader) with vtkMassProperties for volume and
// area and vtkFeatureEdges for boundary and non-manifold edges; and meshio (python3-meshio) for
// STL, PLY and OBJ. Skipped, with the reason, where Debian's python3 lacks them.

const PYTHON = '/usr/bin/python3';
const hasModule = (m: string): boolean =>
  spawnSync(PYTHON, ['-c', `import ${m}`], { stdio: 'ignore' }).status === 0;
const HAS_VTK = hasModule('vtk');
const HAS_MESHIO = hasModule('meshio');

const SCRIPT = `
import json, sys
import vtk
readers = {'stl': vtk.vtkSTLReader, 'ply': vtk.vtkPLYReader, 'obj': vtk.vtkOBJReader,
           'vtk': vtk.vtkPolyDataReader, 'vtp': vtk.vtkXMLPolyDataReader}
out = {}
for path in sys.argv[1:]:
    ext = path.rsplit('.', 1)[1]
    r = readers[ext](); r.SetFileName(path); r.Update()
    pd = r.GetOutput()
    tri = vtk.vtkTriangleFilter(); tri.SetInputData(pd); tri.Update()
    mp = vtk.vtkMassProperties(); mp.SetInputData(tri.GetOutput()); mp.Update()
    fe = vtk.vtkFeatureEdges(); fe.SetInputData(pd)
    fe.BoundaryEdgesOn(); fe.NonManifoldEdgesOn(); fe.FeatureEdgesOff(); fe.ManifoldEdgesOff(); fe.Update()
    normals = pd.GetPointData().GetNormals()
    out[path] = {'points': pd.GetNumberOfPoints(), 'polys': pd.GetNumberOfPolys(),
                 'volume': mp.GetVolume(), 'area': mp.GetSurfaceArea(),
                 'openEdges': fe.GetOutput().GetNumberOfCells(),
                 'normals': normals.GetNumberOfTuples() if normals else 0}
print(json.dumps(out))
`;

const MESHIO_SCRIPT = `
import json, sys, meshio
print(json.dumps({p: [len(m.points), sum(len(c.data) for c in m.cells)] for p in sys.argv[1:] for m in [meshio.read(p)]}))
`;

describe('mesh files read back by independent readers', () => {
  let root: string;
  const files: string[] = [];
  const mesh = labelSurface(
    phantomLabelmap(
      tubeUnionShape('bifurcation', [
        { from: [0, 0, -20], to: [0, 0, 0], radius: 6 },
        { from: [0, 0, 0], to: [12, 2, 18], radius: 5 },
        { from: [0, 0, 0], to: [-11, -2, 19], radius: 4 },
      ]),
      { spacing: [0.8, 0.8, 0.8] },
    ),
    1,
  );
  const m = measureMesh(mesh);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'medscale-mesh-readback-'));
    for (const format of MESH_FORMATS) {
      for (const binary of [true, false]) {
        if (format === 'obj' && !binary) continue;
        const file = join(root, `surface-${binary ? 'binary' : 'text'}.${format}`);
        await writeFile(file, writeMesh(mesh, format, { binary }));
        files.push(file);
      }
    }
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.skipIf(!HAS_VTK)(
    'VTK reads every format with the same volume, area and closed topology',
    () => {
      const run = spawnSync(PYTHON, ['-c', SCRIPT, ...files], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const results = JSON.parse(run.stdout) as Record<
        string,
        {
          points: number;
          polys: number;
          volume: number;
          area: number;
          openEdges: number;
          normals: number;
        }
      >;
      expect(Object.keys(results)).toHaveLength(files.length);
      for (const file of files) {
        const r = results[file]!;
        expect(r.polys, file).toBe(m.triangles);
        expect(r.points, file).toBe(m.vertices);
        expect(r.volume / m.volume, file).toBeCloseTo(1, 5);
        expect(r.area / m.area, file).toBeCloseTo(1, 5);
        expect(r.openEdges, file).toBe(0);
        if (/\.(ply|vtk|vtp)$/.test(file)) expect(r.normals, file).toBe(m.vertices);
      }
    },
  );

  it.skipIf(!HAS_MESHIO)('meshio reads the STL, PLY and OBJ files', () => {
    const chosen = files.filter((f) => /\.(stl|ply|obj)$/.test(f));
    const run = spawnSync(PYTHON, ['-c', MESHIO_SCRIPT, ...chosen], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as Record<string, [number, number]>;
    for (const file of chosen) expect(results[file], file).toEqual([m.vertices, m.triangles]);
  });

  it('finds the peers, or says why they are skipped', () => {
    if (!HAS_VTK || !HAS_MESHIO) {
      console.warn('mesh read-back peers missing: apt-get install python3-vtk9 python3-meshio');
    }
    expect(m.watertight.watertight).toBe(true);
  });
});
