import { hexCornersKeep } from './cell-quality.js';

/** Inputs of {@link smoothLatticeBoundary}: a voxel hexahedral mesh and its lattice maps. */
export interface LatticeSmoothInput {
  /** Cells per axis of the lattice. */
  readonly dims: readonly [number, number, number];
  readonly nodeOfLattice: Int32Array;
  readonly latticeOfNode: Int32Array;
  readonly cellOfLattice: Int32Array;
  readonly cellLabels: Uint16Array;
  readonly cells: Uint32Array;
  /** Node coordinates, moved in place. */
  readonly points: Float64Array;
  /** Unit world vectors of the lattice axes i, j, k (9 numbers), to keep side nodes on the side. */
  readonly axes: Float64Array;
}

/** Settings of {@link smoothLatticeBoundary}. */
export interface LatticeSmoothSettings {
  readonly iterations: number;
  /** Positive (shrinking) step, Taubin's λ. */
  readonly lambda: number;
  /** Negative (inflating) step, Taubin's μ; 0 for plain Laplacian smoothing. */
  readonly mu: number;
  /** Every cell around a moved node must keep at least this minimum corner scaled Jacobian. */
  readonly minScaledJacobian: number;
  /** Jacobi sweeps of interior relaxation after each iteration. */
  readonly relaxSweeps: number;
  /** Interior nodes within this many lattice steps of the boundary are relaxed. */
  readonly relaxLayers: number;
}

/** What {@link smoothLatticeBoundary} did. */
export interface LatticeSmoothStats {
  readonly boundaryNodes: number;
  readonly relaxedNodes: number;
  /** Moves applied (at full or reduced step). */
  readonly accepted: number;
  /** Moves refused because some cell would have fallen below the scaled Jacobian guard. */
  readonly rejected: number;
}

/**
 * Smooths the boundary of a voxel hexahedral mesh (the faces between meshed and unmeshed cells and
 * between cells of different labels) with Laplacian or Taubin λ|μ smoothing (Taubin 1995, "A
 * signal processing approach to fair surface design", SIGGRAPH '95), each boundary node moving
 * towards the mean of its neighbours along boundary edges; then relaxes the interior nodes near
 * the boundary by Laplacian sweeps. Every move is applied node by node and kept only if all the
 * cells around the node keep a minimum corner scaled Jacobian of at least the guard (halving the
 * step up to twice before giving up), so no cell is ever inverted. Nodes on the sides of the grid
 * move only within the side plane, so openings cut by the volume stay flat.
 */
