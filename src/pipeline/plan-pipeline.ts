import type { JsonValue } from '../core/index.js';
import type { SeriesSummary, StudySummary, SubjectSummary } from '../store/index.js';
import {
  allPages,
  listClinical,
  listInstances,
  listSeries,
  listStudies,
  listSubjects,
} from '../store/index.js';
import type { Workspace } from '../workspace/index.js';
import type { PipelineSpec, PipelineStageSpec, StageCondition } from './pipeline-spec.js';
import type { PipelineTarget, TargetSeries, TargetStudy } from './stage.js';

/** Which subjects a run covers. */
export interface CohortQuery {
  /** Only subjects of this project. */
  readonly project?: string;
  /** Only these pseudonyms. */
  readonly subjects?: readonly string[];
}

/** One job of a planned run: a pipeline step on one target. */
export interface PlannedJob {
  /** `<step id>@<target key>`, unique within the run. */
  readonly key: string;
  readonly step: PipelineStageSpec;
  readonly target: PipelineTarget;
  /** Catalog row id of the subject, for artifact rows. */
  readonly subjectId: number;
  /** Keys of the jobs whose outputs this one takes, grouped by step id. */
  readonly needs: Readonly<Record<string, readonly string[]>>;
}

/** A run's jobs, in an order where every job comes after those it needs. */
export interface PipelinePlan {
  readonly pipeline: PipelineSpec;
  readonly jobs: readonly PlannedJob[];
  readonly subjects: number;
}

/** Protocol series keys assigned by QA, by Series Instance UID (for `when.protocolSeries`). */
type ProtocolKeys = ReadonlyMap<string, string | null>;

function matchesSeries(series: TargetSeries, when: StageCondition, keys: ProtocolKeys): boolean {
  if (when.modality !== undefined && !when.modality.includes(series.modality ?? '')) return false;
  if (
    when.seriesDescription !== undefined &&
    !new RegExp(when.seriesDescription, 'i').test(series.description ?? '')
  )
    return false;
  if (
    when.protocolSeries !== undefined &&
    !when.protocolSeries.includes(keys.get(series.uid) ?? '')
  )
    return false;
  return true;
}

function seriesFilterGiven(when: StageCondition): boolean {
  return (
    when.modality !== undefined ||
    when.seriesDescription !== undefined ||
    when.protocolSeries !== undefined
  );
}

/** Whether a target meets the catalog conditions of a step (upstream ones are checked later). */
function applies(target: PipelineTarget, when: StageCondition, keys: ProtocolKeys): boolean {
  for (const variable of when.clinical ?? []) if (!(variable in target.clinical)) return false;
  if (!seriesFilterGiven(when)) return true;
  const series =
    target.series !== undefined
      ? [target.series]
      : target.study !== undefined
        ? (target.studies?.[0]?.series ?? [])
        : (target.studies ?? []).flatMap((s) => s.series);
  return series.some((s) => matchesSeries(s, when, keys));
}

async function loadSubject(
  workspace: Workspace,
  subject: SubjectSummary,
): Promise<{
  clinical: Record<string, string>;
  studies: TargetStudy[];
  summaries: StudySummary[];
  keys: Map<string, string | null>;
}> {
  const catalog = workspace.catalog;
  const clinical: Record<string, string> = {};
  const rows = await allPages((page) =>
    listClinical(catalog, { project: subject.project, pseudonym: subject.pseudonym, ...page }),
  );
  for (const row of rows) clinical[row.variable] = row.value;
  const summaries = await allPages((page) =>
    listStudies(catalog, { project: subject.project, pseudonym: subject.pseudonym, ...page }),
  );
  const studies: TargetStudy[] = [];
  const keys = new Map<string, string | null>();
  for (const study of summaries) {
    const seriesList: SeriesSummary[] = await allPages((page) =>
      listSeries(catalog, { studyUid: study.studyInstanceUid, ...page }),
    );
    const series: TargetSeries[] = [];
    for (const s of seriesList) {
      const instances = await allPages((page) =>
        listInstances(catalog, { seriesUid: s.seriesInstanceUid, ...page }),
      );
      instances.sort(
        (a, b) =>
          (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0) ||
          (a.sopInstanceUid < b.sopInstanceUid ? -1 : 1),
      );
      keys.set(s.seriesInstanceUid, s.protocolSeriesKey);
      series.push({
        uid: s.seriesInstanceUid,
        modality: s.modality,
        description: s.seriesDescription,
        instances: instances.map((i) => i.blobDigest),
      });
    }
    series.sort((a, b) => (a.uid < b.uid ? -1 : 1));
    studies.push({ uid: study.studyInstanceUid, site: study.site, visit: study.visit, series });
  }
  studies.sort((a, b) => (a.uid < b.uid ? -1 : 1));
  return { clinical, studies, summaries, keys };
}

