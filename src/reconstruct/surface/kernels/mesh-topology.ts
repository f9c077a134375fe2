/**
 * Topology kernels on flat triangle lists: vertex adjacency in compressed rows, edge
 * classification, connected components. Linear in the mesh size (valence is small).
 */

/** Compressed rows: the entries of row `v` are `items[start[v]..start[v + 1]]`. */
export interface CompressedRows {
  readonly start: Int32Array;
  readonly items: Int32Array;
}

/** Directed edges `a → b` of every triangle, grouped by `a` (the triangles' own winding). */
export function outgoingEdges(triangles: Uint32Array, vertexCount: number): CompressedRows {
  const start = new Int32Array(vertexCount + 1);
  for (const v of triangles) start[v + 1]!++;
  for (let v = 0; v < vertexCount; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, vertexCount);
  const items = new Int32Array(triangles.length);
  for (let t = 0; t < triangles.length; t += 3) {
    const a = triangles[t]!;
    const b = triangles[t + 1]!;
    const c = triangles[t + 2]!;
    items[fill[a]!++] = b;
    items[fill[b]!++] = c;
    items[fill[c]!++] = a;
  }
  return { start, items };
}

/** Unique neighbours of every vertex (edges in either direction), sorted within each row. */
export function vertexNeighbours(triangles: Uint32Array, vertexCount: number): CompressedRows {
  const start = new Int32Array(vertexCount + 1);
  for (const v of triangles) start[v + 1]! += 2;
  for (let v = 0; v < vertexCount; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, vertexCount);
  const raw = new Int32Array(2 * triangles.length);
  for (let t = 0; t < triangles.length; t += 3) {
    for (let e = 0; e < 3; e++) {
      const a = triangles[t + e]!;
      const b = triangles[t + ((e + 1) % 3)]!;
      raw[fill[a]!++] = b;
      raw[fill[b]!++] = a;
    }
  }
  // Sort and deduplicate each row in place, then compact.
  const outStart = new Int32Array(vertexCount + 1);
  let w = 0;
  for (let v = 0; v < vertexCount; v++) {
    const s = start[v]!;
    const e = start[v + 1]!;
    const row = raw.subarray(s, e).sort();
    outStart[v] = w;
    for (let r = 0; r < row.length; r++) {
      if (r === 0 || row[r] !== row[r - 1]) raw[w++] = row[r]!;
    }
  }
  outStart[vertexCount] = w;
  return { start: outStart, items: raw.slice(0, w) };
}

/** Edge statistics of a triangle list. */
export interface EdgeCounts {
  /** Distinct undirected edges. */
  readonly edges: number;
  /** Edges used by one triangle only (holes, open borders). */
  readonly boundary: number;
  /** Edges used by more than two triangles. */
  readonly nonManifold: number;
  /** Edges used by two triangles that traverse it in the same direction (orientation flips). */
  readonly misoriented: number;
}

/** Classifies every undirected edge by how many triangles use it and in which directions. */
export function countEdges(triangles: Uint32Array, vertexCount: number): EdgeCounts {
  const out = outgoingEdges(triangles, vertexCount);
  const { start, items } = out;
  let edges = 0;
  let boundary = 0;
  let nonManifold = 0;
  let misoriented = 0;
  for (let a = 0; a < vertexCount; a++) {
    for (let p = start[a]!; p < start[a + 1]!; p++) {
      const b = items[p]!;
      // Count a→b occurrences; visit each undirected edge once: from its first a→b entry when a < b
      // or when no b→a exists, skipping repeated a→b entries.
      let first = true;
      let ab = 0;
      for (let q = start[a]!; q < start[a + 1]!; q++) {
        if (items[q] === b) {
          if (q < p) first = false;
          ab++;
        }
      }
      if (!first) continue;
      let ba = 0;
      for (let q = start[b]!; q < start[b + 1]!; q++) if (items[q] === a) ba++;
      if (a > b && ba > 0) continue;
      edges++;
      const uses = ab + ba;
      if (uses === 1) boundary++;
      else if (uses > 2) nonManifold++;
      else if (ab !== 1 || ba !== 1) misoriented++;
    }
  }
  return { edges, boundary, nonManifold, misoriented };
}

function find(parent: Int32Array, x: number): number {
  let r = x;
  while (parent[r] !== r) r = parent[r]!;
  // Path compression.
  while (parent[x] !== r) {
    const n = parent[x]!;
    parent[x] = r;
    x = n;
  }
  return r;
}

/**
 * Connected components of the triangles (two triangles are connected when they share a vertex).
 *
 * @returns Component index of every triangle (0 = the one with most triangles, then by size) and
 *   the triangle count of each component.
 */
export function triangleComponents(
  triangles: Uint32Array,
  vertexCount: number,
): { readonly component: Int32Array; readonly sizes: number[] } {
  const parent = new Int32Array(vertexCount);
  for (let v = 0; v < vertexCount; v++) parent[v] = v;
  for (let t = 0; t < triangles.length; t += 3) {
    const a = find(parent, triangles[t]!);
    const b = find(parent, triangles[t + 1]!);
    const c = find(parent, triangles[t + 2]!);
    if (b !== a) parent[b] = a;
    if (c !== a && c !== b) parent[c] = a;
  }
  const nTri = triangles.length / 3;
  const rootOf = new Int32Array(nTri);
  const label = new Int32Array(vertexCount).fill(-1);
  const counts: number[] = [];
  for (let t = 0; t < nTri; t++) {
    const r = find(parent, triangles[3 * t]!);
    if (label[r] === -1) {
      label[r] = counts.length;
      counts.push(0);
    }
    const l = label[r]!;
    rootOf[t] = l;
    counts[l]!++;
  }
  // Renumber by decreasing size (ties: order of first appearance).
  const order = counts.map((_, i) => i).sort((x, y) => counts[y]! - counts[x]! || x - y);
  const rank = new Int32Array(order.length);
  order.forEach((old, i) => (rank[old] = i));
  for (let t = 0; t < nTri; t++) rootOf[t] = rank[rootOf[t]!]!;
  return { component: rootOf, sizes: order.map((o) => counts[o]!) };
}
