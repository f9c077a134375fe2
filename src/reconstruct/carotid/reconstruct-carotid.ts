import { assembleCarotidGeometry } from './assemble-carotid-geometry.js';
import type { PatientBranchData, PatientCut, PatientProfile } from './assemble-carotid-geometry.js';
import { CAROTID_BRANCHES } from './carotid-geometry.js';
import type { CarotidBranchName, CarotidGeometry, CarotidProvenance } from './carotid-geometry.js';
import { carotidMeasurements } from './carotid-measurements.js';
import type { CarotidMeasurements, CutWallThickness } from './carotid-measurements.js';
import { checkCarotidViews } from './carotid-views.js';
import type { CarotidViews } from './carotid-views.js';
import { CAROTID_GENERIC_DEFAULTS, resolveCarotidModel } from './generic-carotid.js';
import type { CarotidFrame, CarotidGenericParameters } from './generic-carotid.js';
import {
  measureBifurcationView,
  measureBranchView,
  measureTransversalView,
  mergeProfiles,
} from './measure-views.js';
import type { BifurcationMeasurement } from './measure-views.js';

/** Options of {@link reconstructCarotid}. */
export interface ReconstructCarotidOptions {
  /**
   * Generic model for whatever the views do not show; its CCA diameter and ratios are replaced by
   * measured ones where views give them.
   * @defaultValue `CAROTID_GENERIC_DEFAULTS`
   */
  readonly generic?: Partial<CarotidGenericParameters>;
}

/** What one view gave. */
export interface CarotidViewReport {
  /** `longitudinal[i]` or `transversal[i]`. */
  readonly view: string;
  readonly covers: 'bifurcation' | CarotidBranchName;
  /** Bifurcation views: the flow-divider apex found in the mask, pixels (column, row). */
  readonly apexPixel?: readonly [column: number, row: number];
  /** Longitudinal views: axial range measured on each branch, mm. */
  readonly measuredMm?: Partial<Record<CarotidBranchName, readonly [from: number, to: number]>>;
  /** Transversal views: equal-area lumen diameter, mm. */
  readonly lumenDiameterMm?: number;
  /** Transversal views: lumen and outer ellipse semi-axes along columns (u) and rows (v), mm. */
  readonly lumenSemiAxesMm?: readonly [u: number, v: number];
  readonly outerSemiAxesMm?: readonly [u: number, v: number];
  /** Transversal views: lumen centroid minus outer centroid (plaque eccentricity), mm. */
  readonly lumenOffsetMm?: readonly [u: number, v: number];
  /** Transversal views: largest wall thickness around the cut, mm. */
  readonly maxWallThicknessMm?: number;
}

/** The result of {@link reconstructCarotid}. */
export interface CarotidReconstruction {
  readonly geometry: CarotidGeometry;
  readonly measurements: CarotidMeasurements;
  /** The generic model after scaling to the patient, used wherever views were silent. */
  readonly template: CarotidGenericParameters;
  /** Where each scaled template parameter came from. */
  readonly templateProvenance: Readonly<
    Partial<Record<keyof CarotidGenericParameters, CarotidProvenance>>
  >;
  readonly views: readonly CarotidViewReport[];
  readonly warnings: readonly string[];
}

function median(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 === 1 ? (v[m] ?? NaN) : ((v[m - 1] ?? NaN) + (v[m] ?? NaN)) / 2;
}

/** Values of a profile at positions within [from, to], finite only. */
function valuesIn(
  profile: PatientProfile | undefined,
  array: (p: PatientProfile) => Float64Array,
  from: number,
  to: number,
): number[] {
  if (profile === undefined) return [];
  const out: number[] = [];
  array(profile).forEach((v, i) => {
    const s = profile.startMm + i * profile.stepMm;
    if (s >= from && s <= to && Number.isFinite(v)) out.push(v);
  });
  return out;
}

