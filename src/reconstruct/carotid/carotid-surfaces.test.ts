import { describe, expect, it } from 'vitest';
import { carotidBranch, lumenDiameterMm } from './carotid-geometry.js';
import type { CarotidBranchGeometry, CarotidGeometry, CarotidSection } from './carotid-geometry.js';
import { carotidCenterlines } from './carotid-centerlines.js';
import { carotidMeshStats } from './carotid-mesh-stats.js';
import { carotidSurfaces } from './carotid-surfaces.js';
import { genericCarotidGeometry } from './generic-carotid-geometry.js';
import { resolveCarotidModel } from './generic-carotid.js';
import { genericLabelAt } from './rasterize-carotid-views.js';

/** A straight tube along z: lumen radius r, wall t, sections every 0.25 mm over [0, length]. */
function tube(name: 'cca' | 'ica', r: number, t: number, length: number): CarotidGeometry {
  const sections: CarotidSection[] = [];
  for (let s = 0; s <= length + 1e-9; s += 0.25) {
    sections.push({
      positionMm: s,
      center: [0, 0, s],
      tangent: [0, 0, 1],
      normalU: [1, 0, 0],
      normalV: [0, 1, 0],
      lumenOffsetMm: [0, 0],
      lumenSemiAxesMm: [r, r],
      outerSemiAxesMm: [r + t, r + t],
      source: 'generic',
    });
  }
  const generic = { source: 'generic' as const, views: [] };
  const branch: CarotidBranchGeometry = {
    name,
    sections,
    provenance: { centerline: generic, diameters: generic, crossSection: generic, wall: generic },
  };
  return { side: 'right', junction: [0, 0, 0], branches: [branch] };
}

describe('carotidSurfaces', () => {
  it('closes a straight tube with the analytic volume (flat inlet, round junction end)', () => {
    const r = 2;
    const length = 20;
    const s = carotidSurfaces(tube('cca', r, 0.7, length));
    const lumen = carotidMeshStats(s.lumen);
    const wall = carotidMeshStats(s.wall);
    expect(lumen.watertight).toBe(true);
    expect(wall.watertight).toBe(true);
    expect(lumen.eulerCharacteristic).toBe(2);
    // Cylinder plus the hemisphere that closes the junction end.
    const v = (a: number): number => Math.PI * a * a * length + (2 / 3) * Math.PI * a ** 3;
    expect(Math.abs(lumen.volumeMm3 / v(r) - 1)).toBeLessThan(0.01);
    expect(Math.abs(wall.volumeMm3 / v(r + 0.7) - 1)).toBeLessThan(0.01);
    // The same tube as a daughter: the round end is the proximal one; same volume.
    const daughter = carotidMeshStats(carotidSurfaces(tube('ica', r, 0.7, length)).lumen);
    expect(Math.abs(daughter.volumeMm3 / v(r) - 1)).toBeLessThan(0.01);
  });

  it('joins the three branches into one closed lumen whose volume matches the voxelised truth', () => {
    const params = { stenosis: { nascetPct: 50 } };
    const s = carotidSurfaces(genericCarotidGeometry(params), { voxelMm: 0.3 });
    const lumen = carotidMeshStats(s.lumen);
    const wall = carotidMeshStats(s.wall);
    for (const m of [lumen, wall]) {
      expect(m.boundaryEdges).toBe(0);
      expect(m.nonManifoldEdges).toBe(0);
      expect(m.misorientedEdges).toBe(0);
      expect(m.eulerCharacteristic).toBe(2);
      expect(m.volumeMm3).toBeGreaterThan(0);
    }
    expect(wall.volumeMm3).toBeGreaterThan(lumen.volumeMm3);
    // Independent estimate: count the analytic model's lumen points on a 0.3 mm grid.
    const model = resolveCarotidModel(params);
    const h = 0.35;
    let inside = 0;
    for (let w = -17; w <= 23.5; w += h)
      for (let v = -4; v <= 4; v += h)
        for (let z = -31; z <= 37; z += h) if (genericLabelAt(model, w, v, z) === 1) inside++;
    expect(Math.abs(lumen.volumeMm3 / (inside * h ** 3) - 1)).toBeLessThan(0.02);
  });

  it('keeps the wall surface while a plaque narrows the lumen', () => {
    const plain = carotidSurfaces(genericCarotidGeometry(), { voxelMm: 0.4 });
    const stenosed = carotidSurfaces(genericCarotidGeometry({ stenosis: { nascetPct: 70 } }), {
      voxelMm: 0.4,
    });
    const a = carotidMeshStats(plain.wall).volumeMm3;
    const b = carotidMeshStats(stenosed.wall).volumeMm3;
    expect(Math.abs(b / a - 1)).toBeLessThan(0.002);
    expect(carotidMeshStats(stenosed.lumen).volumeMm3).toBeLessThan(
      carotidMeshStats(plain.lumen).volumeMm3 - 100,
    );
  });
});

describe('carotidCenterlines', () => {
  it('gives a tree of lumen centres with equal-area radii in the simulation JSON shape', () => {
    const g = genericCarotidGeometry({ stenosis: { nascetPct: 50 } });
    const c = JSON.parse(JSON.stringify(carotidCenterlines(g))) as ReturnType<
      typeof carotidCenterlines
    >;
    expect(c.branches.map((b) => [b.name, b.parent])).toEqual([
      ['cca', undefined],
      ['ica', 'cca'],
      ['eca', 'cca'],
    ]);
    const [cca, ica, eca] = c.branches;
    expect(ica?.points[0]).toEqual(cca?.points.at(-1));
    expect(eca?.points[0]).toEqual(cca?.points.at(-1));
    for (const b of c.branches) expect(b.points.length).toBe(b.radii.length);
    // Points every 0.5 mm; the narrowest radius is the stenosis throat: 0.5 · 0.7 D / 2.
    expect(Math.min(...(ica?.radii ?? []))).toBeCloseTo((0.5 * 0.7 * 6.5) / 2, 2);
    const sections = carotidBranch(g, 'cca').sections;
    expect(cca?.radii[0]).toBeCloseTo(lumenDiameterMm(sections[0]!) / 2, 4);
    const step = Math.hypot(
      ...[0, 1, 2].map((a) => (cca?.points[1]?.[a] ?? 0) - (cca?.points[0]?.[a] ?? 0)),
    );
    expect(step).toBeCloseTo(0.5, 2);
  });
});
