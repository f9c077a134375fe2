import type { QaOutcome, SessionQa } from './qa-types.js';

/** Number of sessions (or check results) per outcome, and their total. */
export interface OutcomeCounts {
  readonly pass: number;
  readonly warn: number;
  readonly fail: number;
  readonly total: number;
}

/** Session outcomes of one site. */
export interface SiteCounts extends OutcomeCounts {
  /** Site name; `null` for sessions whose site is unknown. */
  readonly site: string | null;
}

/** Session outcomes of one study month. */
export interface MonthCounts extends OutcomeCounts {
  /** `YYYY-MM` of the Study Date; `null` for sessions without one. */
  readonly month: string | null;
}

/** How often one check (on one protocol series) failed or warned across the cohort. */
export interface CheckProblemCounts {
  readonly check: string;
  /** Protocol series key; `null` for session-level checks and extra series. */
  readonly seriesKey: string | null;
  /** Check results that failed. */
  readonly fail: number;
  /** Check results that warned. */
  readonly warn: number;
  /** Sessions with at least one such failure or warning. */
  readonly sessions: number;
}

/** The JSON summary of a cohort's QA (`--json`): counts only, no per-session detail. */
export interface CohortSummary {
  readonly sessions: number;
  /** Session outcomes over the whole cohort. */
  readonly status: OutcomeCounts;
  /** Per site, sorted by name, unknown site last. */
  readonly sites: readonly SiteCounts[];
  /** Per study month, oldest first, unknown date last. */
  readonly months: readonly MonthCounts[];
  /** Checks that failed or warned at least once: most failures first, then most warnings. */
  readonly checks: readonly CheckProblemCounts[];
}

interface MutableCounts {
  pass: number;
  warn: number;
  fail: number;
}

function tally<K>(
  sessions: readonly SessionQa[],
  keyOf: (s: SessionQa) => K,
): Map<K, MutableCounts> {
  const out = new Map<K, MutableCounts>();
  for (const s of sessions) {
    const key = keyOf(s);
    let counts = out.get(key);
    if (counts === undefined) {
      counts = { pass: 0, warn: 0, fail: 0 };
      out.set(key, counts);
    }
    counts[s.status]++;
  }
  return out;
}

function withTotal(c: MutableCounts): OutcomeCounts {
  return { pass: c.pass, warn: c.warn, fail: c.fail, total: c.pass + c.warn + c.fail };
}

/** Sorts text keys ascending with `null` last. */
function byKeyNullLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** `YYYY-MM` of a DICOM date (`YYYYMMDD`), or `null` when it is absent or malformed. */
export function studyMonth(studyDate: string | undefined): string | null {
  const m = studyDate === undefined ? null : /^(\d{4})(\d{2})\d{2}$/.exec(studyDate);
  return m === null ? null : `${m[1] ?? ''}-${m[2] ?? ''}`;
}

/**
 * Summarizes a cohort's QA for machines: session outcomes in all, per site and per study month,
 * and how often each check failed or warned. The result is plain JSON.
 *
 * @example
 * ```ts
 * JSON.stringify(cohortReportJson(sessions)); // '{"sessions":12,"status":{"pass":9,…},…}'
 * ```
 */
export function cohortReportJson(sessions: readonly SessionQa[]): CohortSummary {
  const all = tally(sessions, () => 'all').get('all') ?? { pass: 0, warn: 0, fail: 0 };
  const sites = [...tally(sessions, (s) => s.site ?? null)]
    .sort(([a], [b]) => byKeyNullLast(a, b))
    .map(([site, c]) => ({ site, ...withTotal(c) }));
  const months = [...tally(sessions, (s) => studyMonth(s.studyDate))]
    .sort(([a], [b]) => byKeyNullLast(a, b))
    .map(([month, c]) => ({ month, ...withTotal(c) }));

  const checks = new Map<string, { counts: CheckProblemCounts; seen: Set<string> }>();
  for (const session of sessions) {
    for (const c of session.checks) {
      if (c.status === 'pass') continue;
      const seriesKey = c.seriesKey ?? null;
      // JSON of the pair as the map key: no separator character can collide with a check name.
      const key = JSON.stringify([c.check, seriesKey]);
      let entry = checks.get(key);
      if (entry === undefined) {
        entry = {
          counts: { check: c.check, seriesKey, fail: 0, warn: 0, sessions: 0 },
          seen: new Set(),
        };
        checks.set(key, entry);
      }
      const outcome: Exclude<QaOutcome, 'pass'> = c.status;
      entry.seen.add(session.studyInstanceUid);
      entry.counts = {
        ...entry.counts,
        [outcome]: entry.counts[outcome] + 1,
        sessions: entry.seen.size,
      };
    }
  }
  const checkCounts = [...checks.values()]
    .map((e) => e.counts)
    .sort(
      (a, b) =>
        b.fail - a.fail ||
        b.warn - a.warn ||
        byKeyNullLast(a.check, b.check) ||
        byKeyNullLast(a.seriesKey, b.seriesKey),
    );

  return {
    sessions: sessions.length,
    status: withTotal(all),
    sites,
    months,
    checks: checkCounts,
  };
}
