import type { CarotidBranchName, CarotidGeometry } from './carotid-geometry.js';
import { lumenDiameterMm } from './carotid-geometry.js';

/** One branch's lumen centerline with radii: what the simulation stage reads. */
export interface CarotidCenterlineBranch {
  readonly name: CarotidBranchName;
  /** `cca` for the ICA and ECA, whose first point is the CCA's last (the junction). */
  readonly parent?: 'cca';
  /** Lumen centres, model frame (see `CarotidGeometry`), proximal to distal, mm. */
  readonly points: readonly (readonly [x: number, y: number, z: number])[];
  /** Equal-area lumen radius at each point, mm. */
  readonly radii: readonly number[];
}

/**
 * Centerlines of a bifurcation in the JSON shape the simulation stage consumes:
 * `{ branches: [{ name, parent?, points: [x, y, z][] (mm), radii: mm[] }] }`.
 */
export interface CarotidCenterlines {
  readonly branches: readonly CarotidCenterlineBranch[];
}

/** Options of {@link carotidCenterlines}. */
export interface CarotidCenterlineOptions {
  /** Spacing of the output points along each branch, mm. @defaultValue 0.5 */
  readonly stepMm?: number;
}

const round = (v: number): number => Math.round(v * 1e4) / 1e4;

/**
 * Lumen centerlines with equal-area radii, sampled every `stepMm` along each branch. The ICA and
 * ECA start at the point where the CCA ends (the junction of the axes), so the three polylines
 * form a tree.
 */
export function carotidCenterlines(
  geometry: CarotidGeometry,
  options: CarotidCenterlineOptions = {},
): CarotidCenterlines {
  const step = options.stepMm ?? 0.5;
  const cca = geometry.branches.find((b) => b.name === 'cca');
  const ccaLast = cca?.sections[cca.sections.length - 1];
  const lumenCentre = (s: NonNullable<typeof ccaLast>): readonly [number, number, number] => {
    const [cu, cv] = s.lumenOffsetMm;
    return [0, 1, 2].map((a) =>
      round((s.center[a] ?? 0) + cu * (s.normalU[a] ?? 0) + cv * (s.normalV[a] ?? 0)),
    ) as unknown as readonly [number, number, number];
  };
  return {
    branches: geometry.branches.map((b) => {
      const sections = b.sections;
      const first = sections[0];
      const last = sections[sections.length - 1];
      const spacing =
        first !== undefined && last !== undefined && sections.length > 1
          ? (last.positionMm - first.positionMm) / (sections.length - 1)
          : step;
      const every = Math.max(1, Math.round(step / spacing));
      const picked = sections.filter((_, i) => i % every === 0);
      if (last !== undefined && picked[picked.length - 1] !== last) picked.push(last);
      const points = picked.map(lumenCentre);
      const radii = picked.map((s) => round(lumenDiameterMm(s) / 2));
      // Daughters start exactly where the parent ends.
      if (b.parent !== undefined && ccaLast !== undefined && points.length > 0) {
        points[0] = lumenCentre(ccaLast);
      }
      return {
        name: b.name,
        ...(b.parent === undefined ? {} : { parent: b.parent }),
        points,
        radii,
      };
    }),
  };
}
