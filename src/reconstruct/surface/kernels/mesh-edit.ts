import { outgoingEdges } from './mesh-topology.js';

/**
 * Drops vertices no triangle uses and renumbers the rest in order of first use.
 *
 * @returns New points, triangles, and the old index of every kept vertex.
 */
export function compactVertices(
  points: Float32Array,
  triangles: Uint32Array,
): { points: Float32Array; triangles: Uint32Array; kept: Uint32Array } {
  const n = points.length / 3;
  const map = new Int32Array(n).fill(-1);
  const kept: number[] = [];
  const tris = new Uint32Array(triangles.length);
  for (let t = 0; t < triangles.length; t++) {
    const v = triangles[t]!;
    if (map[v] === -1) {
      map[v] = kept.length;
      kept.push(v);
    }
    tris[t] = map[v]!;
  }
  const pts = new Float32Array(3 * kept.length);
  for (let q = 0; q < kept.length; q++) {
    const v = kept[q]!;
    pts[3 * q] = points[3 * v]!;
    pts[3 * q + 1] = points[3 * v + 1]!;
    pts[3 * q + 2] = points[3 * v + 2]!;
  }
  return { points: pts, triangles: tris, kept: Uint32Array.from(kept) };
}

/** The triangles whose entry in `component` is in `keep`. */
export function selectTriangles(
  triangles: Uint32Array,
  component: Int32Array,
  keep: (c: number) => boolean,
): Uint32Array {
  let count = 0;
  for (const c of component) if (keep(c)) count++;
  const out = new Uint32Array(3 * count);
  let w = 0;
  for (let t = 0; t < component.length; t++) {
    if (!keep(component[t]!)) continue;
    out[w++] = triangles[3 * t]!;
    out[w++] = triangles[3 * t + 1]!;
    out[w++] = triangles[3 * t + 2]!;
  }
  return out;
}

/**
 * Makes the winding of every edge-connected patch consistent, by a breadth-first walk that flips
 * a neighbour when it traverses the shared edge in the same direction. Non-manifold edges (three
 * or more triangles) are not walked across. Edits `triangles` in place.
 *
 * @returns The number of triangles flipped, and the patch index of every triangle.
 */
export function makeWindingConsistent(
  triangles: Uint32Array,
  vertexCount: number,
): { flipped: number; patch: Int32Array } {
  const nTri = triangles.length / 3;
  // Undirected edge → triangles, through per-vertex rows of (other vertex, triangle).
  const rows = outgoingEdges(triangles, vertexCount);
  const triOf = new Int32Array(triangles.length);
  {
    const fill = rows.start.slice(0, vertexCount);
    for (let t = 0; t < nTri; t++) {
      for (let e = 0; e < 3; e++) triOf[fill[triangles[3 * t + e]!]!++] = t;
    }
  }
  // The rows hold the original directed edges; neighbours across edge {a, b} are the triangles
  // with a→b or b→a, found in a's and b's rows.
  const patch = new Int32Array(nTri).fill(-1);
  const queue = new Int32Array(nTri);
  let flipped = 0;
  let patches = 0;
  const flippedFlag = new Uint8Array(nTri);
  for (let seed = 0; seed < nTri; seed++) {
    if (patch[seed] !== -1) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    patch[seed] = patches;
    while (head < tail) {
      const t = queue[head++]!;
      for (let e = 0; e < 3; e++) {
        // Current (possibly flipped) direction of this edge of t.
        let a = triangles[3 * t + e]!;
        let b = triangles[3 * t + ((e + 1) % 3)]!;
        if (flippedFlag[t] === 1) [a, b] = [b, a];
        // Collect the other triangles on {a, b}.
        let count = 0;
        let other = -1;
        for (const [x, y] of [
          [a, b],
          [b, a],
        ] as const) {
          for (let q = rows.start[x]!; q < rows.start[x + 1]!; q++) {
            if (rows.items[q] === y && triOf[q] !== t) {
              count++;
              other = triOf[q]!;
            }
          }
        }
        if (count !== 1 || patch[other] !== -1) continue;
        // Does `other` (as it stands now) traverse a→b, same as t? Then flip it.
        const oa = triangles[3 * other]!,
          ob = triangles[3 * other + 1]!,
          oc = triangles[3 * other + 2]!;
        const same = (oa === a && ob === b) || (ob === a && oc === b) || (oc === a && oa === b);
        if (same) {
          flippedFlag[other] = 1;
          flipped++;
        }
        patch[other] = patches;
        queue[tail++] = other;
      }
    }
    patches++;
  }
  for (let t = 0; t < nTri; t++) {
    if (flippedFlag[t] === 1) {
      const b = triangles[3 * t + 1]!;
      triangles[3 * t + 1] = triangles[3 * t + 2]!;
      triangles[3 * t + 2] = b;
    }
  }
  return { flipped, patch };
}

/** Signed volume (mm³, ×6 omitted) per patch, for deciding which patches to turn inside out. */
export function patchSignedVolumes(
  points: Float32Array,
  triangles: Uint32Array,
  patch: Int32Array,
  patchCount: number,
): Float64Array {
  const vol = new Float64Array(patchCount);
  for (let t = 0; t < patch.length; t++) {
    const a = 3 * triangles[3 * t]!,
      b = 3 * triangles[3 * t + 1]!,
      c = 3 * triangles[3 * t + 2]!;
    const ax = points[a]!,
      ay = points[a + 1]!,
      az = points[a + 2]!;
    const bx = points[b]!,
      by = points[b + 1]!,
      bz = points[b + 2]!;
    const cx = points[c]!,
      cy = points[c + 1]!,
      cz = points[c + 2]!;
    vol[patch[t]!]! +=
      ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
  }
  return vol;
}