/** Axial range of the finite lumen values of a profile. */
function measuredRange(profile: PatientProfile | undefined): readonly [number, number] | undefined {
  if (profile === undefined) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  profile.lumenU.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const s = profile.startMm + i * profile.stepMm;
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  });
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * Reconstructs a carotid bifurcation from ultrasound lumen/wall masks: adapts the generic model
 * (Bharadvaj et al. 1982 proportions) to the views, as Djukić et al. adapt a semi-generic
 * bifurcation to a few ultrasound sections and centerlines.
 *
 * @remarks
 * - A bifurcation view gives the skeleton (flow divider, three straight axes fitted to the outer wall
 *   centres, the junction where the ICA and ECA axes meet) and, every 0.25 mm along each axis, the
 *   lumen and outer wall boundaries perpendicular to it (0.5 crossings of the bilinearly
 *   interpolated masks), smoothed over ±0.5 mm. Single-branch views add diameters along their
 *   branch; without a bifurcation view the skeleton is the generic one.
 * - Transversal cuts give each branch's ellipse axis ratio (second moments of the lumen and outer
 *   regions, scaled to their pixel areas), interpolated along the branch; a branch seen only in cuts
 *   takes its diameters from them; a branch with no cut stays circular.
 * - What no view shows comes from the generic model scaled to the measured CCA, ICA and ECA
 *   diameters and wall thickness, faded in over 5 mm beyond the measured range.
 * - Every branch part and every measurement carries its provenance (`patient` with view names, or
 *   `generic`). Known limits: the lumen's out-of-plane offset seen in a cut is reported but not swept
 *   along the branch; curved axes are followed only within a bifurcation view.
 *
 * @throws `PlatformError` `ERR_RECONSTRUCT_INPUT` for invalid masks or a bifurcation view in which no
 *   flow divider can be found.
 */
