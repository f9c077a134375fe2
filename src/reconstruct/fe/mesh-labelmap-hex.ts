import { PlatformError } from '../../core/index.js';
import type { Dimensions, Labelmap, Vec3 } from '../../core/index.js';
import { FE_CELL_TYPE, feFacetNodes, feSurfaceNodes } from './fe-mesh.js';
import type { FeMesh, FeRegion } from './fe-mesh.js';
import {
  buildHexLattice,
  facetLabelPairs,
  gridSideComponents,
  latticeBoundaryFacets,
} from './kernels/hex-lattice.js';
import { resampleLabelsKernel } from './kernels/resample-labels.js';
import { smoothLatticeBoundary } from './kernels/smooth-lattice.js';
import type { LatticeSmoothStats } from './kernels/smooth-lattice.js';

/**
 * A user plane that names the boundary facets near it: a vessel inlet or outlet cut by the
 * segmentation.
 */
export interface FePlane {
  /** Surface and node set name (`inlet`, `outlet_ica`…). */
  readonly name: string;
  /** A point on the plane (LPS, mm). */
  readonly point: Vec3;
  /** The plane normal (any length, any sign). */
  readonly normal: Vec3;
  /**
   * Facets whose centre lies within this distance of the plane belong to it, in mm.
   * @defaultValue the longest element edge
   */
  readonly toleranceMm?: number;
  /** Only facets within this distance of `point`, measured in the plane, in mm. */
  readonly radiusMm?: number;
}

/** Boundary smoothing of a voxel mesh (see {@link meshLabelmapHex}). */
export interface FeSmoothingOptions {
  /** Smoothing iterations (one λ and, for Taubin, one μ step each). */
  readonly iterations: number;
  /** @defaultValue `'taubin'` (does not shrink the shape); `'laplacian'` shrinks it. */
  readonly method?: 'taubin' | 'laplacian';
  /** Taubin's λ, the shrinking step. @defaultValue 0.5 */
  readonly lambda?: number;
  /** Taubin's μ, the inflating step (negative, |μ| slightly above λ). @defaultValue −0.53 */
  readonly mu?: number;
  /**
   * Guard: a node move is refused if any cell around it would fall below this minimum corner
   * scaled Jacobian (the move is retried at half and a quarter step first).
   * @defaultValue 0.35
   */
  readonly minScaledJacobian?: number;
  /** Laplacian sweeps of the interior nodes near the boundary per iteration. @defaultValue 1 */
  readonly relaxSweeps?: number;
  /** How many node layers under the boundary are relaxed. @defaultValue 2 */
  readonly relaxLayers?: number;
}

/** Options of {@link meshLabelmapHex}. */
export interface LabelmapHexOptions {
  /** Labels to mesh. @defaultValue every non-zero label present */
  readonly labels?: readonly number[];
  /**
   * Element edge length in mm; the label map is resampled onto a grid of cells of about this
   * size (per axis: `round(extent / size)` cells). Exclusive with `voxelsPerElement`.
   */
  readonly elementSizeMm?: number;
  /**
   * Element edge as a multiple of the voxel spacing (per axis `round(n / m)` cells).
   * @defaultValue 1 (one hexahedron per voxel, no resampling)
   */
  readonly voxelsPerElement?: number;
  /**
   * How a resampled cell takes its label: the most frequent label of the voxels it covers, or the
   * label of the voxel at its centre.
   * @defaultValue `'majority'`
   */
  readonly sampling?: 'majority' | 'centre';
  /** Boundary smoothing; none when absent or with 0 iterations. */
  readonly smoothing?: FeSmoothingOptions;
  /**
   * Vessel openings. `'grid-sides'`: each connected patch of facets on a side of the volume is an
   * opening; the largest (by area) is `inlet`, the others `outlet_1`, `outlet_2`… by decreasing
   * area. `planes`: the facets near each user plane. Either way the rest of the outer surface is
   * `wall`.
   * @defaultValue no openings
   */
  readonly openings?: 'grid-sides' | { readonly planes: readonly FePlane[] };
}

