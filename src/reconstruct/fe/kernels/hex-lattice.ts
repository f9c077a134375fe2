/**
 * Voxel hexahedral meshing on a lattice: one hexahedron per selected cell of a label grid, nodes
 * shared through a lattice index map, only used nodes numbered (in lattice order).
 *
 * Lattice node `(a, b, c)` is the corner shared by cells `(a-1..a, b-1..b, c-1..c)`; cell
 * `(a, b, c)` has corners `(a..a+1, b..b+1, c..c+1)`.
 */

/** Lattice directions: −x, +x, −y, +y, −z, +z. */
export const LATTICE_DIRECTIONS = 6;

/**
 * Local hexahedron face (see `HEX_FACES`) of each lattice direction, for the right-handed corner
 * order and for the mirrored one used when the index-to-world map has a negative determinant.
 */
const FACE_OF_DIRECTION = new Int8Array([5, 3, 2, 4, 0, 1]);
const FACE_OF_DIRECTION_MIRRORED = new Int8Array([2, 4, 5, 3, 0, 1]);

/** What {@link buildHexLattice} returns. */
export interface HexLattice {
  /** Node id of each lattice node, −1 where unused; `(ni + 1)(nj + 1)(nk + 1)` entries. */
  readonly nodeOfLattice: Int32Array;
  /** Lattice index of each node. */
  readonly latticeOfNode: Int32Array;
  /** Cell id of each lattice cell, −1 where not meshed; `ni·nj·nk` entries. */
  readonly cellOfLattice: Int32Array;
  /** Node coordinates (mm). */
  readonly points: Float64Array;
  /** 8 node ids per cell. */
  readonly cells: Uint32Array;
  /** Label of each cell. */
  readonly cellLabels: Uint16Array;
}

/**
 * Meshes every cell whose label is selected.
 *
 * @param affine - Lattice node `(a, b, c)` to world, 12 numbers row by row:
 *   `x = affine[0]·a + affine[1]·b + affine[2]·c + affine[3]`, then the rows for y and z.
 * @param mirrored - The affine has a negative determinant: corners are ordered 0, 3, 2, 1, 4, 7,
 *   6, 5 so the cells keep a positive Jacobian.
 */
export function buildHexLattice(
  labels: Uint8Array,
  dims: readonly [number, number, number],
  selected: Uint8Array,
  affine: Float64Array,
  mirrored: boolean,
): HexLattice {
  const [ni, nj, nk] = dims;
  const li = ni + 1;
  const lij = li * (nj + 1);
  const latticeSize = lij * (nk + 1);
  const cellOfLattice = new Int32Array(ni * nj * nk).fill(-1);
  const used = new Uint8Array(latticeSize);
  let cellCount = 0;
  let v = 0;
  for (let c = 0; c < nk; c++) {
    for (let b = 0; b < nj; b++) {
      for (let a = 0; a < ni; a++, v++) {
        if (selected[labels[v]!] !== 1) continue;
        cellOfLattice[v] = cellCount++;
        const n = a + b * li + c * lij;
        used[n] = 1;
        used[n + 1] = 1;
        used[n + li] = 1;
        used[n + li + 1] = 1;
        used[n + lij] = 1;
        used[n + lij + 1] = 1;
        used[n + lij + li] = 1;
        used[n + lij + li + 1] = 1;
      }
    }
  }
  const nodeOfLattice = new Int32Array(latticeSize);
  let nodeCount = 0;
  for (let n = 0; n < latticeSize; n++) nodeOfLattice[n] = used[n] === 1 ? nodeCount++ : -1;
  const latticeOfNode = new Int32Array(nodeCount);
  const points = new Float64Array(3 * nodeCount);
  let id = 0;
  let n = 0;
  for (let c = 0; c <= nk; c++) {
    for (let b = 0; b <= nj; b++) {
      for (let a = 0; a <= ni; a++, n++) {
        if (used[n] !== 1) continue;
        latticeOfNode[id] = n;
        const p = 3 * id++;
        points[p] = affine[0]! * a + affine[1]! * b + affine[2]! * c + affine[3]!;
        points[p + 1] = affine[4]! * a + affine[5]! * b + affine[6]! * c + affine[7]!;
        points[p + 2] = affine[8]! * a + affine[9]! * b + affine[10]! * c + affine[11]!;
      }
    }
  }
  const cells = new Uint32Array(8 * cellCount);
  const cellLabels = new Uint16Array(cellCount);
  // Offsets of the 8 corners in VTK order (or mirrored: swap corners 1↔3 and 5↔7).
  const corner = mirrored
    ? [0, li, li + 1, 1, lij, lij + li, lij + li + 1, lij + 1]
    : [0, 1, li + 1, li, lij, lij + 1, lij + li + 1, lij + li];
  const [o0, o1, o2, o3, o4, o5, o6, o7] = corner as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  v = 0;
  for (let c = 0; c < nk; c++) {
    for (let b = 0; b < nj; b++) {
      for (let a = 0; a < ni; a++, v++) {
        const cell = cellOfLattice[v]!;
        if (cell < 0) continue;
        const base = a + b * li + c * lij;
        const o = 8 * cell;
        cells[o] = nodeOfLattice[base + o0]!;
        cells[o + 1] = nodeOfLattice[base + o1]!;
        cells[o + 2] = nodeOfLattice[base + o2]!;
        cells[o + 3] = nodeOfLattice[base + o3]!;
        cells[o + 4] = nodeOfLattice[base + o4]!;
        cells[o + 5] = nodeOfLattice[base + o5]!;
        cells[o + 6] = nodeOfLattice[base + o6]!;
        cells[o + 7] = nodeOfLattice[base + o7]!;
        cellLabels[cell] = labels[v]!;
      }
    }
  }
  return { nodeOfLattice, latticeOfNode, cellOfLattice, points, cells, cellLabels };
}

