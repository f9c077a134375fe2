import type { TriangleMesh } from '../../../core/index.js';
import { badMesh, checkIndices, f32, num } from './text.js';

/** Wavefront OBJ: `v x y z`, `vn` normals when present, `f a//a b//b c//c` (1-based). */
export function writeObj(mesh: TriangleMesh): Uint8Array {
  const p = mesh.points;
  const t = mesh.triangles;
  const normals = mesh.normals?.length === p.length ? mesh.normals : undefined;
  const lines = ['# medscale surface, millimetres, LPS'];
  for (let v = 0; v < p.length; v += 3)
    lines.push(`v ${f32(p[v]!)} ${f32(p[v + 1]!)} ${f32(p[v + 2]!)}`);
  if (normals) {
    for (let v = 0; v < p.length; v += 3) {
      lines.push(`vn ${f32(normals[v]!)} ${f32(normals[v + 1]!)} ${f32(normals[v + 2]!)}`);
    }
  }
  for (let f = 0; f < t.length; f += 3) {
    const [a, b, c] = [t[f]! + 1, t[f + 1]! + 1, t[f + 2]! + 1];
    lines.push(normals ? `f ${a}//${a} ${b}//${b} ${c}//${c}` : `f ${a} ${b} ${c}`);
  }
  lines.push('');
  return new TextEncoder().encode(lines.join('\n'));
}

/** Reads OBJ vertices and faces (`v/vt/vn` forms, negative indices, polygons fanned). */
export function readObj(bytes: Uint8Array): TriangleMesh {
  const text = new TextDecoder().decode(bytes);
  const pts: number[] = [];
  const tris: number[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('v ')) {
      const tok = line.split(/\s+/);
      pts.push(num('OBJ', tok[1]), num('OBJ', tok[2]), num('OBJ', tok[3]));
    } else if (line.startsWith('f ')) {
      const idx = line
        .split(/\s+/)
        .slice(1)
        .map((s) => {
          const i = Number(s.split('/')[0]);
          if (!Number.isInteger(i) || i === 0) throw badMesh('OBJ', `bad face index "${s}"`);
          return i > 0 ? i - 1 : pts.length / 3 + i;
        });
      for (let q = 1; q + 1 < idx.length; q++) tris.push(idx[0]!, idx[q]!, idx[q + 1]!);
    }
  }
  const triangles = Uint32Array.from(tris);
  checkIndices('OBJ', triangles, pts.length / 3);
  return { points: Float32Array.from(pts), triangles };
}
