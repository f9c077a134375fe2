import type { Vec3 } from '../core/index.js';
import { NUMERIC_PARAMETERS, isWithinTolerance } from '../protocol/index.js';
import type { NumericParameter, Tolerance } from '../protocol/index.js';
import { orientationFamily } from './check-region.js';
import { MAD_TO_SIGMA, median, medianAbsoluteDeviation } from './robust-stats.js';
import type { SeriesObservation, SessionObservation } from './series-observation.js';

/**
 * Tolerances a learned protocol starts from (those of the shipped NAKO-like protocol); a
 * parameter whose observed spread exceeds its tolerance gets a wider one, with a note.
 */
export const LEARN_DEFAULT_TOLERANCES: Readonly<Record<NumericParameter, Tolerance>> = {
  repetitionTimeMs: { rel: 0.01 },
  echoTimeMs: { rel: 0.02 },
  inversionTimeMs: { rel: 0.01 },
  flipAngleDeg: { abs: 1 },
  sliceThicknessMm: { abs: 0.05 },
  spacingBetweenSlicesMm: { abs: 0.05 },
  pixelSpacingMm: { abs: 0.01 },
  rows: { abs: 0 },
  columns: { abs: 0 },
  slices: { abs: 0 },
  numberOfAverages: { abs: 0 },
  pixelBandwidthHz: { rel: 0.05 },
  echoTrainLength: { abs: 0 },
};

/** Options of {@link learnProtocol}. */
export interface LearnProtocolOptions {
  /** Protocol name, `[a-z0-9._-]`. */
  readonly name: string;
  /** Version to write. @defaultValue '0.1.0' */
  readonly protocolVersion?: string;
  /** Series seen in fewer sessions are left out (mrQA skips sequences with fewer than 3). @defaultValue 3 */
  readonly minSessions?: number;
  /** Stature the centres are expressed at, in metres. @defaultValue 1.75 */
  readonly referenceStatureM?: number;
}

/** What {@link learnProtocol} derived. */
export interface LearnedProtocol {
  /** The protocol as a file (schema version 2): load it with `loadProtocol` after review. */
  readonly protocol: LearnedProtocolFile;
  /** Sessions it learned from. */
  readonly sessions: number;
  /** What a reviewer should look at: widened tolerances, left-out series, disagreements. */
  readonly notes: readonly string[];
}

/** One series of a learned protocol file. */
export interface LearnedSeriesFile {
  readonly key: string;
  readonly seriesNumber: number;
  readonly seriesDescription: string;
  readonly protocolName: string;
  readonly bodyPartExamined?: string;
  readonly orientation: 'ax' | 'sag' | 'cor' | 'sax';
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly tolerances: Readonly<Partial<Record<NumericParameter, Tolerance>>>;
  readonly region: {
    readonly centreMm: Vec3;
    readonly centreToleranceMm: Vec3;
  };
  /** How often each value was seen, for the reviewer. */
  readonly $learned: Readonly<Record<string, unknown>>;
}

/** A learned protocol file. */
export interface LearnedProtocolFile {
  readonly $comment: string;
  readonly schemaVersion: 2;
  readonly name: string;
  readonly protocolVersion: string;
  readonly description: string;
  readonly references: readonly string[];
  readonly scanner: {
    readonly manufacturer: string;
    readonly manufacturerModelName: string;
    readonly magneticFieldStrengthT: number;
  };
  readonly defaultTolerances: Readonly<Record<NumericParameter, Tolerance>>;
  readonly region: { readonly referenceStatureM: number };
  readonly series: readonly LearnedSeriesFile[];
}

/** The most frequent value and how often it was seen (ties: the first seen). */
function mode<T>(
  values: readonly T[],
  key: (v: T) => string,
): { value: T; count: number } | undefined {
  const counts = new Map<string, { value: T; count: number }>();
  for (const v of values) {
    const k = key(v);
    const c = counts.get(k);
    if (c === undefined) counts.set(k, { value: v, count: 1 });
    else c.count++;
  }
  let best: { value: T; count: number } | undefined;
  for (const c of counts.values()) if (best === undefined || c.count > best.count) best = c;
  return best;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const numKey = (v: number | readonly number[]): string =>
  typeof v === 'number' ? String(round3(v)) : v.map(round3).join('\\');

function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return s === '' ? 'series' : s.slice(0, 48);
}

/** Family of a series' slice normal as a protocol orientation (`oblique` → `sax`). */
function orientationOf(o: SeriesObservation): 'ax' | 'sag' | 'cor' | 'sax' | undefined {
  if (o.geometry === undefined) return undefined;
  const f = orientationFamily(o.geometry.normal, 15);
  return f === 'oblique' ? 'sax' : (f as 'ax' | 'sag' | 'cor');
}

