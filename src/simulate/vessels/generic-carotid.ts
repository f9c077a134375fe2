import { PlatformError } from '../../core/index.js';
import type { VesselBranch, VesselPoint, VesselTree } from './vessel-tree.js';

/** Options of {@link genericCarotidBifurcation}; ratios are of the CCA diameter D. */
export interface GenericCarotidOptions {
  /**
   * CCA diameter D, mm.
   * @defaultValue 8
   */
  readonly ccaDiameterMm?: number;
  /**
   * Distal ICA diameter over D.
   * @defaultValue 0.7
   */
  readonly icaRatio?: number;
  /**
   * ECA diameter over D.
   * @defaultValue 0.58
   */
  readonly ecaRatio?: number;
  /**
   * Maximum sinus (bulb) diameter over D.
   * @defaultValue 1.1
   */
  readonly bulbRatio?: number;
  /**
   * Angle between the ICA and the CCA axis, degrees.
   * @defaultValue 25
   */
  readonly icaAngleDeg?: number;
  /**
   * Angle between the ECA and the CCA axis, degrees (on the other side, same plane).
   * @defaultValue 25
   */
  readonly ecaAngleDeg?: number;
  /**
   * Lengths of the CCA, ICA and ECA, mm.
   * @defaultValue 50, 60 and 40
   */
  readonly lengthsMm?: { readonly cca: number; readonly ica: number; readonly eca: number };
  /**
   * Spacing of the centreline points, mm.
   * @defaultValue 1
   */
  readonly spacingMm?: number;
}

/**
 * An idealised planar carotid bifurcation with the usual proportions of Bharadvaj, Mabon & Giddens
 * (J Biomech 1982, cardiovascular.md §3.1): CCA diameter D (8 mm), ICA 0.7 D, ECA 0.58 D, a sinus
 * of 1.1 D whose maximum lies 1 D past the flow divider, tapering back to the ICA diameter by 3.5 D,
 * branches at 25° on either side of the CCA axis. Coordinates in mm, LPS: the CCA runs superiorly
 * (+S) along the z axis to the bifurcation at the origin, the ICA leans posteriorly (+P), the ECA
 * anteriorly. The ICA radius starts at the CCA radius, rises as a half cosine to the sinus maximum
 * and falls as a half cosine to the distal ICA radius (an idealisation: the 1982 paper draws the
 * sinus from arcs).
 */
export function genericCarotidBifurcation(options: GenericCarotidOptions = {}): VesselTree {
  const d = options.ccaDiameterMm ?? 8;
  const ica = options.icaRatio ?? 0.7;
  const eca = options.ecaRatio ?? 0.58;
  const bulb = options.bulbRatio ?? 1.1;
  const icaAngle = ((options.icaAngleDeg ?? 25) * Math.PI) / 180;
  const ecaAngle = ((options.ecaAngleDeg ?? 25) * Math.PI) / 180;
  const lengths = options.lengthsMm ?? { cca: 50, ica: 60, eca: 40 };
  const spacing = options.spacingMm ?? 1;
  const values = [d, ica, eca, bulb, spacing, lengths.cca, lengths.ica, lengths.eca];
  if (!values.every((v) => v > 0 && Number.isFinite(v)))
    throw new PlatformError(
      'ERR_SIMULATE_INPUT',
      'generic carotid: diameters, ratios, lengths and spacing must be finite and > 0',
    );
  const line = (
    length: number,
    from: VesselPoint,
    dir: VesselPoint,
    radius: (s: number) => number,
  ): { points: VesselPoint[]; radii: number[] } => {
    const steps = Math.max(2, Math.ceil(length / spacing));
    const points: VesselPoint[] = [];
    const radii: number[] = [];
    for (let i = 0; i <= steps; i++) {
      const s = (i * length) / steps;
      points.push([from[0] + s * dir[0], from[1] + s * dir[1], from[2] + s * dir[2]]);
      radii.push(radius(s));
    }
    return { points, radii };
  };
  const rc = d / 2;
  const rIca = (ica * d) / 2;
  const rBulb = (bulb * d) / 2;
  const icaRadius = (s: number): number => {
    if (s <= d) return rc + ((rBulb - rc) * (1 - Math.cos((Math.PI * s) / d))) / 2;
    if (s <= 3.5 * d)
      return rIca + ((rBulb - rIca) * (1 + Math.cos((Math.PI * (s - d)) / (2.5 * d)))) / 2;
    return rIca;
  };
  const cca: VesselBranch = {
    name: 'cca',
    ...line(lengths.cca, [0, 0, -lengths.cca], [0, 0, 1], () => rc),
  };
  const icaBranch: VesselBranch = {
    name: 'ica',
    parent: 'cca',
    ...line(lengths.ica, [0, 0, 0], [0, Math.sin(icaAngle), Math.cos(icaAngle)], icaRadius),
  };
  const ecaBranch: VesselBranch = {
    name: 'eca',
    parent: 'cca',
    ...line(
      lengths.eca,
      [0, 0, 0],
      [0, -Math.sin(ecaAngle), Math.cos(ecaAngle)],
      () => (eca * d) / 2,
    ),
  };
  return { branches: [cca, icaBranch, ecaBranch] };
}
