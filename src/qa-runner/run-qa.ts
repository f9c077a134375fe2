import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StudyInstanceUid, Volume } from '../core/index.js';
import { PlatformError } from '../core/index.js';
import { protocolForSite } from '../protocol/index.js';
import type { Protocol } from '../protocol/index.js';
import {
  assignSeries,
  computeSeriesMetrics,
  evaluateSession,
  historyFromSamples,
  normativeRanges,
} from '../qa/index.js';
import type {
  MetricSample,
  NormativeRange,
  QaMetricValues,
  SeriesObservation,
  SessionObservation,
  SessionQa,
} from '../qa/index.js';
import { renderSessionReport, sessionReportFileName } from '../report/index.js';
import type { StudySummary } from '../store/index.js';
import {
  allPages,
  listMetricHistory,
  listStudies,
  recordAudit,
  replaceStudyQa,
} from '../store/index.js';
import type { QaResultRecord, StoredMetricSample } from '../store/index.js';
import type { Workspace } from '../workspace/index.js';
import { loadSession, middleSliceThumbnail } from './load-session.js';
import type { LoadedSession } from './load-session.js';

/** Stage name and version recorded with every QA report artifact. */
export const QA_STAGE = { name: 'qa.session', version: 1 } as const;

/** Which studies {@link runQa} checks. */
export interface QaSelection {
  /** Every study in the catalog (of `project`, when given). */
  readonly all?: boolean;
  /** These studies (Study Instance UIDs as stored). */
  readonly studies?: readonly string[];
  /** Studies whose (shifted) study date is on or after this day, `YYYYMMDD` or `YYYY-MM-DD`. */
  readonly since?: string;
  /** Restrict to one project. */
  readonly project?: string;
}

/** Options of {@link runQa}. */
export interface RunQaOptions extends QaSelection {
  readonly protocol: Protocol;
  /** Write one HTML report per session (and their thumbnails) into this folder. */
  readonly reportDir?: string;
  /** Who runs it, for the audit trail. @defaultValue 'cli' */
  readonly actor?: string;
  /** Called after each session is loaded (phase `load`) and after each is stored (phase `store`). */
  readonly onProgress?: (phase: 'load' | 'store', done: number, total: number) => void;
}

/** What {@link runQa} did. */
export interface RunQaResult {
  readonly sessions: readonly SessionQa[];
  readonly counts: Readonly<Record<'pass' | 'warn' | 'fail', number>>;
  /** Result rows stored in the catalog. */
  readonly resultsStored: number;
  /** Normative ranges in force at the end of the run (for reports). */
  readonly ranges: readonly NormativeRange[];
  /** Report files written, when `reportDir` was given. */
  readonly reports: readonly string[];
}

/** The studies a selection names, oldest first. */
export async function selectStudies(
  workspace: Workspace,
  selection: QaSelection,
): Promise<StudySummary[]> {
  const chosen: StudySummary[] = [];
  if (selection.studies !== undefined && selection.studies.length > 0) {
    for (const uid of selection.studies) {
      const [study] = await listStudies(workspace.catalog, {
        studyUid: uid as StudyInstanceUid,
        ...(selection.project === undefined ? {} : { project: selection.project }),
      });
      if (study === undefined) {
        throw new PlatformError('ERR_QA_INPUT', `study ${uid} is not in the catalog`);
      }
      chosen.push(study);
    }
  } else if (selection.all === true || selection.since !== undefined) {
    chosen.push(
      ...(await allPages((page) =>
        listStudies(workspace.catalog, {
          ...page,
          ...(selection.project === undefined ? {} : { project: selection.project }),
          ...(selection.since === undefined ? {} : { dateFrom: selection.since }),
        }),
      )),
    );
  } else {
    throw new PlatformError('ERR_USAGE', 'say which studies to check: all, studies or since');
  }
  return chosen.sort(
    (a, b) =>
      (a.studyDateShifted ?? '').localeCompare(b.studyDateShifted ?? '') ||
      a.studyInstanceUid.localeCompare(b.studyInstanceUid),
  );
}

/** Phase-encoding axis of the volume: `ROW` phase encoding runs along i, `COL` along j. */
function phaseAxis(observation: SeriesObservation): 'i' | 'j' {
  return observation.phaseEncodingDirection === 'ROW' ? 'i' : 'j';
}

function sameGrid(a: Volume, b: Volume): boolean {
  return a.dimensions.every((d, i) => d === b.dimensions[i]);
}