/** An opening found by {@link meshLabelmapHex}. */
export interface FeOpening {
  readonly name: string;
  readonly facets: number;
  /** Area of the opening's facets before smoothing, in mm². */
  readonly areaMm2: number;
  /** Mean of the facet centres, in mm (LPS). */
  readonly centre: Vec3;
}

/** What {@link meshLabelmapHex} returns. */
export interface LabelmapHexResult {
  readonly mesh: FeMesh;
  /** Cells per axis of the element grid. */
  readonly gridDimensions: Dimensions;
  /** Element edge length along i, j, k, in mm. */
  readonly elementSpacing: Vec3;
  readonly openings: readonly FeOpening[];
  /** What smoothing did, when asked for. */
  readonly smoothing?: LatticeSmoothStats;
}

function bad(message: string): PlatformError {
  return new PlatformError('ERR_MESH_INPUT', message);
}

/**
 * Meshes a label map with linear hexahedra, one per voxel or per resampled cell ("voxel" or
 * "grid-based" meshing, as in Keyak et al. 1990, "Automated three-dimensional finite element
 * modelling of bone", J Biomed Eng 12:389). Nodes are shared through a lattice index map and
 * only used nodes are kept. Each label is a region (element set `label_L`, cell data = the label).
 *
 * Named sets: surface `surface` (every facet between a meshed cell and an unmeshed one or the
 * outside) and its node set; surfaces `boundary_L_M` (facets of label L facing label M, 0 for
 * background or outside: for an LV myocardium with the blood pool labelled, `boundary_2_1` is the
 * endocardium); and, with `openings`, `inlet`, `outlet_*` and `wall`.
 *
 * @remarks
 * Optional Taubin smoothing moves boundary nodes only (interior nodes near the boundary are
 * relaxed after) and refuses any move that would bring a cell below the scaled Jacobian guard, so
 * the result never holds an inverted cell. Node positions are the cell corners: voxel (i, j, k)
 * spans index coordinates i ± 0.5 etc., mapped through the label map's origin, spacing and
 * direction.
 *
 * @example
 * ```ts
 * const { mesh } = meshLabelmapHex(labelmap, { labels: [1], smoothing: { iterations: 10 } });
 * feMeshQuality(mesh).minScaledJacobian; // ≥ 0.35 after smoothing, 1 without
 * ```
 */
