/**
 * What QA says about a session: one result per check, each with the measured value, what the
 * protocol expects and the tolerance, and a sentence a technologist can act on. These are plain
 * data: the runner stores them in the catalog (`qa_result` rows) and the reports render them.
 */

/** Outcome of one check, and of a whole session (the worst of its checks). */
export type QaOutcome = 'pass' | 'warn' | 'fail';

/** Check families; a check name is `<family>.<what>`, e.g. `param.repetitionTimeMs`. */
export const QA_CHECK_FAMILIES = ['completeness', 'param', 'region', 'iq', 'normative'] as const;
/** One of {@link QA_CHECK_FAMILIES}. */
export type QaCheckFamily = (typeof QA_CHECK_FAMILIES)[number];

/**
 * One check on one series (or on the session, for `completeness.series` and
 * `completeness.extra`).
 *
 * @remarks
 * Check names in use:
 * - `completeness.series` (session: an expected series is missing; `seriesKey` names it),
 *   `completeness.extra` (session: a series no protocol series matches), `completeness.slices`
 *   (series: number of slices/frames).
 * - `param.<parameter>` for every parameter of the protocol, e.g. `param.echoTimeMs`,
 *   `param.scanner.magneticFieldStrengthT`.
 * - `region.orientation`, `region.centre`, `region.coverage`, `region.fov`.
 * - `iq.<metric>` against the protocol's absolute thresholds (`iq.snr`, `iq.uqi`, …).
 * - `normative.<metric>` against the site's history (robust z-score).
 */
export interface QaCheck {
  /** Check name, `<family>.<what>`; see remarks. */
  readonly check: string;
  readonly status: QaOutcome;
  /** Protocol series key this check is about; absent for an unmatched extra series. */
  readonly seriesKey?: string;
  /** Series Instance UID (as stored, i.e. pseudonymized) of the checked series, when it exists. */
  readonly seriesInstanceUid?: string;
  /** Measured value (number, or text for categorical parameters); null when it could not be measured. */
  readonly value: number | string | readonly number[] | null;
  /** Expected value as the protocol states it, e.g. `2300`, `sag`, `≥ 20`. */
  readonly expected: string | null;
  /** Tolerance as text, e.g. `±1 %`, `±40 mm`, `|z| ≤ 3.5`. */
  readonly tolerance?: string;
  /** Unit of `value` and `expected` (`ms`, `mm`, `deg`, `1`), when they have one. */
  readonly unit?: string;
  /** One sentence a person can act on, e.g. `TR is 3105 ms, protocol says 2300 ms ± 1 %`. */
  readonly reason: string;
  /** Anything else worth keeping (per-axis deviations, z-score, reference used, …). */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Image-quality metric values of one series; absent keys could not be computed. */
export type QaMetricValues = Readonly<Partial<Record<string, number>>>;

/** QA of one series of a session. */
export interface SeriesQa {
  /** Protocol series key it matched, or undefined for an extra series. */
  readonly seriesKey?: string;
  readonly seriesInstanceUid: string;
  readonly seriesDescription: string;
  readonly seriesNumber?: number;
  /** Number of slices (single-frame instances) or frames. */
  readonly slices: number;
  /** Metric values (see `qa/metrics`). */
  readonly metrics: QaMetricValues;
  /**
   * Acquisition parameters as the headers state them (protocol parameter names: numeric ones in
   * their units, categorical ones as text), so that every series' parameters are reported even
   * when no protocol series matched it.
   */
  readonly parameters: Readonly<Record<string, number | string | readonly number[]>>;
  /** Worst status of the checks about this series. */
  readonly status: QaOutcome;
}

/** QA of one session (one study) against one protocol. */
export interface SessionQa {
  readonly studyInstanceUid: string;
  /** Pseudonymized Patient ID. */
  readonly subject: string;
  /** Site the session was acquired at, when known. */
  readonly site?: string;
  /** Visit label (`baseline`, `follow-up-1`), when known. */
  readonly visit?: string;
  /** Study Date (YYYYMMDD), as stored (date-shifted). */
  readonly studyDate?: string;
  readonly protocolName: string;
  readonly protocolVersion: string;
  /** The worst status of all checks. */
  readonly status: QaOutcome;
  readonly checks: readonly QaCheck[];
  readonly series: readonly SeriesQa[];
  /** When the check ran, ISO 8601. */
  readonly checkedAt: string;
}

/** The worse of two outcomes. */
export function worseOutcome(a: QaOutcome, b: QaOutcome): QaOutcome {
  const rank = { pass: 0, warn: 1, fail: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}
