import { describe, expect, it } from 'vitest';
import type { Volume } from './volume.js';
import { createVolume, indexToWorld } from './volume.js';

function unitCube(): Volume {
  return createVolume({
    dimensions: [2, 2, 2],
    spacing: [0.5, 0.5, 2],
    origin: [-10, 20, 30],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    data: new Float32Array(8),
  });
}

describe('createVolume', () => {
  it('rejects data whose length does not match the dimensions, saying both', () => {
    expect(() => createVolume({ ...unitCube(), data: new Float32Array(7) })).toThrow(
      'data has 7 voxels, dimensions 2×2×2 need 8',
    );
  });
});

describe('indexToWorld', () => {
  it('scales by spacing and offsets by origin for an identity direction', () => {
    const [x, y, z] = indexToWorld(unitCube(), [1, 1, 1]);
    expect(x).toBeCloseTo(-9.5, 12);
    expect(y).toBeCloseTo(20.5, 12);
    expect(z).toBeCloseTo(32, 12);
  });

  it('uses direction[0..2] as the i axis', () => {
    // i points anterior (−y), j points left (+x): a 90° in-plane rotation.
    const volume = { ...unitCube(), direction: [0, -1, 0, 1, 0, 0, 0, 0, 1] as const };
    expect(indexToWorld(volume, [1, 0, 0])).toEqual([-10, 19.5, 30]);
  });
});