export function meshLabelmapHex(
  labelmap: Labelmap,
  options: LabelmapHexOptions = {},
): LabelmapHexResult {
  const { dimensions: dims, spacing, origin, direction: d } = labelmap;
  if (dims.some((n) => !Number.isInteger(n) || n < 1)) {
    throw bad(`label map dimensions ${dims.join('×')} must be positive integers`);
  }
  if (labelmap.data.length !== dims[0] * dims[1] * dims[2]) {
    throw bad(
      `label map has ${labelmap.data.length} voxels, its dimensions ${dims.join('×')} need ${dims[0] * dims[1] * dims[2]}`,
    );
  }
  if (spacing.some((s) => !(s > 0))) throw bad(`spacing ${spacing.join(', ')} must be positive`);
  if (options.elementSizeMm !== undefined && options.voxelsPerElement !== undefined) {
    throw bad('give elementSizeMm or voxelsPerElement, not both');
  }
  let cellsPerAxis: [number, number, number] = [dims[0], dims[1], dims[2]];
  if (options.elementSizeMm !== undefined) {
    const h = options.elementSizeMm;
    if (!(h > 0)) throw bad(`element size ${h} mm must be positive`);
    cellsPerAxis = [0, 1, 2].map((a) =>
      Math.max(1, Math.round(((dims[a] ?? 1) * (spacing[a] ?? 1)) / h)),
    ) as [number, number, number];
  } else if (options.voxelsPerElement !== undefined) {
    const m = options.voxelsPerElement;
    if (!Number.isInteger(m) || m < 1) {
      throw bad(`voxelsPerElement ${m} must be a positive integer`);
    }
    cellsPerAxis = [0, 1, 2].map((a) => Math.max(1, Math.round((dims[a] ?? 1) / m))) as [
      number,
      number,
      number,
    ];
  }
  const resampled =
    cellsPerAxis[0] !== dims[0] || cellsPerAxis[1] !== dims[1] || cellsPerAxis[2] !== dims[2];
  const labels = resampled
    ? resampleLabelsKernel(
        labelmap.data,
        [dims[0], dims[1], dims[2]],
        cellsPerAxis,
        options.sampling ?? 'majority',
      )
    : labelmap.data;

  const present = new Uint8Array(256);
  for (const l of labels) present[l] = 1;
  const selected = new Uint8Array(256);
  if (options.labels === undefined) {
    selected.set(present);
    selected[0] = 0;
  } else {
    for (const l of options.labels) {
      if (!Number.isInteger(l) || l < 1 || l > 255) {
        throw bad(`label ${l} must be an integer from 1 to 255 (0 is background)`);
      }
      selected[l] = 1;
    }
  }
  let any = false;
  for (let l = 1; l < 256; l++) if (selected[l] === 1 && present[l] === 1) any = true;
  if (!any) {
    throw bad(
      options.labels === undefined
        ? 'the label map has no foreground voxels at this element size: nothing to mesh'
        : `none of labels ${options.labels.join(', ')} is present at this element size: check --labels`,
    );
  }

  // Lattice node (a, b, c) sits at voxel index −0.5 + a·f along each axis.
  const f: Vec3 = [dims[0] / cellsPerAxis[0], dims[1] / cellsPerAxis[1], dims[2] / cellsPerAxis[2]];
  const affine = new Float64Array(12);
  for (let row = 0; row < 3; row++) {
    let constant = origin[row] ?? 0;
    for (let axis = 0; axis < 3; axis++) {
      const scale = (d[3 * axis + row] ?? 0) * (spacing[axis] ?? 0);
      affine[4 * row + axis] = scale * (f[axis] ?? 1);
      constant -= 0.5 * scale;
    }
    affine[4 * row + 3] = constant;
  }
  const det =
    d[0] * (d[4] * d[8] - d[7] * d[5]) -
    d[3] * (d[1] * d[8] - d[7] * d[2]) +
    d[6] * (d[1] * d[5] - d[4] * d[2]);
  const mirrored = det < 0;
  const lattice = buildHexLattice(labels, cellsPerAxis, selected, affine, mirrored);
  const found = latticeBoundaryFacets(cellsPerAxis, lattice.cellOfLattice, mirrored);

  const cellCount = lattice.cellLabels.length;
  const regionIds = [...new Set(lattice.cellLabels)].sort((a, b) => a - b);
  const regionList: FeRegion[] = regionIds.map((id) => ({ id, name: `label_${id}` }));
  const elementSets: Record<string, Uint32Array> = {};
  for (const region of regionList) {
    elementSets[region.name] = indicesWhere(lattice.cellLabels, region.id);
  }

  const surfaces: Record<string, Uint32Array> = { surface: found.facets };
  // Facets by the label on each side.
  const pairs = facetLabelPairs(labels, cellsPerAxis, found, lattice.cellLabels);
  for (const [key, list] of [...pairs].sort(([a], [b]) => a.localeCompare(b))) {
    surfaces[`boundary_${key}`] = pickFacets(found.facets, list);
  }

  const spacingOut: Vec3 = [spacing[0] * f[0], spacing[1] * f[1], spacing[2] * f[2]];
  const partial: FeMesh = {
    points: lattice.points,
    cells: lattice.cells,
    cellTypes: new Uint8Array(cellCount).fill(FE_CELL_TYPE.hexahedron),
    regions: lattice.cellLabels,
    regionList,
    nodeSets: {},
    elementSets,
    surfaces,
  };

  const openings: FeOpening[] = [];
  if (options.openings !== undefined) {
    const groups =
      options.openings === 'grid-sides'
        ? gridSideOpenings(partial, cellsPerAxis, found)
        : planeOpenings(partial, found.facets, options.openings.planes, Math.max(...spacingOut));
    const inOpening = new Uint8Array(found.direction.length);
    for (const group of groups) {
      for (const q of group.facets) inOpening[q] = 1;
      const picked = pickFacets(found.facets, group.facets);
      surfaces[group.name] = picked;
      const stats = facetStats(partial, picked);
      openings.push({ name: group.name, facets: group.facets.length, ...stats });
    }
    const wall: number[] = [];
    for (let q = 0; q < inOpening.length; q++) if (inOpening[q] === 0) wall.push(q);
    surfaces['wall'] = pickFacets(found.facets, wall);
  }

  let smoothing: LatticeSmoothStats | undefined;
  const iterations = options.smoothing?.iterations ?? 0;
  if (options.smoothing !== undefined && iterations > 0) {
    const s = options.smoothing;
    const taubin = (s.method ?? 'taubin') === 'taubin';
    const axes = new Float64Array(d);
    smoothing = smoothLatticeBoundary(
      {
        dims: cellsPerAxis,
        nodeOfLattice: lattice.nodeOfLattice,
        latticeOfNode: lattice.latticeOfNode,
        cellOfLattice: lattice.cellOfLattice,
        cellLabels: lattice.cellLabels,
        cells: lattice.cells,
        points: lattice.points,
        axes,
      },
      {
        iterations,
        lambda: s.lambda ?? 0.5,
        mu: taubin ? (s.mu ?? -0.53) : 0,
        minScaledJacobian: s.minScaledJacobian ?? 0.35,
        relaxSweeps: s.relaxSweeps ?? 1,
        relaxLayers: s.relaxLayers ?? 2,
      },
    );
  }

  const nodeSets: Record<string, Uint32Array> = {};
  for (const [name, facets] of Object.entries(surfaces)) {
    nodeSets[name] = feSurfaceNodes(partial, facets);
  }
  const mesh: FeMesh = { ...partial, nodeSets };
  return {
    mesh,
    gridDimensions: cellsPerAxis,
    elementSpacing: spacingOut,
    openings,
    ...(smoothing === undefined ? {} : { smoothing }),
  };
}

