import {
  carotidBranch,
  lumenDiameterMm,
  outerDiameterMm,
  sectionMaxWallThicknessMm,
} from './carotid-geometry.js';
import type {
  CarotidBranchGeometry,
  CarotidBranchName,
  CarotidGeometry,
  CarotidProvenance,
  CarotidSection,
} from './carotid-geometry.js';

/** A measured number with where it came from. */
export interface CarotidMeasured {
  readonly value: number;
  readonly provenance: CarotidProvenance;
}

/** Morphological measurements of a bifurcation, each with its provenance. */
export interface CarotidMeasurements {
  /** CCA lumen diameter (equal-area), median at least 5 mm proximal to the junction, mm. */
  readonly ccaDiameterMm: CarotidMeasured;
  /** Distal ICA lumen diameter: mean over the most distal 10 mm of the ICA (measured part), mm. */
  readonly icaDistalDiameterMm: CarotidMeasured;
  /** ECA lumen diameter: median from 2 mm distal to the flow divider, mm. */
  readonly ecaDiameterMm: CarotidMeasured;
  /** Largest ICA lumen diameter within 2.5 CCA diameters of the flow divider (the bulb), mm. */
  readonly bulbMaxDiameterMm: CarotidMeasured;
  /** Narrowest ICA lumen diameter distal to the flow divider, mm. */
  readonly minLumenDiameterMm: CarotidMeasured;
  /** Axial position of the narrowest ICA lumen, mm from the flow divider. */
  readonly minLumenPositionMm: CarotidMeasured;
  /**
   * NASCET diameter stenosis, percent: 100 · (1 − d_min / d_distal ICA), floored at 0 (North American
   * Symptomatic Carotid Endarterectomy Trial collaborators, NEJM 1991;325:445).
   */
  readonly nascetPct: CarotidMeasured;
  /**
   * ECST diameter stenosis, percent: 100 · (1 − d_min / d_vessel), d_vessel the vessel's outer
   * diameter (outer wall boundary) at the narrowest point (European Carotid Surgery Trial, Lancet
   * 1991;337:1235). Because the outer wall is the denominator, a plaque-free vessel reads about
   * 2 · wall thickness / outer diameter (≈ 20 %), not 0.
   */
  readonly ecstPct: CarotidMeasured;
  /**
   * Length of the longest plaque along the ICA or CCA, mm: the stretch where the wall is at least
   * 0.5 mm thicker than the branch's median wall (Mannheim consensus, Touboul et al.,
   * Cerebrovasc Dis 2012;34:290). 0 without plaque.
   */
  readonly plaqueLengthMm: CarotidMeasured;
  /** Branch and axial range of that plaque, when there is one. */
  readonly plaque?: {
    readonly branch: CarotidBranchName;
    readonly fromMm: number;
    readonly toMm: number;
  };
  /** Largest wall thickness anywhere (plaque included), mm. */
  readonly maxWallThicknessMm: CarotidMeasured;
  /** Angle between the ICA and CCA axes, degrees. */
  readonly icaAngleDeg: CarotidMeasured;
  /** Angle between the ECA and CCA axes, degrees. */
  readonly ecaAngleDeg: CarotidMeasured;
}

/** A wall thickness measured on a transversal cut. */
export interface CutWallThickness {
  readonly valueMm: number;
  readonly view: string;
}

/** The sections measured on the patient when there are any, else all of them. */
function usable(branch: CarotidBranchGeometry): readonly CarotidSection[] {
  const patient = branch.sections.filter((s) => s.source === 'patient');
  return patient.length > 0 ? patient : branch.sections;
}

function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 === 1 ? (v[m] ?? NaN) : ((v[m - 1] ?? NaN) + (v[m] ?? NaN)) / 2;
}

function merge(...items: CarotidProvenance[]): CarotidProvenance {
  const patient = items.some((p) => p.source === 'patient');
  return {
    source: patient ? 'patient' : 'generic',
    views: [...new Set(items.flatMap((p) => p.views))],
  };
}

function angleDeg(a: CarotidSection | undefined, b: CarotidSection | undefined): number {
  if (a === undefined || b === undefined) return NaN;
  const d = a.tangent[0] * b.tangent[0] + a.tangent[1] * b.tangent[1] + a.tangent[2] * b.tangent[2];
  return (Math.acos(Math.max(-1, Math.min(1, d))) * 180) / Math.PI;
}

/**
 * Measures diameters, stenosis degrees (NASCET, ECST), plaque length, wall thickness and branch
 * angles on a geometry; values measured on the patient's sections where a branch has any.
 *
 * @param cutWalls - wall thicknesses measured directly on transversal cuts, which can see a plaque
 *   out of the longitudinal plane.
 */