/**
 * Where to find a participant's previous session for the UQI reference: the volume of the same
 * protocol series in the latest earlier study of the subject already checked in this run.
 */
type ReferenceVolumes = Map<string, Volume>;

function referenceKey(subject: string, seriesKey: string): string {
  return `${subject}\u0000${seriesKey}`;
}

/**
 * Computes the image metrics of every series of a loaded session: masks, SNR (background, and
 * difference when the protocol series was repeated on the same grid), CNR, EFC, FBER, ghosting,
 * sharpness, and UQI against the same participant's previous visit (resampled into this grid
 * after aligning the foreground centres of mass).
 */
function measureSession(
  protocol: Protocol,
  loaded: LoadedSession,
  references: ReferenceVolumes,
): { observation: SessionObservation; thumbnails: Map<string, Uint8Array> } {
  const resolved = protocolForSite(protocol, loaded.observation.site);
  const assignment = assignSeries(resolved, loaded.observation.series);
  const volumeOf = new Map(
    loaded.series.map((s) => [s.observation.seriesInstanceUid, s.volume] as const),
  );
  const keyOf = new Map<string, string>();
  for (const [key, o] of assignment.primary) keyOf.set(o.seriesInstanceUid, key);
  const thumbnails = new Map<string, Uint8Array>();
  const measured: SeriesObservation[] = [];
  for (const s of loaded.series) {
    const volume = s.volume;
    if (volume === undefined) {
      measured.push(s.observation);
      continue;
    }
    thumbnails.set(s.observation.seriesInstanceUid, middleSliceThumbnail(volume));
    const key = keyOf.get(s.observation.seriesInstanceUid);
    const repeat =
      key === undefined
        ? undefined
        : (assignment.repeats.get(key) ?? [])
            .map((r) => volumeOf.get(r.seriesInstanceUid))
            .find((v): v is Volume => v !== undefined && sameGrid(v, volume));
    // The same participant's previous visit; computeSeriesMetrics resamples it onto this grid
    // after aligning the foreground centres of mass.
    const reference =
      key === undefined ? undefined : references.get(referenceKey(loaded.observation.subject, key));
    const metrics: QaMetricValues = {
      ...computeSeriesMetrics(volume, {
        phaseAxis: phaseAxis(s.observation),
        ...(reference === undefined ? {} : { reference }),
        ...(repeat === undefined ? {} : { repeat }),
      }),
    };
    measured.push({ ...s.observation, metrics });
    if (key !== undefined) references.set(referenceKey(loaded.observation.subject, key), volume);
  }
  return { observation: { ...loaded.observation, series: measured }, thumbnails };
}

/** Stored metric values (the catalog's history) as samples for normative ranges. */
export function toMetricSamples(stored: readonly StoredMetricSample[]): MetricSample[] {
  return stored.map((s) => ({
    ...(s.site === null ? {} : { site: s.site }),
    seriesKey: s.seriesKey,
    metric: s.metric,
    studyInstanceUid: s.studyInstanceUid,
    value: s.value,
  }));
}

/** Metric samples of a measured session, keyed by the protocol series each series matched. */
function samplesOf(protocol: Protocol, session: SessionObservation): MetricSample[] {
  const resolved = protocolForSite(protocol, session.site);
  const assignment = assignSeries(resolved, session.series);
  const out: MetricSample[] = [];
  for (const [key, o] of assignment.primary) {
    for (const [metric, value] of Object.entries(o.metrics ?? {})) {
      if (value === undefined || !Number.isFinite(value)) continue;
      out.push({
        ...(session.site === undefined ? {} : { site: session.site }),
        seriesKey: key,
        metric,
        studyInstanceUid: session.studyInstanceUid,
        value,
      });
    }
  }
  return out;
}

function toRecords(session: SessionQa, reportDigest: string): QaResultRecord[] {
  const records: QaResultRecord[] = session.checks.map((c) => ({
    ...(c.seriesInstanceUid === undefined ? {} : { seriesInstanceUid: c.seriesInstanceUid }),
    check: c.check,
    status: c.status,
    value: typeof c.value === 'number' ? c.value : null,
    expected: c.expected,
    detail: {
      reason: c.reason,
      ...(c.seriesKey === undefined ? {} : { seriesKey: c.seriesKey }),
      ...(typeof c.value === 'number' || c.value === null ? {} : { value: c.value }),
      ...(c.tolerance === undefined ? {} : { tolerance: c.tolerance }),
      ...(c.unit === undefined ? {} : { unit: c.unit }),
      ...(c.detail ?? {}),
    },
  }));
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const c of session.checks) counts[c.status]++;
  records.push({
    check: 'session',
    status: session.status,
    value: null,
    expected: null,
    detail: { protocol: session.protocolName, counts, reportDigest },
  });
  return records;
}