function indicesWhere(values: Uint16Array, value: number): Uint32Array {
  let count = 0;
  for (const v of values) if (v === value) count++;
  const out = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === value) out[k++] = i;
  return out;
}

function pickFacets(facets: Uint32Array, list: readonly number[]): Uint32Array {
  const out = new Uint32Array(2 * list.length);
  list.forEach((q, k) => {
    out[2 * k] = facets[2 * q] ?? 0;
    out[2 * k + 1] = facets[2 * q + 1] ?? 0;
  });
  return out;
}

interface FacetGroup {
  readonly name: string;
  readonly facets: number[];
}

function facetCentre(mesh: FeMesh, cell: number, face: number): [number, number, number] {
  const nodes = feFacetNodes(mesh, cell, face);
  const c: [number, number, number] = [0, 0, 0];
  for (const n of nodes) {
    c[0] += (mesh.points[3 * n] ?? 0) / nodes.length;
    c[1] += (mesh.points[3 * n + 1] ?? 0) / nodes.length;
    c[2] += (mesh.points[3 * n + 2] ?? 0) / nodes.length;
  }
  return c;
}

/** Area (mm²) of a quadrilateral or triangular facet: half the norm of its diagonals' cross product. */
function facetAreaVector(mesh: FeMesh, cell: number, face: number): [number, number, number] {
  const nodes = feFacetNodes(mesh, cell, face);
  const p = (k: number, a: number): number => mesh.points[3 * (nodes[k] ?? 0) + a] ?? 0;
  const quad = nodes.length === 4;
  const u = [0, 1, 2].map((a) => p(2, a) - p(0, a));
  const v = [0, 1, 2].map((a) => (quad ? p(3, a) - p(1, a) : p(1, a) - p(0, a)));
  const [ux = 0, uy = 0, uz = 0] = u;
  const [vx = 0, vy = 0, vz = 0] = v;
  const s = quad ? 0.5 : -0.5;
  return [s * (uy * vz - uz * vy), s * (uz * vx - ux * vz), s * (ux * vy - uy * vx)];
}