export function carotidMeasurements(
  geometry: CarotidGeometry,
  cutWalls: readonly CutWallThickness[] = [],
): { measurements: CarotidMeasurements; warnings: string[] } {
  const warnings: string[] = [];
  const cca = carotidBranch(geometry, 'cca');
  const ica = carotidBranch(geometry, 'ica');
  const eca = carotidBranch(geometry, 'eca');

  const ccaSections = usable(cca);
  const ccaEnd = cca.sections[cca.sections.length - 1]?.positionMm ?? 0;
  const ccaClean = ccaSections.filter((s) => s.positionMm <= ccaEnd - 5);
  const ccaD = median((ccaClean.length > 0 ? ccaClean : ccaSections).map(lumenDiameterMm));

  const icaSections = usable(ica).filter((s) => s.positionMm >= 0);
  const icaEnd = icaSections[icaSections.length - 1]?.positionMm ?? 0;
  const distal = icaSections.filter((s) => s.positionMm >= icaEnd - 10);
  const dDistal =
    distal.reduce((sum, s) => sum + lumenDiameterMm(s), 0) / Math.max(1, distal.length);
  if (icaEnd < 3 * ccaD)
    warnings.push(
      `the ICA is measured only to ${icaEnd.toFixed(1)} mm from the flow divider, less than 3 CCA diameters: the NASCET distal reference may still lie in the bulb`,
    );
  let narrowest: CarotidSection | undefined;
  for (const s of icaSections) {
    if (narrowest === undefined || lumenDiameterMm(s) < lumenDiameterMm(narrowest)) narrowest = s;
  }
  const dMin = narrowest === undefined ? NaN : lumenDiameterMm(narrowest);
  const bulb = icaSections.filter((s) => s.positionMm <= 2.5 * ccaD);
  const bulbMax = Math.max(...bulb.map(lumenDiameterMm));
  const ecaD = median(
    usable(eca)
      .filter((s) => s.positionMm >= 2)
      .map(lumenDiameterMm),
  );

  // Wall: sections measured with a wall mask (all sections when none was).
  const anyPatientWall = geometry.branches.some((b) => b.provenance.wall.source === 'patient');
  const wallSections = (b: CarotidBranchGeometry): readonly CarotidSection[] => {
    const own = b.provenance.wall.source === 'patient';
    if (anyPatientWall && !own) return [];
    const list = own ? b.sections.filter((s) => s.source === 'patient') : b.sections;
    return b.name === 'cca' ? list : list.filter((s) => s.positionMm >= 0.5);
  };
  let maxWall = 0;
  for (const b of geometry.branches) {
    for (const s of wallSections(b)) maxWall = Math.max(maxWall, sectionMaxWallThicknessMm(s));
  }
  for (const c of cutWalls) maxWall = Math.max(maxWall, c.valueMm);

  let plaque: { branch: CarotidBranchName; fromMm: number; toMm: number } | undefined;
  for (const b of [ica, cca]) {
    const list = wallSections(b);
    const thickness = list.map(sectionMaxWallThicknessMm);
    const ref = median(thickness);
    let start = -1;
    for (let i = 0; i <= list.length; i++) {
      const thick = i < list.length && (thickness[i] ?? 0) - ref >= 0.5;
      if (thick && start < 0) start = i;
      if (!thick && start >= 0) {
        const from = list[start]?.positionMm ?? 0;
        const to = list[i - 1]?.positionMm ?? 0;
        if (plaque === undefined || to - from > plaque.toMm - plaque.fromMm)
          plaque = { branch: b.name, fromMm: from, toMm: to };
        start = -1;
      }
    }
  }
  const step = (ica.sections[1]?.positionMm ?? 0.25) - (ica.sections[0]?.positionMm ?? 0);
  const plaqueLength = plaque === undefined ? 0 : plaque.toMm - plaque.fromMm + step;

  const icaD = ica.provenance.diameters;
  const wallProv = merge(
    ...geometry.branches.map((b) => b.provenance.wall),
    ...(cutWalls.length > 0
      ? [{ source: 'patient' as const, views: cutWalls.map((c) => c.view) }]
      : []),
  );
  const measured = (value: number, provenance: CarotidProvenance): CarotidMeasured => ({
    value,
    provenance,
  });
  const ccaTangent = cca.sections[0];
  const measurements: CarotidMeasurements = {
    ccaDiameterMm: measured(ccaD, cca.provenance.diameters),
    icaDistalDiameterMm: measured(dDistal, icaD),
    ecaDiameterMm: measured(ecaD, eca.provenance.diameters),
    bulbMaxDiameterMm: measured(bulbMax, icaD),
    minLumenDiameterMm: measured(dMin, icaD),
    minLumenPositionMm: measured(narrowest?.positionMm ?? NaN, icaD),
    nascetPct: measured(Math.max(0, 100 * (1 - dMin / dDistal)), icaD),
    ecstPct: measured(
      narrowest === undefined ? NaN : 100 * (1 - dMin / outerDiameterMm(narrowest)),
      merge(icaD, ica.provenance.wall),
    ),
    plaqueLengthMm: measured(
      plaqueLength,
      plaque === undefined
        ? merge(ica.provenance.wall, cca.provenance.wall)
        : merge((plaque.branch === 'cca' ? cca : ica).provenance.wall),
    ),
    ...(plaque === undefined ? {} : { plaque }),
    maxWallThicknessMm: measured(maxWall, wallProv),
    icaAngleDeg: measured(
      angleDeg(ccaTangent, ica.sections[0]),
      merge(cca.provenance.centerline, ica.provenance.centerline),
    ),
    ecaAngleDeg: measured(
      angleDeg(ccaTangent, eca.sections[0]),
      merge(cca.provenance.centerline, eca.provenance.centerline),
    ),
  };
  return { measurements, warnings };
}