/**
 * Expands a pipeline over a cohort into jobs: each step once per subject, study or series (its
 * level) whose catalog data meet its conditions, each job linked to the jobs of the steps it
 * needs on the same subject (and the same study or series where both run at that level).
 */
export async function planPipeline(
  workspace: Workspace,
  pipeline: PipelineSpec,
  cohort: CohortQuery = {},
): Promise<PipelinePlan> {
  let subjects = await allPages((page) =>
    listSubjects(workspace.catalog, {
      ...(cohort.project === undefined ? {} : { project: cohort.project }),
      ...page,
    }),
  );
  if (cohort.subjects !== undefined) {
    const wanted = new Set(cohort.subjects);
    subjects = subjects.filter((s) => wanted.has(s.pseudonym));
  }
  subjects.sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : 1));
  const jobs: PlannedJob[] = [];
  for (const subject of subjects) {
    const { clinical, studies, keys } = await loadSubject(workspace, subject);
    const base = { project: subject.project, subject: subject.pseudonym, clinical };
    const bySteps = new Map<string, PlannedJob[]>();
    for (const step of pipeline.stages) {
      const targets: { key: string; target: PipelineTarget }[] = [];
      if (step.level === 'subject') {
        targets.push({ key: subject.pseudonym, target: { level: 'subject', ...base, studies } });
      } else {
        for (const study of studies) {
          const { series, ...studyInfo } = study;
          if (step.level === 'study') {
            targets.push({
              key: study.uid,
              target: { level: 'study', ...base, study: studyInfo, studies: [study] },
            });
          } else {
            for (const s of series)
              targets.push({
                key: s.uid,
                target: { level: 'series', ...base, study: studyInfo, series: s },
              });
          }
        }
      }
      const stepJobs: PlannedJob[] = [];
      for (const { key, target } of targets) {
        if (!applies(target, step.when, keys)) continue;
        if (step.level === 'series' && !seriesFilterGiven(step.when) && target.series !== undefined)
          if (target.series.instances.length === 0) continue;
        const needs: Record<string, string[]> = {};
        let missing = false;
        for (const need of step.needs) {
          const upstream = (bySteps.get(need) ?? []).filter((job) => related(job.target, target));
          if (upstream.length === 0) missing = true;
          needs[need] = upstream.map((job) => job.key);
        }
        if (missing) continue;
        stepJobs.push({ key: `${step.id}@${key}`, step, target, subjectId: subject.id, needs });
      }
      bySteps.set(step.id, stepJobs);
      jobs.push(...stepJobs);
    }
  }
  return { pipeline, jobs, subjects: subjects.length };
}

/** Whether an upstream job's target belongs to a downstream target (same subject and scope). */
function related(up: PipelineTarget, down: PipelineTarget): boolean {
  if (up.subject !== down.subject) return false;
  if (down.series !== undefined && up.series !== undefined)
    return up.series.uid === down.series.uid;
  if (down.study !== undefined && up.study !== undefined) return up.study.uid === down.study.uid;
  return true;
}

/**
 * Whether the outputs of needed steps meet a step's `when.upstream` conditions: each
 * `"<step>.<field>"` must hold one of the allowed values in every output of that step.
 */
export function upstreamAllows(
  when: StageCondition,
  upstream: Readonly<Record<string, JsonValue>>,
): boolean {
  for (const [key, allowed] of Object.entries(when.upstream ?? {})) {
    const [step, ...path] = key.split('.');
    const value = upstream[step ?? ''];
    const outputs: readonly (JsonValue | undefined)[] = Array.isArray(value) ? value : [value];
    for (const output of outputs) {
      let v: JsonValue | undefined = output;
      for (const p of path)
        v =
          v !== null && typeof v === 'object' && !Array.isArray(v)
            ? (v as Record<string, JsonValue>)[p]
            : undefined;
      if (!allowed.some((a) => JSON.stringify(a) === JSON.stringify(v))) return false;
    }
  }
  return true;
}