/** Boundary facets found by {@link latticeBoundaryFacets}. */
export interface LatticeFacets {
  /** (cell, local face) pairs. */
  readonly facets: Uint32Array;
  /** Lattice direction (0–5: −x, +x, −y, +y, −z, +z) of each facet. */
  readonly direction: Uint8Array;
  /** 1 where the facet lies on the side of the grid (its neighbour is outside the volume). */
  readonly onGridSide: Uint8Array;
  /** Lattice cell index of each facet's cell. */
  readonly latticeCell: Int32Array;
}

/**
 * Facets of meshed cells whose neighbour across the face is not meshed (or outside the grid):
 * the outer surface of the mesh.
 */
export function latticeBoundaryFacets(
  dims: readonly [number, number, number],
  cellOfLattice: Int32Array,
  mirrored: boolean,
): LatticeFacets {
  const [ni, nj, nk] = dims;
  const sj = ni;
  const sk = ni * nj;
  const faceOf = mirrored ? FACE_OF_DIRECTION_MIRRORED : FACE_OF_DIRECTION;
  let capacity = 1024;
  let facets = new Uint32Array(2 * capacity);
  let direction = new Uint8Array(capacity);
  let onSide = new Uint8Array(capacity);
  let latticeCell = new Int32Array(capacity);
  let count = 0;
  const push = (cell: number, d: number, side: boolean, lc: number): void => {
    if (count === capacity) {
      capacity *= 2;
      const f = new Uint32Array(2 * capacity);
      f.set(facets);
      facets = f;
      const dd = new Uint8Array(capacity);
      dd.set(direction);
      direction = dd;
      const s = new Uint8Array(capacity);
      s.set(onSide);
      onSide = s;
      const l = new Int32Array(capacity);
      l.set(latticeCell);
      latticeCell = l;
    }
    facets[2 * count] = cell;
    facets[2 * count + 1] = faceOf[d]!;
    direction[count] = d;
    onSide[count] = side ? 1 : 0;
    latticeCell[count] = lc;
    count++;
  };
  let v = 0;
  for (let c = 0; c < nk; c++) {
    for (let b = 0; b < nj; b++) {
      for (let a = 0; a < ni; a++, v++) {
        const cell = cellOfLattice[v]!;
        if (cell < 0) continue;
        if (a === 0) push(cell, 0, true, v);
        else if (cellOfLattice[v - 1]! < 0) push(cell, 0, false, v);
        if (a === ni - 1) push(cell, 1, true, v);
        else if (cellOfLattice[v + 1]! < 0) push(cell, 1, false, v);
        if (b === 0) push(cell, 2, true, v);
        else if (cellOfLattice[v - sj]! < 0) push(cell, 2, false, v);
        if (b === nj - 1) push(cell, 3, true, v);
        else if (cellOfLattice[v + sj]! < 0) push(cell, 3, false, v);
        if (c === 0) push(cell, 4, true, v);
        else if (cellOfLattice[v - sk]! < 0) push(cell, 4, false, v);
        if (c === nk - 1) push(cell, 5, true, v);
        else if (cellOfLattice[v + sk]! < 0) push(cell, 5, false, v);
      }
    }
  }
  return {
    facets: facets.slice(0, 2 * count),
    direction: direction.slice(0, count),
    onGridSide: onSide.slice(0, count),
    latticeCell: latticeCell.slice(0, count),
  };
}

