import type { Vec3 } from '../core/index.js';
import { expectedFovMm, minimumCoverageMm } from '../protocol/index.js';
import type { Protocol, ProtocolSeries } from '../protocol/index.js';
import { median } from './robust-stats.js';
import type { QaCheck } from './qa-result.js';
import type { SeriesGeometryObservation, SeriesObservation } from './series-observation.js';

const AXES: Readonly<Record<'sag' | 'cor' | 'ax', Vec3>> = {
  sag: [1, 0, 0],
  cor: [0, 1, 0],
  ax: [0, 0, 1],
};

const DEG = 180 / Math.PI;

/** Angle between a slice normal and an axis, ignoring sign, in degrees. */
function angleToAxis(normal: Vec3, axis: Vec3): number {
  const n = Math.hypot(normal[0], normal[1], normal[2]);
  const c = Math.abs(normal[0] * axis[0] + normal[1] * axis[1] + normal[2] * axis[2]) / n;
  return Math.acos(Math.min(1, c)) * DEG;
}

/**
 * The orientation family of a slice normal: the cardinal plane whose axis it is closest to, or
 * `oblique` when it is more than `obliqueMinDeg` away from every axis.
 */
export function orientationFamily(normal: Vec3, obliqueMinDeg: number): string {
  let best = 'oblique';
  let bestAngle = Infinity;
  for (const [family, axis] of Object.entries(AXES)) {
    const a = angleToAxis(normal, axis);
    if (a < bestAngle) {
      bestAngle = a;
      best = family;
    }
  }
  return bestAngle >= obliqueMinDeg ? 'oblique' : best;
}

/** Session-wide inputs of the region checks. */
export interface RegionContext {
  /**
   * Estimated session frame origin (LPS mm): per axis, the median over the session's series of
   * `centre − expected offset · stature scale`. Undefined when fewer than three series have
   * geometry.
   */
  readonly frameMm?: Vec3;
  /** PatientSize / reference stature; 1 when the size is unknown. */
  readonly statureScale: number;
  /** Whether PatientSize was known. */
  readonly statureKnown: boolean;
  /** Observed primary series by protocol key, for `relativeTo`. */
  readonly byKey: ReadonlyMap<string, SeriesObservation>;
}

/**
 * Estimates where the session's body frame lies: each series with geometry votes with its centre
 * minus its expected offset (scaled by stature), and the per-axis median of the votes is the
 * frame origin. The median ignores a minority of misplaced series, so a shifted slab is reported
 * against the others rather than moving the frame.
 */
