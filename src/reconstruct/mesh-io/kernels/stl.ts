import type { TriangleMesh } from '../../../core/index.js';
import { badMesh, f32, num, tokenLines, weldVertices } from './text.js';

/** Facet normal of triangle `t` (unit, or 0 for a degenerate triangle). */
function facetNormal(p: Float32Array, tris: Uint32Array, t: number): [number, number, number] {
  const a = 3 * tris[3 * t]!,
    b = 3 * tris[3 * t + 1]!,
    c = 3 * tris[3 * t + 2]!;
  const ux = p[b]! - p[a]!,
    uy = p[b + 1]! - p[a + 1]!,
    uz = p[b + 2]! - p[a + 2]!;
  const vx = p[c]! - p[a]!,
    vy = p[c + 1]! - p[a + 1]!,
    vz = p[c + 2]! - p[a + 2]!;
  const nx = uy * vz - uz * vy,
    ny = uz * vx - ux * vz,
    nz = ux * vy - uy * vx;
  const l = Math.hypot(nx, ny, nz);
  return l > 0 ? [nx / l, ny / l, nz / l] : [0, 0, 0];
}

/**
 * Binary STL: an 80-byte header, a little-endian uint32 triangle count, then per triangle the
 * facet normal and three vertices (12 float32) and a uint16 attribute count of 0. STL has no
 * shared vertices and no units; medscale writes millimetres (LPS) as most tools assume.
 */
export function writeStl(mesh: TriangleMesh, header = 'medscale surface (mm, LPS)'): Uint8Array {
  const n = mesh.triangles.length / 3;
  const out = new Uint8Array(84 + 50 * n);
  const view = new DataView(out.buffer);
  const head = new TextEncoder().encode(header.slice(0, 80));
  // A binary header must not start with "solid": some readers would take the file for ASCII.
  out.set(
    head.subarray(0, 5).every((c, i) => c === 'solid'.charCodeAt(i)) ? head.subarray(5) : head,
  );
  view.setUint32(80, n, true);
  const p = mesh.points;
  const tris = mesh.triangles;
  for (let t = 0; t < n; t++) {
    const o = 84 + 50 * t;
    const nn = facetNormal(p, tris, t);
    view.setFloat32(o, nn[0], true);
    view.setFloat32(o + 4, nn[1], true);
    view.setFloat32(o + 8, nn[2], true);
    for (let v = 0; v < 3; v++) {
      const a = 3 * tris[3 * t + v]!;
      view.setFloat32(o + 12 + 12 * v, p[a]!, true);
      view.setFloat32(o + 16 + 12 * v, p[a + 1]!, true);
      view.setFloat32(o + 20 + 12 * v, p[a + 2]!, true);
    }
  }
  return out;
}

/** ASCII STL (`solid … facet normal … outer loop … vertex …`). */
export function writeStlAscii(mesh: TriangleMesh, name = 'medscale'): Uint8Array {
  const p = mesh.points;
  const tris = mesh.triangles;
  const lines = [`solid ${name}`];
  for (let t = 0; t < tris.length / 3; t++) {
    const nn = facetNormal(p, tris, t);
    lines.push(`facet normal ${f32(nn[0])} ${f32(nn[1])} ${f32(nn[2])}`, 'outer loop');
    for (let v = 0; v < 3; v++) {
      const a = 3 * tris[3 * t + v]!;
      lines.push(`vertex ${f32(p[a]!)} ${f32(p[a + 1]!)} ${f32(p[a + 2]!)}`);
    }
    lines.push('endloop', 'endfacet');
  }
  lines.push(`endsolid ${name}`, '');
  return new TextEncoder().encode(lines.join('\n'));
}

/**
 * Reads binary or ASCII STL and welds bit-identical vertices back into shared ones. Binary is
 * recognised by its size (84 + 50 × count bytes), whatever the header says.
 */
export function readStl(bytes: Uint8Array): TriangleMesh {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 84 && 84 + 50 * view.getUint32(80, true) === bytes.length) {
    const n = view.getUint32(80, true);
    const soup = new Float32Array(9 * n);
    for (let t = 0; t < n; t++) {
      for (let q = 0; q < 9; q++) soup[9 * t + q] = view.getFloat32(84 + 50 * t + 12 + 4 * q, true);
    }
    return weldVertices(soup);
  }
  const text = new TextDecoder().decode(bytes);
  if (!/^\s*solid/.test(text))
    throw badMesh('STL', 'neither binary (size mismatch) nor ASCII (no "solid")');
  const soup: number[] = [];
  for (const tok of tokenLines(text)) {
    if (tok[0] === 'vertex') soup.push(num('STL', tok[1]), num('STL', tok[2]), num('STL', tok[3]));
  }
  if (soup.length % 9 !== 0) throw badMesh('STL', 'a facet does not have three vertices');
  return weldVertices(Float32Array.from(soup));
}