export function smoothLatticeBoundary(
  input: LatticeSmoothInput,
  settings: LatticeSmoothSettings,
): LatticeSmoothStats {
  const { dims, nodeOfLattice, latticeOfNode, cellOfLattice, cellLabels, cells, points, axes } =
    input;
  const [ni, nj, nk] = dims;
  const li = ni + 1;
  const lij = li * (nj + 1);
  const nodeCount = latticeOfNode.length;
  const STRIDE = [1, li, lij];

  // Label of lattice cell (a, b, c), −1 outside the grid or not meshed.
  const labelAt = (a: number, b: number, c: number): number => {
    if (a < 0 || b < 0 || c < 0 || a >= ni || b >= nj || c >= nk) return -1;
    const cell = cellOfLattice[a + b * ni + c * ni * nj]!;
    return cell < 0 ? -1 : cellLabels[cell]!;
  };
  const coords = (n: number): [number, number, number] => [
    n % li,
    Math.floor(n / li) % (nj + 1),
    Math.floor(n / lij),
  ];

  // Boundary edges: the four cells around the edge are not all alike.
  const isBoundaryEdge = (a: number, b: number, c: number, axis: number): boolean => {
    let l0: number, l1: number, l2: number, l3: number;
    if (axis === 0) {
      l0 = labelAt(a, b - 1, c - 1);
      l1 = labelAt(a, b, c - 1);
      l2 = labelAt(a, b - 1, c);
      l3 = labelAt(a, b, c);
    } else if (axis === 1) {
      l0 = labelAt(a - 1, b, c - 1);
      l1 = labelAt(a, b, c - 1);
      l2 = labelAt(a - 1, b, c);
      l3 = labelAt(a, b, c);
    } else {
      l0 = labelAt(a - 1, b - 1, c);
      l1 = labelAt(a, b - 1, c);
      l2 = labelAt(a - 1, b, c);
      l3 = labelAt(a, b, c);
    }
    const meshed = l0 >= 0 || l1 >= 0 || l2 >= 0 || l3 >= 0;
    return meshed && !(l0 === l1 && l1 === l2 && l2 === l3);
  };

  // Classify nodes; depth 0 = boundary, 1..relaxLayers = interior band, 255 = far.
  const depth = new Uint8Array(nodeCount).fill(255);
  const boundary: number[] = [];
  for (let id = 0; id < nodeCount; id++) {
    const [a, b, c] = coords(latticeOfNode[id]!);
    const l = labelAt(a, b, c);
    let mixed = false;
    for (let k = 0; k < 8 && !mixed; k++) {
      if (labelAt(a - (k & 1), b - ((k >> 1) & 1), c - ((k >> 2) & 1)) !== l) mixed = true;
    }
    if (mixed) {
      depth[id] = 0;
      boundary.push(id);
    }
  }
  // Neighbours of boundary nodes along boundary edges (−1 where none), and side constraints.
  const nb = boundary.length;
  const neighbours = new Int32Array(6 * nb).fill(-1);
  const sideMask = new Uint8Array(nb);
  for (let q = 0; q < nb; q++) {
    const id = boundary[q]!;
    const n = latticeOfNode[id]!;
    const [a, b, c] = coords(n);
    const at = [a, b, c];
    const size = [ni, nj, nk];
    for (let axis = 0; axis < 3; axis++) {
      const x = at[axis]!;
      if (x === 0 || x === size[axis]) sideMask[q] = sideMask[q]! | (1 << axis);
      const stride = STRIDE[axis]!;
      if (x < size[axis]! && isBoundaryEdge(a, b, c, axis)) {
        neighbours[6 * q + 2 * axis + 1] = nodeOfLattice[n + stride]!;
      }
      if (x > 0) {
        const [pa, pb, pc] = [
          a - (axis === 0 ? 1 : 0),
          b - (axis === 1 ? 1 : 0),
          c - (axis === 2 ? 1 : 0),
        ];
        if (isBoundaryEdge(pa, pb, pc, axis))
          neighbours[6 * q + 2 * axis] = nodeOfLattice[n - stride]!;
      }
    }
  }
  // Interior band by breadth-first layers over lattice edges.
  let front = boundary;
  const band: number[] = [];
  for (let layer = 1; layer <= settings.relaxLayers; layer++) {
    const next: number[] = [];
    for (const id of front) {
      const n = latticeOfNode[id]!;
      for (let axis = 0; axis < 3; axis++) {
        for (const step of [-STRIDE[axis]!, STRIDE[axis]!]) {
          const m = n + step;
          if (m < 0 || m >= nodeOfLattice.length) continue;
          const other = nodeOfLattice[m]!;
          if (other < 0 || depth[other] !== 255) continue;
          // Lattice steps off the side of the grid wrap around: check the coordinates agree.
          const [a, b, c] = coords(n);
          const [ma, mb, mc] = coords(m);
          if (Math.abs(a - ma) + Math.abs(b - mb) + Math.abs(c - mc) !== 1) continue;
          depth[other] = layer;
          next.push(other);
          band.push(other);
        }
      }
    }
    front = next;
  }

  const scratch = new Float64Array(24);
  // 1e-4 of the mean edge length of the first cell, squared.
  let tiny2 = 0;
  if (cells.length >= 8) {
    const a = 3 * cells[0]!;
    const b = 3 * cells[6]!;
    const diag2 =
      (points[a]! - points[b]!) ** 2 +
      (points[a + 1]! - points[b + 1]!) ** 2 +
      (points[a + 2]! - points[b + 2]!) ** 2;
    tiny2 = (1e-8 * diag2) / 3;
  }
  const target = new Float64Array(3 * Math.max(nb, band.length));
  let accepted = 0;
  let rejected = 0;

  // Cells around each moving node (boundary nodes, then the band) and the node's corner in each.
  const movers = boundary.concat(band);
  const incidentCell = new Int32Array(8 * movers.length).fill(-1);
  const incidentCorner = new Uint8Array(8 * movers.length);
  for (let q = 0; q < movers.length; q++) {
    const id = movers[q]!;
    const [a, b, c] = coords(latticeOfNode[id]!);
    let k = 0;
    for (let around = 0; around < 8; around++) {
      const ca = a - (around & 1);
      const cb = b - ((around >> 1) & 1);
      const cc = c - ((around >> 2) & 1);
      if (ca < 0 || cb < 0 || cc < 0 || ca >= ni || cb >= nj || cc >= nk) continue;
      const cell = cellOfLattice[ca + cb * ni + cc * ni * nj]!;
      if (cell < 0) continue;
      let corner = 0;
      while (corner < 8 && cells[8 * cell + corner] !== id) corner++;
      incidentCell[8 * q + k] = cell;
      incidentCorner[8 * q + k] = corner;
      k++;
    }
  }

  // True when every cell around mover `q` keeps the guard with its node at (x, y, z).
  const keepsQuality = (q: number, x: number, y: number, z: number): boolean => {
    for (let k = 0; k < 8; k++) {
      const cell = incidentCell[8 * q + k]!;
      if (cell < 0) break;
      const moved = incidentCorner[8 * q + k]!;
      const base = 8 * cell;
      for (let corner = 0; corner < 8; corner++) {
        const node = 3 * cells[base + corner]!;
        scratch[3 * corner] = points[node]!;
        scratch[3 * corner + 1] = points[node + 1]!;
        scratch[3 * corner + 2] = points[node + 2]!;
      }
      scratch[3 * moved] = x;
      scratch[3 * moved + 1] = y;
      scratch[3 * moved + 2] = z;
      if (!hexCornersKeep(scratch, moved, settings.minScaledJacobian)) return false;
    }
    return true;
  };

  // Applies the targets of movers `from..to-1` (targets indexed from 0) one node at a time.
  const apply = (from: number, to: number): void => {
    for (let q = from; q < to; q++) {
      const id = movers[q]!;
      const t = 3 * (q - from);
      const px = points[3 * id]!;
      const py = points[3 * id + 1]!;
      const pz = points[3 * id + 2]!;
      const dx = target[t]! - px;
      const dy = target[t + 1]! - py;
      const dz = target[t + 2]! - pz;
      // Converged nodes: a move this small changes nothing worth the quality test.
      if (dx * dx + dy * dy + dz * dz < tiny2) continue;
      let done = false;
      for (let f = 1; f >= 0.25 && !done; f /= 2) {
        if (keepsQuality(q, px + f * dx, py + f * dy, pz + f * dz)) {
          points[3 * id] = px + f * dx;
          points[3 * id + 1] = py + f * dy;
          points[3 * id + 2] = pz + f * dz;
          done = true;
        }
      }
      if (done) accepted++;
      else rejected++;
    }
  };

  const boundaryStep = (factor: number): void => {
    for (let q = 0; q < nb; q++) {
      const id = boundary[q]!;
      let sx = 0,
        sy = 0,
        sz = 0,
        count = 0;
      for (let e = 0; e < 6; e++) {
        const m = neighbours[6 * q + e]!;
        if (m < 0) continue;
        sx += points[3 * m]!;
        sy += points[3 * m + 1]!;
        sz += points[3 * m + 2]!;
        count++;
      }
      const px = points[3 * id]!;
      const py = points[3 * id + 1]!;
      const pz = points[3 * id + 2]!;
      if (count === 0) {
        target[3 * q] = px;
        target[3 * q + 1] = py;
        target[3 * q + 2] = pz;
        continue;
      }
      let dx = factor * (sx / count - px);
      let dy = factor * (sy / count - py);
      let dz = factor * (sz / count - pz);
      const mask = sideMask[q]!;
      for (let axis = 0; axis < 3; axis++) {
        if ((mask & (1 << axis)) === 0) continue;
        const ux = axes[3 * axis]!;
        const uy = axes[3 * axis + 1]!;
        const uz = axes[3 * axis + 2]!;
        const along = dx * ux + dy * uy + dz * uz;
        dx -= along * ux;
        dy -= along * uy;
        dz -= along * uz;
      }
      target[3 * q] = px + dx;
      target[3 * q + 1] = py + dy;
      target[3 * q + 2] = pz + dz;
    }
    apply(0, nb);
  };

  const relaxStep = (): void => {
    for (let q = 0; q < band.length; q++) {
      const id = band[q]!;
      const n = latticeOfNode[id]!;
      let sx = 0,
        sy = 0,
        sz = 0;
      for (let axis = 0; axis < 3; axis++) {
        const stride = STRIDE[axis]!;
        const lo = nodeOfLattice[n - stride]!;
        const hi = nodeOfLattice[n + stride]!;
        sx += points[3 * lo]! + points[3 * hi]!;
        sy += points[3 * lo + 1]! + points[3 * hi + 1]!;
        sz += points[3 * lo + 2]! + points[3 * hi + 2]!;
      }
      target[3 * q] = sx / 6;
      target[3 * q + 1] = sy / 6;
      target[3 * q + 2] = sz / 6;
    }
    apply(nb, movers.length);
  };

  for (let it = 0; it < settings.iterations; it++) {
    boundaryStep(settings.lambda);
    if (settings.mu !== 0) boundaryStep(settings.mu);
    for (let s = 0; s < settings.relaxSweeps; s++) relaxStep();
  }
  return { boundaryNodes: nb, relaxedNodes: band.length, accepted, rejected };
}
