import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../core/index.js';
import { FE_CELL_TYPE } from './fe-mesh.js';
import type { FeMesh } from './fe-mesh.js';
import { feMeshCellQuality, feMeshQuality } from './fe-mesh-quality.js';

/** A one-cell mesh from corner coordinates (8 for a hexahedron, 6 for a wedge). */
function oneCell(corners: readonly (readonly number[])[]): FeMesh {
  const wedge = corners.length === 6;
  const cells = new Uint32Array(8);
  for (let k = 0; k < corners.length; k++) cells[k] = k;
  return {
    points: Float64Array.from(corners.flat()),
    cells,
    cellTypes: Uint8Array.of(wedge ? FE_CELL_TYPE.wedge : FE_CELL_TYPE.hexahedron),
    regions: Uint16Array.of(1),
    regionList: [{ id: 1, name: 'part' }],
    nodeSets: {},
    elementSets: {},
    surfaces: {},
  };
}

// prettier-ignore
const CUBE = [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]];

// Per-cell figures are stored as Float32 (cell data for .vtu): compare them to 6 digits.
describe('feMeshQuality', () => {
  it('scores a unit cube 1 with volume 1 and edge ratio 1', () => {
    const q = feMeshQuality(oneCell(CUBE));
    expect(q).toMatchObject({ cells: 1, nodes: 8, hexahedra: 1, wedges: 0, inverted: 0 });
    expect(q.minScaledJacobian).toBeCloseTo(1, 6);
    expect(q.volumeMm3).toBeCloseTo(1, 12);
    expect(q.maxAspectRatio).toBeCloseTo(1, 6);
  });

  it('gives a sheared box the sine of its shear angle and the exact volume of a warped top', () => {
    // Top face shifted by 1 along x: the corner angle between x and the slanted edge is 45°.
    const sheared = CUBE.map(([x = 0, y = 0, z = 0]) => [x + z, y, z]);
    const q = feMeshQuality(oneCell(sheared));
    expect(q.minScaledJacobian).toBeCloseTo(Math.SQRT1_2, 6);
    expect(q.volumeMm3).toBeCloseTo(1, 12);
    expect(q.maxAspectRatio).toBeCloseTo(Math.SQRT2, 6);
    // Trilinear cell over the unit square with corner heights 1, 2, 3, 4: volume = mean height.
    const heights = [1, 2, 3, 4];
    const warped = CUBE.map(([x = 0, y = 0, z = 0], i) => [x, y, z * (heights[i % 4] ?? 1)]);
    expect(feMeshQuality(oneCell(warped)).volumeMm3).toBeCloseTo(2.5, 12);
  });

  it('counts an inverted cell and refuses it when a threshold is asked for', () => {
    // Top and bottom swapped: every corner Jacobian is negative.
    const inverted = [...CUBE.slice(4), ...CUBE.slice(0, 4)];
    const q = feMeshQuality(oneCell(inverted));
    expect(q.inverted).toBe(1);
    expect(q.minScaledJacobian).toBeCloseTo(-1, 6);
    expect(q.volumeMm3).toBeCloseTo(-1, 12);
    try {
      feMeshQuality(oneCell(inverted), { minScaledJacobian: 0.2 });
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(isPlatformError(error) && error.code).toBe('ERR_MESH_QUALITY');
      expect(String(error)).toMatch(/1 inverted cells/);
    }
  });

  it('enforces thresholds on good meshes too', () => {
    const sheared = CUBE.map(([x = 0, y = 0, z = 0]) => [x + z, y, z]);
    expect(() => feMeshQuality(oneCell(sheared), { minScaledJacobian: 0.8 })).toThrow(
      /below the minimum scaled Jacobian 0.8/,
    );
    expect(feMeshQuality(oneCell(sheared), { minScaledJacobian: 0.7 }).belowThreshold).toBe(0);
    expect(() => feMeshQuality(oneCell(sheared), { maxAspectRatio: 1.2 })).toThrow(/edge ratio/);
  });

  it('measures wedges: equilateral prism scores 1, volume = area × height', () => {
    const h = 2;
    const s3 = Math.sqrt(3) / 2;
    // prettier-ignore
    const prism = [[0, 0, 0], [1, 0, 0], [0.5, s3, 0], [0, 0, h], [1, 0, h], [0.5, s3, h]];
    const q = feMeshCellQuality(oneCell(prism));
    expect(q.report.wedges).toBe(1);
    expect(q.report.minScaledJacobian).toBeCloseTo(1, 6);
    expect(q.report.volumeMm3).toBeCloseTo((Math.sqrt(3) / 4) * h, 12);
    expect(q.aspectRatio[0]).toBeCloseTo(2, 6);
    // Clockwise bottom triangle: inverted.
    const flipped = [prism[0], prism[2], prism[1], prism[3], prism[5], prism[4]].map(
      (p) => p ?? [],
    );
    expect(feMeshQuality(oneCell(flipped)).inverted).toBe(1);
  });

  it('reports NaN figures for an empty mesh', () => {
    const empty: FeMesh = {
      ...oneCell(CUBE),
      cells: new Uint32Array(),
      cellTypes: new Uint8Array(),
      regions: new Uint16Array(),
    };
    const q = feMeshQuality(empty);
    expect(q.cells).toBe(0);
    expect(q.minScaledJacobian).toBeNaN();
  });
});
