import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobDigest, SeriesInstanceUid } from '../core/index.js';
import { decodePixelData, readPart10, toModalityValues } from '../dicom/index.js';
import { DEFAULT_NORMATIVE } from '../protocol/index.js';
import { normativeRanges } from '../qa/index.js';
import type { SessionQa } from '../qa/index.js';
import {
  cohortReportJson,
  renderCohortReport,
  renderSessionReport,
  sessionReportFileName,
} from '../report/index.js';
import { allPages, listInstances, listMetricHistory } from '../store/index.js';
import type { Workspace } from '../workspace/index.js';
import { middleSliceThumbnail } from './load-session.js';
import { selectStudies, toMetricSamples } from './run-qa.js';
import type { QaSelection } from './run-qa.js';

/** What {@link writeQaReports} wrote. */
export interface WrittenReports {
  /** Number of session reports. */
  readonly sessions: number;
  /** Path of the cohort report (`index.html`). */
  readonly cohort: string;
  /** Path of the JSON summary (`summary.json`). */
  readonly summary: string;
}

/** Reads the stored session result of each study (the `qa_report` blob named by its `session` row). */
async function storedSessions(
  workspace: Workspace,
  studyUids: readonly string[],
): Promise<SessionQa[]> {
  if (studyUids.length === 0) return [];
  const rows = await workspace.catalog.db
    .selectFrom('qa_result')
    .innerJoin('study', 'study.id', 'qa_result.study_id')
    .select(['study.study_instance_uid as uid', 'qa_result.detail_json as detail'])
    .where('qa_result.check', '=', 'session')
    .execute();
  const wanted = new Set(studyUids);
  const out: SessionQa[] = [];
  for (const row of rows) {
    if (!wanted.has(row.uid)) continue;
    const detail = JSON.parse(row.detail) as { reportDigest?: string };
    if (detail.reportDigest === undefined) continue;
    const bytes = await workspace.blobs.get(detail.reportDigest as BlobDigest, { verify: true });
    out.push(JSON.parse(new TextDecoder().decode(bytes)) as SessionQa);
  }
  return out;
}

/** A thumbnail of a series' middle instance (by Instance Number), or undefined for non-images. */
async function thumbnailOf(workspace: Workspace, uid: string): Promise<Uint8Array | undefined> {
  const instances = [
    ...(await allPages((page) =>
      listInstances(workspace.catalog, { seriesUid: uid as SeriesInstanceUid, ...page }),
    )),
  ].sort((a, b) => (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0));
  const middle = instances[Math.floor(instances.length / 2)];
  if (middle === undefined) return undefined;
  try {
    const pixels = await decodePixelData(readPart10(await workspace.blobs.get(middle.blobDigest)));
    const [frame] = pixels.frames;
    if (frame === undefined || pixels.samplesPerPixel !== 1) return undefined;
    const data = toModalityValues(frame, pixels.rescale);
    return middleSliceThumbnail({
      dimensions: [pixels.columns, pixels.rows, 1],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      data,
    });
  } catch {
    // A series whose pixels cannot be shown still gets its checks in the report.
    return undefined;
  }
}

/**
 * Writes the QA reports of the selected studies from the stored results: one HTML page per
 * session (checks, a middle-slice thumbnail per series, metrics against the site's normative
 * ranges), the cohort page `index.html` (status per site and over time, metric distributions,
 * control charts) and `summary.json`.
 */
export async function writeQaReports(
  workspace: Workspace,
  outDir: string,
  selection: QaSelection,
): Promise<WrittenReports> {
  const studies = await selectStudies(workspace, selection);
  const sessions = await storedSessions(
    workspace,
    studies.map((s) => s.studyInstanceUid),
  );
  const history = await listMetricHistory(workspace.catalog);
  // The same ranges QA judges by (the default policy: a report has no protocol at hand).
  const ranges = normativeRanges(toMetricSamples(history), DEFAULT_NORMATIVE);
  await mkdir(outDir, { recursive: true });
  for (const session of sessions) {
    const thumbnails = new Map<string, Uint8Array>();
    for (const s of session.series) {
      const png = await thumbnailOf(workspace, s.seriesInstanceUid);
      if (png !== undefined) thumbnails.set(s.seriesInstanceUid, png);
    }
    await writeFile(
      join(outDir, sessionReportFileName(session.studyInstanceUid)),
      renderSessionReport({ session, thumbnails, ranges }),
    );
  }
  const cohort = join(outDir, 'index.html');
  await writeFile(cohort, renderCohortReport({ sessions, ranges }));
  const summary = join(outDir, 'summary.json');
  await writeFile(summary, `${JSON.stringify(cohortReportJson(sessions), null, 2)}\n`);
  return { sessions: sessions.length, cohort, summary };
}
