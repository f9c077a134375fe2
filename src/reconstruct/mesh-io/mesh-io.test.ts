import { describe, expect, it } from 'vitest';
import type { TriangleMesh } from '../../core/index.js';
import {
  labelSurface,
  meshArea,
  meshVolume,
  phantomLabelmap,
  sphereShape,
} from '../surface/index.js';
import {
  MESH_FORMATS,
  meshFormatFromPath,
  readMesh,
  requireMeshFormat,
  writeMesh,
} from './index.js';

const mesh = labelSurface(
  phantomLabelmap(sphereShape([-40.5, 12.25, 103], 6), { spacing: [1, 1, 1] }),
  1,
);

/** Triangle corner coordinates in order: equal meshes up to vertex numbering (STL renumbers). */
function corners(m: TriangleMesh): Float32Array {
  const out = new Float32Array(3 * m.triangles.length);
  m.triangles.forEach((v, t) => {
    out.set(m.points.subarray(3 * v, 3 * v + 3), 3 * t);
  });
  return out;
}

function sameGeometry(a: TriangleMesh, b: TriangleMesh): void {
  expect(b.triangles.length).toBe(a.triangles.length);
  expect(corners(b)).toEqual(corners(a));
}

describe('mesh formats', () => {
  for (const format of MESH_FORMATS) {
    for (const binary of [true, false]) {
      it(`${format} ${binary ? 'binary' : 'text'} round-trips points, triangles and winding exactly`, () => {
        const bytes = writeMesh(mesh, format, { binary });
        const back = readMesh(bytes, format);
        sameGeometry(mesh, back);
        expect(back.points.length).toBe(mesh.points.length);
        expect(meshVolume(back)).toBe(meshVolume(mesh));
        if (format === 'ply' || format === 'vtk' || format === 'vtp') {
          expect(back.normals).toEqual(mesh.normals);
        }
      });
    }
  }

  it('writes the binary layouts the specifications give', () => {
    const n = mesh.triangles.length / 3;
    const stl = writeMesh(mesh, 'stl');
    expect(stl.length).toBe(84 + 50 * n);
    expect(new DataView(stl.buffer).getUint32(80, true)).toBe(n);
    const vtk = new TextDecoder('latin1').decode(writeMesh(mesh, 'vtk'));
    expect(vtk.startsWith('# vtk DataFile Version 3.0\n')).toBe(true);
    expect(vtk).toContain(`POLYGONS ${n} ${4 * n}\n`);
    const ply = new TextDecoder('latin1').decode(writeMesh(mesh, 'ply').subarray(0, 400));
    expect(ply).toContain('format binary_little_endian 1.0');
    const vtp = new TextDecoder().decode(writeMesh(mesh, 'vtp'));
    expect(vtp).toContain('header_type="UInt64"');
    expect(meshArea(readMesh(writeMesh(mesh, 'obj'), 'obj'))).toBe(meshArea(mesh));
  });

  it('reads polygons as fans and rejects what is not a mesh', () => {
    const quad = new TextEncoder().encode('v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 3 4\n');
    expect(Array.from(readMesh(quad, 'obj').triangles)).toEqual([0, 1, 2, 0, 2, 3]);
    const junk = new TextEncoder().encode('hello');
    for (const f of MESH_FORMATS.filter((x) => x !== 'obj')) {
      expect(() => readMesh(junk, f)).toThrow(/not a readable/);
    }
    expect(() => readMesh(new TextEncoder().encode('v 0 0 0\nf 1 2 3\n'), 'obj')).toThrow(
      /names vertex/,
    );
  });

  it('tells the format from the file name', () => {
    expect(meshFormatFromPath('/a/b/Heart.VTP')).toBe('vtp');
    expect(meshFormatFromPath('x.stl')).toBe('stl');
    expect(meshFormatFromPath('x.nii.gz')).toBeUndefined();
    expect(() => requireMeshFormat('x.off')).toThrow(/\.stl, \.ply, \.obj, \.vtk, \.vtp/);
  });
});