export function reconstructCarotid(
  views: CarotidViews,
  options: ReconstructCarotidOptions = {},
): CarotidReconstruction {
  checkCarotidViews(views);
  const warnings: string[] = [];
  const reports: CarotidViewReport[] = [];
  const profiles: Record<CarotidBranchName, PatientProfile[]> = { cca: [], ica: [], eca: [] };
  let skeleton: { measurement: BifurcationMeasurement; view: string } | undefined;

  views.longitudinal.forEach((view, i) => {
    const name = `longitudinal[${i}]`;
    if (view.covers === 'bifurcation') {
      const measurement = measureBifurcationView(view, name);
      warnings.push(...measurement.warnings);
      if (skeleton === undefined) skeleton = { measurement, view: name };
      else
        warnings.push(
          `${name}: a second bifurcation view adds diameters; the skeleton is ${skeleton.view}'s`,
        );
      const measuredMm: Partial<Record<CarotidBranchName, readonly [number, number]>> = {};
      for (const b of CAROTID_BRANCHES) {
        const p = measurement.profiles[b];
        if (p !== undefined) profiles[b].push(p);
        const r = measuredRange(p);
        if (r !== undefined) measuredMm[b] = r;
      }
      reports.push({
        view: name,
        covers: 'bifurcation',
        apexPixel: measurement.apexPixel,
        measuredMm,
      });
    } else {
      const p = measureBranchView(view, name);
      if (p !== undefined) profiles[view.covers].push(p);
      const r = measuredRange(p);
      reports.push({
        view: name,
        covers: view.covers,
        ...(r === undefined ? {} : { measuredMm: { [view.covers]: r } }),
      });
      if (r === undefined) warnings.push(`${name}: no lumen could be measured`);
    }
  });

  const cuts: Record<CarotidBranchName, PatientCut[]> = { cca: [], ica: [], eca: [] };
  const cutWalls: CutWallThickness[] = [];
  views.transversal.forEach((view, i) => {
    const name = `transversal[${i}]`;
    const result = measureTransversalView(view, name);
    if (result === undefined) {
      warnings.push(`${name}: no lumen in the cut`);
      reports.push({ view: name, covers: view.branch });
      return;
    }
    const { cut } = result;
    cuts[view.branch].push(cut);
    if (cut.outerU !== undefined) cutWalls.push({ valueMm: result.maxWallThicknessMm, view: name });
    reports.push({
      view: name,
      covers: view.branch,
      lumenDiameterMm: 2 * Math.sqrt(cut.lumenU * cut.lumenV),
      lumenSemiAxesMm: [cut.lumenU, cut.lumenV],
      ...(cut.outerU !== undefined && cut.outerV !== undefined
        ? {
            outerSemiAxesMm: [cut.outerU, cut.outerV] as const,
            maxWallThicknessMm: result.maxWallThicknessMm,
          }
        : {}),
      lumenOffsetMm: result.lumenOffsetMm,
    });
  });

  const merged: Record<CarotidBranchName, PatientProfile | undefined> = {
    cca: mergeProfiles(profiles.cca),
    ica: mergeProfiles(profiles.ica),
    eca: mergeProfiles(profiles.eca),
  };

  // Scale the generic model to what was measured.
  const base: CarotidGenericParameters = {
    ...CAROTID_GENERIC_DEFAULTS,
    ...options.generic,
    side: views.side,
  };
  const prov: Partial<Record<keyof CarotidGenericParameters, CarotidProvenance>> = {};
  const patient = (views: readonly string[], note?: string): CarotidProvenance => ({
    source: 'patient',
    views: [...new Set(views)],
    ...(note === undefined ? {} : { note }),
  });
  const cutViews = (b: CarotidBranchName): string[] => cuts[b].map((c) => c.view);

  let D = base.ccaDiameterMm;
  const ccaProfileD = 2 * median(valuesIn(merged.cca, (p) => p.lumenU, -Infinity, Infinity));
  const ccaCutD = 2 * median(cuts.cca.map((c) => c.lumenU));
  if (Number.isFinite(ccaProfileD)) {
    D = ccaProfileD;
    prov.ccaDiameterMm = patient(merged.cca?.views ?? []);
  } else if (Number.isFinite(ccaCutD)) {
    D = ccaCutD;
    prov.ccaDiameterMm = patient(cutViews('cca'));
  }
  const ratio = (v: number): number => v / D;
  let icaRatio = base.icaDiameterRatio;
  const icaRange = measuredRange(merged.ica);
  const icaFar = cuts.ica.reduce<PatientCut | undefined>(
    (best, c) => (best === undefined || c.positionMm > best.positionMm ? c : best),
    undefined,
  );
  if (icaRange !== undefined && icaRange[1] >= 3 * D) {
    icaRatio = ratio(
      2 * median(valuesIn(merged.ica, (p) => p.lumenU, icaRange[1] - 10, icaRange[1])),
    );
    prov.icaDiameterRatio = patient(merged.ica?.views ?? [], 'most distal 10 mm measured');
  } else if (icaFar !== undefined && icaFar.positionMm >= 3 * D) {
    icaRatio = ratio(2 * icaFar.lumenU);
    prov.icaDiameterRatio = patient([icaFar.view]);
  }
  let bulbRatio = base.bulbDiameterRatio;
  const bulbValues = valuesIn(merged.ica, (p) => p.lumenU, 0, 2.5 * D);
  if (bulbValues.length > 0) {
    bulbRatio = ratio(2 * Math.max(...bulbValues));
    prov.bulbDiameterRatio = patient(merged.ica?.views ?? []);
  }
  bulbRatio = Math.max(bulbRatio, icaRatio);
  let ecaRatio = base.ecaDiameterRatio;
  const ecaProfileD = 2 * median(valuesIn(merged.eca, (p) => p.lumenU, 2, Infinity));
  const ecaCutD = 2 * median(cuts.eca.map((c) => c.lumenU));
  if (Number.isFinite(ecaProfileD)) {
    ecaRatio = ratio(ecaProfileD);
    prov.ecaDiameterRatio = patient(merged.eca?.views ?? []);
  } else if (Number.isFinite(ecaCutD)) {
    ecaRatio = ratio(ecaCutD);
    prov.ecaDiameterRatio = patient(cutViews('eca'));
  }
  const aspectOf = (b: CarotidBranchName, fallback: number): number => {
    const a = median(cuts[b].map((c) => c.lumenV / c.lumenU));
    return Number.isFinite(a) ? a : fallback;
  };
  const healthyWall = median(
    CAROTID_BRANCHES.flatMap((b) => {
      const p = merged[b];
      if (p === undefined) return [];
      return Array.from(p.outerU, (o, i) => o - (p.lumenU[i] ?? NaN) - Math.abs(p.offsetU[i] ?? 0));
    }),
  );
  const cutWall = median(
    CAROTID_BRANCHES.flatMap((b) =>
      cuts[b].map((c) =>
        c.outerU === undefined || c.outerV === undefined
          ? NaN
          : Math.sqrt(c.outerU * c.outerV) - Math.sqrt(c.lumenU * c.lumenV),
      ),
    ),
  );
  let wall = base.wallThicknessMm;
  if (Number.isFinite(healthyWall) && healthyWall > 0) {
    wall = healthyWall;
    prov.wallThicknessMm = patient(
      CAROTID_BRANCHES.flatMap((b) => merged[b]?.views ?? []),
      'median of the thinner side',
    );
  } else if (Number.isFinite(cutWall) && cutWall > 0) {
    wall = cutWall;
    prov.wallThicknessMm = patient(CAROTID_BRANCHES.flatMap(cutViews));
  }
  const frame: CarotidFrame | undefined = skeleton?.measurement.frame;
  const angle = (b: 'ica' | 'eca'): number | undefined => {
    if (frame === undefined) return undefined;
    const d = frame.direction[b];
    return (Math.atan2(Math.abs(d[0]), d[1]) * 180) / Math.PI;
  };
  const icaAngle = angle('ica');
  const ecaAngle = angle('eca');
  if (skeleton !== undefined) {
    prov.icaAngleDeg = patient([skeleton.view]);
    prov.ecaAngleDeg = patient([skeleton.view]);
  }
  for (const [key, b] of [
    ['ccaAspectRatio', 'cca'],
    ['icaAspectRatio', 'ica'],
    ['ecaAspectRatio', 'eca'],
  ] as const) {
    if (cuts[b].length > 0) prov[key] = patient(cutViews(b));
  }
  // The patient's plaque is in the measured sections: the template has none.
  const withoutStenosis: CarotidGenericParameters = { ...base };
  delete (withoutStenosis as { stenosis?: unknown }).stenosis;
  const template = resolveCarotidModel({
    ...withoutStenosis,
    ccaDiameterMm: D,
    icaDiameterRatio: icaRatio,
    bulbDiameterRatio: bulbRatio,
    ecaDiameterRatio: ecaRatio,
    wallThicknessMm: wall,
    ccaAspectRatio: aspectOf('cca', base.ccaAspectRatio),
    icaAspectRatio: aspectOf('ica', base.icaAspectRatio),
    ecaAspectRatio: aspectOf('eca', base.ecaAspectRatio),
    ...(icaAngle === undefined ? {} : { icaAngleDeg: icaAngle }),
    ...(ecaAngle === undefined ? {} : { ecaAngleDeg: ecaAngle }),
  });

  const patientData: Partial<Record<CarotidBranchName, PatientBranchData>> = {};
  for (const b of CAROTID_BRANCHES) {
    const profile = merged[b];
    patientData[b] = {
      ...(profile === undefined ? {} : { profile }),
      cuts: cuts[b],
      ...(skeleton?.measurement.axes.includes(b) === true ? { axisView: skeleton.view } : {}),
    };
  }
  const geometry = assembleCarotidGeometry({
    template,
    ...(frame === undefined ? {} : { frame }),
    patient: patientData,
  });
  if (frame === undefined)
    warnings.push('no bifurcation view: the branch axes and the junction are generic');
  const { measurements, warnings: measureWarnings } = carotidMeasurements(geometry, cutWalls);
  warnings.push(...measureWarnings);
  return {
    geometry,
    measurements,
    template: template.parameters,
    templateProvenance: prov,
    views: reports,
    warnings,
  };
}