export function estimateRegionContext(
  protocol: Protocol,
  assigned: ReadonlyMap<string, SeriesObservation>,
  patientSizeM: number | undefined,
): RegionContext {
  const statureKnown = patientSizeM !== undefined && patientSizeM > 0.5 && patientSizeM < 2.5;
  const statureScale = statureKnown ? patientSizeM / protocol.region.referenceStatureM : 1;
  const votes: Vec3[] = [];
  for (const series of protocol.series) {
    const got = assigned.get(series.key)?.geometry;
    const o = series.region.centreMm;
    if (got === undefined || o === undefined || series.region.relativeTo !== undefined) continue;
    const s = series.region.scaleWithStature ? statureScale : 1;
    votes.push([
      got.centreMm[0] - o[0] * s,
      got.centreMm[1] - o[1] * s,
      got.centreMm[2] - o[2] * s,
    ]);
  }
  const frameMm: Vec3 | undefined =
    votes.length >= 3
      ? [
          median(votes.map((v) => v[0])),
          median(votes.map((v) => v[1])),
          median(votes.map((v) => v[2])),
        ]
      : undefined;
  return {
    ...(frameMm === undefined ? {} : { frameMm }),
    statureScale,
    statureKnown,
    byKey: assigned,
  };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const fmt = (v: Vec3): string => `[${v.map(round1).join(', ')}]`;

/**
 * Scan-region conformity of one series: slice orientation family (`region.orientation`), centre
 * of the field of view relative to the session frame or to a landmark series (`region.centre`),
 * coverage along the slice normal (`region.coverage`) and in-plane field of view
 * (`region.fov`). Each result carries value, expected value and tolerance, in millimetres or
 * degrees.
 */
export function checkRegion(
  series: ProtocolSeries,
  observed: SeriesObservation,
  context: RegionContext,
): QaCheck[] {
  const base = { seriesKey: series.key, seriesInstanceUid: observed.seriesInstanceUid };
  const region = series.region;
  const g = observed.geometry;
  if (g === undefined) {
    return [
      {
        ...base,
        check: 'region.orientation',
        status: 'warn',
        value: null,
        expected: region.orientation,
        reason: `${series.key}: position or orientation missing from the headers; the scan region cannot be checked`,
      },
    ];
  }
  const checks: QaCheck[] = [];

  // Orientation.
  const family = orientationFamily(g.normal, region.obliqueMinDeg);
  if (region.orientation === 'sax') {
    const minAngle = Math.min(...Object.values(AXES).map((a) => angleToAxis(g.normal, a)));
    const ok = minAngle >= region.obliqueMinDeg;
    checks.push({
      ...base,
      check: 'region.orientation',
      status: ok ? 'pass' : 'fail',
      value: family,
      expected: 'oblique (short axis)',
      tolerance: `≥ ${region.obliqueMinDeg}° from every axis`,
      unit: 'deg',
      reason: ok
        ? `double-oblique, ${round1(minAngle)}° from the nearest axis`
        : `${series.key} is acquired ${family} (${round1(minAngle)}° from an axis); the protocol expects a double-oblique short axis`,
      detail: { angleToNearestAxisDeg: minAngle, normal: g.normal },
    });
  } else {
    const angle = angleToAxis(g.normal, AXES[region.orientation]);
    const ok = angle <= region.orientationToleranceDeg;
    checks.push({
      ...base,
      check: 'region.orientation',
      status: ok ? 'pass' : 'fail',
      value: family,
      expected: region.orientation,
      tolerance: `≤ ${region.orientationToleranceDeg}°`,
      unit: 'deg',
      reason: ok
        ? `${region.orientation}, ${round1(angle)}° from the axis`
        : `${series.key} is acquired ${family}; the protocol expects ${region.orientation} (normal ${round1(angle)}° off)`,
      detail: { angleDeg: angle, normal: g.normal },
    });
  }

  // Centre of the field of view, when the protocol places the series.
  if (region.centreMm !== undefined) checks.push(checkCentre(series, observed, g, context));

  // Coverage along the normal.
  const coverageMin = minimumCoverageMm(series);
  const coverageOk = g.extentMm >= coverageMin - 1e-6;
  checks.push({
    ...base,
    check: 'region.coverage',
    status: coverageOk ? 'pass' : 'fail',
    value: round1(g.extentMm),
    expected: `≥ ${round1(coverageMin)}`,
    unit: 'mm',
    reason: coverageOk
      ? `covers ${round1(g.extentMm)} mm`
      : `${series.key} covers ${round1(g.extentMm)} mm along the slice normal; the protocol needs at least ${round1(coverageMin)} mm`,
  });

  // In-plane field of view.
  const want = expectedFovMm(series.parameters);
  const fovOk = g.fovMm.every(
    (v, i) => Math.abs(v - (want[i] ?? 0)) <= region.fovToleranceRel * (want[i] ?? 0) + 1e-6,
  );
  checks.push({
    ...base,
    check: 'region.fov',
    status: fovOk ? 'pass' : 'fail',
    value: g.fovMm.map(round1),
    expected: `[${want.map(round1).join(', ')}]`,
    tolerance: `±${region.fovToleranceRel * 100} %`,
    unit: 'mm',
    reason: fovOk
      ? 'field of view conforms'
      : `${series.key}: field of view ${g.fovMm.map(round1).join(' × ')} mm, the protocol says ${want.map(round1).join(' × ')} mm`,
  });
  return checks;
}

function checkCentre(
  series: ProtocolSeries,
  observed: SeriesObservation,
  g: SeriesGeometryObservation,
  context: RegionContext,
): QaCheck {
  const base = { seriesKey: series.key, seriesInstanceUid: observed.seriesInstanceUid };
  const region = series.region;
  const centre = region.centreMm ?? [0, 0, 0];
  const scale = region.scaleWithStature ? context.statureScale : 1;
  let reference: Vec3 | undefined;
  let referenceName: string;
  // Relative to a landmark series, `centreMm` is the expected difference of the two centres.
  const expectedOffset: Vec3 = [centre[0] * scale, centre[1] * scale, centre[2] * scale];
  if (region.relativeTo !== undefined) {
    const landmark = context.byKey.get(region.relativeTo)?.geometry?.centreMm;
    reference = landmark;
    referenceName = `series ${region.relativeTo}`;
  } else {
    reference = context.frameMm;
    referenceName = 'the session frame';
  }
  if (reference === undefined) {
    return {
      ...base,
      check: 'region.centre',
      status: 'warn',
      value: [...g.centreMm],
      expected: fmt(expectedOffset),
      reason: `${series.key}: no reference to place it against (${referenceName} is not available)`,
    };
  }
  {
    const actualOffset: Vec3 = [
      g.centreMm[0] - reference[0],
      g.centreMm[1] - reference[1],
      g.centreMm[2] - reference[2],
    ];
    const deviation: Vec3 = [
      actualOffset[0] - expectedOffset[0],
      actualOffset[1] - expectedOffset[1],
      actualOffset[2] - expectedOffset[2],
    ];
    const tol = region.centreToleranceMm;
    const ok = deviation.every((d, i) => Math.abs(d) <= (tol[i] ?? 0));
    return {
      ...base,
      check: 'region.centre',
      status: ok ? 'pass' : 'fail',
      value: actualOffset.map(round1),
      expected: fmt(expectedOffset),
      tolerance: `±${fmt(tol)} mm per axis`,
      unit: 'mm',
      reason: ok
        ? `centre within tolerance of ${referenceName}`
        : `${series.key}: field of view centred ${fmt(deviation)} mm (LPS) away from where the protocol places it relative to ${referenceName}`,
      detail: {
        deviationMm: deviation,
        centreMm: g.centreMm,
        referenceMm: reference,
        reference: referenceName,
        statureScale: scale,
        statureKnown: context.statureKnown,
      },
    };
  }
}