/** Rounds a tolerance up to 5 mm, at least 20 mm. */
function centreTolerance(spread: number): number {
  return Math.max(20, Math.ceil((5 * spread) / 5) * 5);
}

/**
 * Derives a reference protocol from sessions known to be good, as mrQA infers one: per series
 * (grouped by Series Description and Protocol Name), the most frequent value of every parameter;
 * the tolerance of each numeric parameter starts from {@link LEARN_DEFAULT_TOLERANCES} and is
 * widened to cover the spread actually seen (the 95th percentile of deviations from the mode).
 * The expected centre of each series is learned in the session frame: each session's frame is
 * the median of its series' centres less their expected offsets, iterated three times from zero
 * offsets, with offsets divided by the stature scale when Patient's Size is known. The centre
 * tolerance is five robust standard deviations, rounded up to 5 mm, at least 20 mm.
 *
 * @remarks
 * The result is a draft for a person to review, not a protocol to trust blindly: the notes list
 * every widened tolerance and every series left out.
 */
export function learnProtocol(
  sessions: readonly SessionObservation[],
  options: LearnProtocolOptions,
): LearnedProtocol {
  const minSessions = options.minSessions ?? 3;
  const stature = options.referenceStatureM ?? 1.75;
  const notes: string[] = [];
  interface Seen {
    readonly session: SessionObservation;
    readonly series: SeriesObservation;
    readonly order: number;
  }
  const groups = new Map<string, Seen[]>();
  for (const session of sessions) {
    const sorted = [...session.series].sort(
      (a, b) =>
        (a.seriesNumber ?? 0) - (b.seriesNumber ?? 0) ||
        (a.acquired ?? '').localeCompare(b.acquired ?? ''),
    );
    const seenHere = new Set<string>();
    for (const [order, series] of sorted.entries()) {
      const id = `${series.seriesDescription.trim().toUpperCase()}\u0000${(series.protocolName ?? '').trim().toUpperCase()}`;
      if (seenHere.has(id)) continue; // a repeat: the first acquisition stands for the series
      seenHere.add(id);
      const list = groups.get(id) ?? [];
      list.push({ session, series, order });
      groups.set(id, list);
    }
  }
  const kept = [...groups.values()].filter((g) => {
    if (g.length >= minSessions) return true;
    const first = g[0]?.series;
    notes.push(
      `left out "${first?.seriesDescription ?? ''}": seen in ${g.length} session(s), fewer than ${minSessions}`,
    );
    return false;
  });
  kept.sort((a, b) => median(a.map((s) => s.order)) - median(b.map((s) => s.order)));

  // Region: alternate between per-session frames and per-series offsets.
  const scaleOf = (s: SessionObservation): number =>
    s.patientSizeM !== undefined && s.patientSizeM > 0.5 && s.patientSizeM < 2.5
      ? s.patientSizeM / stature
      : 1;
  let offsets: Vec3[] = kept.map(() => [0, 0, 0]);
  let frames = new Map<SessionObservation, Vec3>();
  for (let iteration = 0; iteration < 3; iteration++) {
    frames = new Map();
    for (const session of sessions) {
      const votes: Vec3[] = [];
      kept.forEach((g, gi) => {
        const seen = g.find((s) => s.session === session)?.series.geometry;
        const o = offsets[gi];
        if (seen === undefined || o === undefined) return;
        const k = scaleOf(session);
        votes.push([
          seen.centreMm[0] - o[0] * k,
          seen.centreMm[1] - o[1] * k,
          seen.centreMm[2] - o[2] * k,
        ]);
      });
      if (votes.length > 0) {
        frames.set(
          session,
          [0, 1, 2].map((a) => median(votes.map((v) => v[a] ?? NaN))) as unknown as Vec3,
        );
      }
    }
    offsets = kept.map((g) => {
      const rel = g.flatMap((s) => {
        const f = frames.get(s.session);
        const c = s.series.geometry?.centreMm;
        if (f === undefined || c === undefined) return [];
        const k = scaleOf(s.session);
        return [[(c[0] - f[0]) / k, (c[1] - f[1]) / k, (c[2] - f[2]) / k] as Vec3];
      });
      return [0, 1, 2].map((a) => median(rel.map((v) => v[a] ?? NaN))) as unknown as Vec3;
    });
  }

  const usedKeys = new Set<string>();
  const series: LearnedSeriesFile[] = kept.map((g, gi) => {
    const obs = g.map((s) => s.series);
    const description = mode(obs, (o) => o.seriesDescription)?.value.seriesDescription ?? '';
    let key = slug(description);
    for (let n = 2; usedKeys.has(key); n++) key = `${slug(description)}_${n}`;
    usedKeys.add(key);
    const parameters: Record<string, unknown> = {};
    const tolerances: Partial<Record<NumericParameter, Tolerance>> = {};
    const learned: Record<string, unknown> = { sessions: g.length };
    for (const name of NUMERIC_PARAMETERS) {
      const values =
        name === 'slices'
          ? obs.map((o) => o.slices)
          : obs.flatMap((o) => (o.numeric[name] === undefined ? [] : [o.numeric[name]]));
      const m = mode(values, numKey);
      if (m === undefined) continue;
      const value = typeof m.value === 'number' ? round3(m.value) : m.value.map(round3);
      parameters[name] = value;
      learned[name] = { mode: value, agree: m.count, of: values.length };
      const base = LEARN_DEFAULT_TOLERANCES[name];
      const reference = typeof value === 'number' ? [value] : value;
      const deviations = values
        .map((v) => (typeof v === 'number' ? [v] : v))
        .flatMap((v) => v.map((x, i) => Math.abs(x - (reference[i] ?? x))))
        .sort((a, b) => a - b);
      const p95 = deviations[Math.floor(0.95 * (deviations.length - 1))] ?? 0;
      const fits = reference.every((r) => isWithinTolerance(r + p95, r, base));
      if (fits) tolerances[name] = base;
      else {
        tolerances[name] = { abs: round3(p95) };
        notes.push(
          `${key}: ${name} spread ±${round3(p95)} exceeds the default tolerance; widened, review`,
        );
      }
    }
    for (const name of ['scanningSequence', 'sequenceVariant', 'scanOptions'] as const) {
      const m = mode(obs, (o) => [...o[name]].sort().join('\\'));
      if (m !== undefined) parameters[name] = [...m.value[name]];
    }
    const acq = mode(obs, (o) => o.mrAcquisitionType ?? '')?.value.mrAcquisitionType;
    if (acq !== undefined) parameters['mrAcquisitionType'] = acq;
    const pe = mode(obs, (o) => o.phaseEncodingDirection ?? '')?.value.phaseEncodingDirection;
    if (pe !== undefined) parameters['phaseEncodingDirection'] = pe;
    const orientation = mode(
      obs.map(orientationOf).filter((o) => o !== undefined),
      (o) => o,
    )?.value;
    const offset = offsets[gi] ?? [0, 0, 0];
    const spread = [0, 1, 2].map((a) => {
      const rel = g.flatMap((s) => {
        const f = frames.get(s.session);
        const c = s.series.geometry?.centreMm;
        if (f === undefined || c === undefined) return [];
        return [(c[a] ?? 0) - (f[a] ?? 0) - (offset[a] ?? 0) * scaleOf(s.session)];
      });
      return MAD_TO_SIGMA * medianAbsoluteDeviation(rel);
    });
    const protocolName = mode(obs, (o) => o.protocolName ?? '')?.value.protocolName ?? description;
    return {
      key,
      seriesNumber: gi + 1,
      seriesDescription: description,
      protocolName,
      orientation: orientation ?? 'ax',
      parameters,
      tolerances,
      region: {
        centreMm: offset.map((x) => Math.round(x)) as unknown as Vec3,
        centreToleranceMm: spread.map((s) =>
          centreTolerance(Number.isFinite(s) ? s : 0),
        ) as unknown as Vec3,
      },
      $learned: learned,
    };
  });
  const all = sessions.flatMap((s) => s.series);
  return {
    protocol: {
      $comment: `Learned by medscale qa learn-protocol from ${sessions.length} session(s) on ${new Date().toISOString().slice(0, 10)}. Review every value before use; $learned shows how often each was seen.`,
      schemaVersion: 2,
      name: options.name,
      protocolVersion: options.protocolVersion ?? '0.1.0',
      description: `Reference protocol learned from ${sessions.length} sessions known to be good.`,
      references: ['mrQA: infer_protocol (most frequent value per sequence), Sadri et al. 2023'],
      scanner: {
        manufacturer: mode(all, (o) => o.manufacturer ?? '')?.value.manufacturer ?? '',
        manufacturerModelName:
          mode(all, (o) => o.manufacturerModelName ?? '')?.value.manufacturerModelName ?? '',
        magneticFieldStrengthT:
          mode(all, (o) => String(o.magneticFieldStrengthT ?? ''))?.value.magneticFieldStrengthT ??
          0,
      },
      defaultTolerances: LEARN_DEFAULT_TOLERANCES,
      region: { referenceStatureM: stature },
      series,
    },
    sessions: sessions.length,
    notes,
  };
}
