import { isWithinTolerance } from '../protocol/index.js';
import type { Protocol, ProtocolSeries } from '../protocol/index.js';
import { median } from './robust-stats.js';
import type { QaCheck } from './qa-result.js';
import type { SeriesAssignment } from './match-series.js';
import type { SeriesObservation } from './series-observation.js';

/**
 * A gap between neighbouring slices wider than this multiple of the median gap means slices are
 * missing inside the stack (a scanner or transfer problem), even when the count looks right.
 */
const GAP_FACTOR = 1.5;

/**
 * Session completeness: every required protocol series present (`completeness.series`, fail
 * when missing, warn for a missing optional one), and every received series accounted for
 * (`completeness.extra`, a warning: an extra series is often a repeat after motion or a
 * localizer the protocol does not list).
 */
export function checkSessionCompleteness(
  protocol: Protocol,
  assignment: SeriesAssignment,
): QaCheck[] {
  const checks: QaCheck[] = [];
  for (const series of protocol.series) {
    const got = assignment.primary.get(series.key);
    const n = 1 + (assignment.repeats.get(series.key)?.length ?? 0);
    checks.push(
      got === undefined
        ? {
            check: 'completeness.series',
            status: series.required ? 'fail' : 'warn',
            seriesKey: series.key,
            value: 0,
            expected: series.required ? '1' : '0 or 1',
            reason: `series ${series.key} (${series.seriesDescription}) is missing${series.required ? '' : ' (optional)'}`,
          }
        : {
            check: 'completeness.series',
            status: 'pass',
            seriesKey: series.key,
            seriesInstanceUid: got.seriesInstanceUid,
            value: n,
            expected: '1',
            reason:
              n === 1
                ? `series ${series.key} present`
                : `series ${series.key} present, acquired ${n} times (the first is checked)`,
          },
    );
  }
  for (const extra of assignment.extra) {
    checks.push({
      check: 'completeness.extra',
      status: 'warn',
      seriesInstanceUid: extra.seriesInstanceUid,
      value: extra.seriesDescription,
      expected: 'a protocol series',
      reason: `series "${extra.seriesDescription}" (number ${extra.seriesNumber ?? '?'}) matches no protocol series`,
    });
  }
  return checks;
}

/**
 * Slice completeness of one series: the number of slices against the protocol's, within its
 * tolerance, and no interior gap wider than 1.5 times the median slice gap.
 */
export function checkSlices(series: ProtocolSeries, observed: SeriesObservation): QaCheck {
  const expected = series.parameters.slices;
  const tolerance = series.tolerances.slices ?? {};
  const countOk = isWithinTolerance(observed.slices, expected, tolerance);
  const gaps = observed.geometry?.sliceGapsMm ?? [];
  const typical = median(gaps);
  const missingInside = gaps.filter((g) => g > GAP_FACTOR * typical);
  const ok = countOk && missingInside.length === 0;
  const reasons: string[] = [];
  if (!countOk) reasons.push(`${observed.slices} slices, the protocol says ${expected}`);
  if (missingInside.length > 0) {
    const lost = missingInside.reduce((sum, g) => sum + Math.round(g / typical) - 1, 0);
    reasons.push(
      `${missingInside.length} gap(s) inside the stack (about ${lost} slice(s) missing)`,
    );
  }
  return {
    check: 'completeness.slices',
    status: ok ? 'pass' : 'fail',
    seriesKey: series.key,
    seriesInstanceUid: observed.seriesInstanceUid,
    value: observed.slices,
    expected: String(expected),
    tolerance: (tolerance.abs ?? 0) > 0 ? `±${tolerance.abs}` : 'exact',
    unit: '1',
    reason: ok ? `${observed.slices} slices, no gaps` : `${series.key}: ${reasons.join('; ')}`,
    detail: {
      gapsMm: missingInside,
      medianGapMm: Number.isFinite(typical) ? typical : null,
    },
  };
}