function facetStats(
  mesh: FeMesh,
  facets: Uint32Array,
): { readonly areaMm2: number; readonly centre: Vec3 } {
  let area = 0;
  const centre: [number, number, number] = [0, 0, 0];
  const count = facets.length / 2;
  for (let q = 0; q < count; q++) {
    const cell = facets[2 * q] ?? 0;
    const face = facets[2 * q + 1] ?? 0;
    area += Math.hypot(...facetAreaVector(mesh, cell, face));
    const c = facetCentre(mesh, cell, face);
    centre[0] += c[0] / count;
    centre[1] += c[1] / count;
    centre[2] += c[2] / count;
  }
  return { areaMm2: area, centre };
}

/**
 * Total area of a surface, in mm² (quadrilaterals by half the cross product of their diagonals,
 * exact for planar ones).
 */
export function feSurfaceArea(mesh: FeMesh, facets: Uint32Array): number {
  return facetStats(mesh, facets).areaMm2;
}

function gridSideOpenings(
  mesh: FeMesh,
  dims: readonly [number, number, number],
  found: ReturnType<typeof latticeBoundaryFacets>,
): FacetGroup[] {
  const { component, count } = gridSideComponents(dims, found);
  const groups: number[][] = Array.from({ length: count }, () => []);
  for (let q = 0; q < component.length; q++) {
    const c = component[q] ?? -1;
    if (c >= 0) groups[c]?.push(q);
  }
  const withArea = groups.map((facets) => ({
    facets,
    area: facets.reduce(
      (sum, q) =>
        sum +
        Math.hypot(
          ...facetAreaVector(mesh, found.facets[2 * q] ?? 0, found.facets[2 * q + 1] ?? 0),
        ),
      0,
    ),
  }));
  withArea.sort((a, b) => b.area - a.area);
  return withArea.map((g, k) => ({ name: k === 0 ? 'inlet' : `outlet_${k}`, facets: g.facets }));
}

function planeOpenings(
  mesh: FeMesh,
  facets: Uint32Array,
  planes: readonly FePlane[],
  defaultTolerance: number,
): FacetGroup[] {
  const names = new Set<string>();
  const groups: FacetGroup[] = planes.map((plane) => {
    if (names.has(plane.name) || plane.name === 'wall' || plane.name === 'surface') {
      throw bad(`plane name "${plane.name}" is used twice or reserved (wall, surface)`);
    }
    names.add(plane.name);
    return { name: plane.name, facets: [] };
  });
  const units = planes.map((plane) => {
    const length = Math.hypot(...plane.normal);
    if (!(length > 0)) throw bad(`plane "${plane.name}" has a zero normal`);
    return plane.normal.map((x) => x / length) as [number, number, number];
  });
  const count = facets.length / 2;
  for (let q = 0; q < count; q++) {
    const cell = facets[2 * q] ?? 0;
    const face = facets[2 * q + 1] ?? 0;
    const c = facetCentre(mesh, cell, face);
    const area = facetAreaVector(mesh, cell, face);
    const areaNorm = Math.hypot(...area);
    for (let p = 0; p < planes.length; p++) {
      const plane = planes[p];
      const n = units[p];
      if (plane === undefined || n === undefined) continue;
      const rel: Vec3 = [c[0] - plane.point[0], c[1] - plane.point[1], c[2] - plane.point[2]];
      const dist = rel[0] * n[0] + rel[1] * n[1] + rel[2] * n[2];
      if (Math.abs(dist) > (plane.toleranceMm ?? defaultTolerance)) continue;
      // Staircase facets of the side wall run across the plane: keep facets facing along it.
      const align = Math.abs(area[0] * n[0] + area[1] * n[1] + area[2] * n[2]) / areaNorm;
      if (align < 0.5) continue;
      if (plane.radiusMm !== undefined) {
        const inPlane = Math.hypot(
          rel[0] - dist * n[0],
          rel[1] - dist * n[1],
          rel[2] - dist * n[2],
        );
        if (inPlane > plane.radiusMm) continue;
      }
      groups[p]?.facets.push(q);
      break;
    }
  }
  return groups;
}