/**
 * Groups the facets on the sides of the grid into openings: connected (edge-sharing) patches on
 * one side. Returns a component id per facet (−1 for facets not on a grid side) and the count.
 */
export function gridSideComponents(
  dims: readonly [number, number, number],
  found: LatticeFacets,
): { readonly component: Int32Array; readonly count: number } {
  const [ni, nj] = dims;
  const n = found.direction.length;
  const component = new Int32Array(n).fill(-1);
  // Facet index by (direction, lattice cell) for the facets on a side.
  const bySide = new Map<number, number>();
  for (let f = 0; f < n; f++) {
    if (found.onGridSide[f] === 1) bySide.set(found.latticeCell[f]! * 6 + found.direction[f]!, f);
  }
  const stack: number[] = [];
  let count = 0;
  for (let f = 0; f < n; f++) {
    if (found.onGridSide[f] !== 1 || component[f] !== -1) continue;
    component[f] = count;
    stack.push(f);
    while (stack.length > 0) {
      const g = stack.pop()!;
      const d = found.direction[g]!;
      const lc = found.latticeCell[g]!;
      const a = lc % ni;
      const b = Math.floor(lc / ni) % nj;
      const c = Math.floor(lc / (ni * nj));
      const axis = d >> 1;
      // Step along the two in-plane axes.
      for (let inPlane = 0; inPlane < 3; inPlane++) {
        if (inPlane === axis) continue;
        for (const step of [-1, 1]) {
          const pa = a + (inPlane === 0 ? step : 0);
          const pb = b + (inPlane === 1 ? step : 0);
          const pc = c + (inPlane === 2 ? step : 0);
          if (pa < 0 || pb < 0 || pc < 0 || pa >= ni || pb >= nj || pc >= dims[2]) continue;
          const h = bySide.get((pa + pb * ni + pc * ni * nj) * 6 + d);
          if (h !== undefined && component[h] === -1) {
            component[h] = count;
            stack.push(h);
          }
        }
      }
    }
    count++;
  }
  return { component, count };
}

/**
 * Groups boundary facets by the labels on their two sides: key `L_M` for a facet of a label-L
 * cell facing label M (0 for background or outside the grid).
 */
export function facetLabelPairs(
  labels: Uint8Array,
  dims: readonly [number, number, number],
  found: LatticeFacets,
  cellLabels: Uint16Array,
): Map<string, number[]> {
  const [ni, nj] = dims;
  const STEP = [-1, 1, -ni, ni, -ni * nj, ni * nj];
  const pairs = new Map<string, number[]>();
  for (let q = 0; q < found.direction.length; q++) {
    const facing =
      found.onGridSide[q] === 1 ? 0 : labels[found.latticeCell[q]! + STEP[found.direction[q]!]!]!;
    const key = `${cellLabels[found.facets[2 * q]!]!}_${facing}`;
    let list = pairs.get(key);
    if (list === undefined) pairs.set(key, (list = []));
    list.push(q);
  }
  return pairs;
}
