import { PlatformError } from '../core/index.js';
import { protocolForSite } from '../protocol/index.js';
import type { Protocol } from '../protocol/index.js';
import { checkParameters } from './check-parameters.js';
import { checkQuality } from './check-quality.js';
import type { NormativeHistory } from './check-quality.js';
import { checkSessionCompleteness, checkSlices } from './check-completeness.js';
import { checkRegion, estimateRegionContext } from './check-region.js';
import { assignSeries } from './match-series.js';
import { worseOutcome } from './qa-result.js';
import type { QaCheck, QaOutcome, SeriesQa, SessionQa } from './qa-result.js';
import type { SessionObservation } from './series-observation.js';

/** The parameters of a series as reported in {@link SeriesQa.parameters}. */
function reportedParameters(
  o: SessionObservation['series'][number],
): Record<string, number | string | readonly number[]> {
  const out: Record<string, number | string | readonly number[]> = {};
  for (const [name, value] of Object.entries(o.numeric)) out[name] = value;
  out['slices'] = o.slices;
  if (o.scanningSequence.length > 0) out['scanningSequence'] = o.scanningSequence.join('\\');
  if (o.sequenceVariant.length > 0) out['sequenceVariant'] = o.sequenceVariant.join('\\');
  if (o.mrAcquisitionType !== undefined) out['mrAcquisitionType'] = o.mrAcquisitionType;
  if (o.phaseEncodingDirection !== undefined) {
    out['phaseEncodingDirection'] = o.phaseEncodingDirection;
  }
  if (o.magneticFieldStrengthT !== undefined) {
    out['magneticFieldStrengthT'] = o.magneticFieldStrengthT;
  }
  if (o.geometry !== undefined) {
    out['centreMm'] = o.geometry.centreMm.map((x) => Math.round(x * 10) / 10);
    out['extentMm'] = Math.round(o.geometry.extentMm * 10) / 10;
  }
  return out;
}

/** Options of {@link evaluateSession}. */
export interface EvaluateSessionOptions {
  /** The site's history of metric values, for normative ranges; none: normative checks only record. */
  readonly history?: NormativeHistory;
  /** Timestamp to record, ISO 8601. @defaultValue now */
  readonly checkedAt?: string;
}

/**
 * Checks one session against the protocol (resolved for the session's site): completeness,
 * parameter conformity, scan region and image quality. The session's status is the worst of its
 * checks; every check carries its reason.
 *
 * @throws PlatformError `ERR_QA_INPUT` when the session has no series.
 *
 * @example
 * ```ts
 * const qa = evaluateSession(protocol, session, { history });
 * qa.status; // 'fail'
 * qa.checks.filter((c) => c.status !== 'pass').map((c) => c.reason);
 * ```
 */
export function evaluateSession(
  protocol: Protocol,
  session: SessionObservation,
  options: EvaluateSessionOptions = {},
): SessionQa {
  if (session.series.length === 0) {
    throw new PlatformError(
      'ERR_QA_INPUT',
      `study ${session.studyInstanceUid} has no series to check`,
    );
  }
  const resolved = protocolForSite(protocol, session.site);
  const assignment = assignSeries(resolved, session.series);
  const region = estimateRegionContext(resolved, assignment.primary, session.patientSizeM);
  const checks: QaCheck[] = [...checkSessionCompleteness(resolved, assignment)];
  const perSeries = new Map<string, QaCheck[]>();
  for (const series of resolved.series) {
    const observed = assignment.primary.get(series.key);
    if (observed === undefined) continue;
    const own = [
      checkSlices(series, observed),
      ...checkParameters(resolved, series, observed),
      ...checkRegion(series, observed, region),
      ...checkQuality(
        resolved,
        series,
        observed,
        session.site,
        session.studyInstanceUid,
        options.history,
      ),
    ];
    perSeries.set(observed.seriesInstanceUid, own);
    checks.push(...own);
  }
  const seriesQa: SeriesQa[] = session.series.map((observed) => {
    const key = [...assignment.primary.entries()].find(([, o]) => o === observed)?.[0];
    const repeatOf = [...assignment.repeats.entries()].find(([, list]) =>
      list.includes(observed),
    )?.[0];
    const own = perSeries.get(observed.seriesInstanceUid) ?? [];
    const extra = checks.filter(
      (c) => c.check === 'completeness.extra' && c.seriesInstanceUid === observed.seriesInstanceUid,
    );
    const status = [...own, ...extra].reduce<QaOutcome>(
      (s, c) => worseOutcome(s, c.status),
      'pass',
    );
    return {
      ...((key ?? repeatOf) === undefined ? {} : { seriesKey: key ?? repeatOf }),
      seriesInstanceUid: observed.seriesInstanceUid,
      seriesDescription: observed.seriesDescription,
      ...(observed.seriesNumber === undefined ? {} : { seriesNumber: observed.seriesNumber }),
      slices: observed.slices,
      metrics: observed.metrics ?? {},
      parameters: reportedParameters(observed),
      status,
    };
  });
  return {
    studyInstanceUid: session.studyInstanceUid,
    subject: session.subject,
    ...(session.site === undefined ? {} : { site: session.site }),
    ...(session.visit === undefined ? {} : { visit: session.visit }),
    ...(session.studyDate === undefined ? {} : { studyDate: session.studyDate }),
    protocolName: resolved.name,
    protocolVersion: resolved.protocolVersion,
    status: checks.reduce<QaOutcome>((s, c) => worseOutcome(s, c.status), 'pass'),
    checks,
    series: seriesQa,
    checkedAt: options.checkedAt ?? new Date().toISOString(),
  };
}