/**
 * Runs protocol and image-quality QA over catalogued studies and stores the results: each study's
 * `qa_result` rows are replaced in one transaction, its series get their protocol key and the
 * `qa_done` state, and the session report JSON becomes a `qa_report` artifact.
 *
 * @remarks
 * Normative ranges come from the site's history: every metric value QA stored before, plus the
 * other sessions of this run (leave-one-out), so that a retrospective run over a whole cohort
 * judges each session against all the others of its site, and a real-time run against the past.
 */
export async function runQa(workspace: Workspace, options: RunQaOptions): Promise<RunQaResult> {
  const studies = await selectStudies(workspace, options);
  const inRun = new Set(studies.map((s) => s.studyInstanceUid as string));
  const references: ReferenceVolumes = new Map();
  const measured: { observation: SessionObservation; thumbnails: Map<string, Uint8Array> }[] = [];
  // Keep a subject's volumes as UQI references only while a later study of theirs is to come.
  const remaining = new Map<string, number>();
  for (const s of studies) remaining.set(s.pseudonym, (remaining.get(s.pseudonym) ?? 0) + 1);
  for (const [i, study] of studies.entries()) {
    const loaded = await loadSession(workspace, study);
    measured.push(measureSession(options.protocol, loaded, references));
    const left = (remaining.get(study.pseudonym) ?? 1) - 1;
    remaining.set(study.pseudonym, left);
    if (left === 0) {
      for (const key of [...references.keys()]) {
        if (key.startsWith(`${study.pseudonym}\u0000`)) references.delete(key);
      }
    }
    options.onProgress?.('load', i + 1, studies.length);
  }
  const stored = (await listMetricHistory(workspace.catalog)).filter(
    (s) => !inRun.has(s.studyInstanceUid),
  );
  const samples: MetricSample[] = [
    ...toMetricSamples(stored),
    ...measured.flatMap((m) => samplesOf(options.protocol, m.observation)),
  ];
  const history = historyFromSamples(samples);
  const ranges = normativeRanges(samples, options.protocol.normative);
  const sessions: SessionQa[] = [];
  const reports: string[] = [];
  let resultsStored = 0;
  const checkedAt = new Date().toISOString();
  for (const [i, m] of measured.entries()) {
    const session = evaluateSession(options.protocol, m.observation, { history, checkedAt });
    const json = new TextEncoder().encode(JSON.stringify(session));
    const put = await workspace.blobs.put(json);
    resultsStored += await replaceStudyQa(workspace.catalog, {
      studyInstanceUid: session.studyInstanceUid,
      protocolVersion: `${session.protocolName}@${session.protocolVersion}`,
      results: toRecords(session, put.digest),
      seriesKeys: new Map(session.series.map((s) => [s.seriesInstanceUid, s.seriesKey ?? null])),
      report: {
        digest: put.digest,
        stage: QA_STAGE.name,
        stageVersion: QA_STAGE.version,
        params: { protocol: session.protocolName, version: session.protocolVersion },
        inputs: m.observation.series.map((s) => s.seriesInstanceUid),
      },
    });
    if (options.reportDir !== undefined) {
      await mkdir(options.reportDir, { recursive: true });
      const file = join(options.reportDir, sessionReportFileName(session.studyInstanceUid));
      await writeFile(file, renderSessionReport({ session, thumbnails: m.thumbnails, ranges }));
      reports.push(file);
    }
    sessions.push(session);
    options.onProgress?.('store', i + 1, measured.length);
  }
  await recordAudit(workspace.catalog, {
    actor: options.actor ?? 'cli',
    action: 'qa',
    target:
      studies.length === 1 ? (studies[0]?.studyInstanceUid ?? '') : `${studies.length} studies`,
    detail: { protocol: options.protocol.name, version: options.protocol.protocolVersion },
  });
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const s of sessions) counts[s.status]++;
  return { sessions, counts, resultsStored, ranges, reports };
}
