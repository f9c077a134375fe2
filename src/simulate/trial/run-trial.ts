import { availableParallelism } from 'node:os';
import { PlatformError, errorMessage, runJobsInWorkers, workerEntry } from '../../core/index.js';
import type { DrugDefinition, DrugScenario } from '../drugs/drug-definition.js';
import type { LvParams } from '../lv/lv-params.js';
import { personalizeLv } from '../lv/personalize-lv.js';
import type { TrialSubject } from './cohort.js';
import { runTrialJob } from './run-subjects.js';
import type { BaselineMode, SubjectOutcome, TrialJob } from './run-subjects.js';
import type { TrialJobs } from './trial-worker.js';

/** Options of {@link runTrial}. */
export interface RunTrialOptions {
  /** The cohort (from {@link parseCohortCsv} or {@link sampleCohort}). */
  readonly subjects: readonly TrialSubject[];
  readonly drug: DrugDefinition;
  /** @defaultValue 'chronic' */
  readonly scenario?: DrugScenario;
  /**
   * Seed of effect sampling (and parameter sampling); the same seed gives the same trial,
   * whatever the number of workers.
   * @defaultValue 1
   */
  readonly seed?: number;
  /** @defaultValue 'fit' */
  readonly baseline?: BaselineMode;
  /**
   * Sample each drug effect from its uncertainty per subject; false: central values.
   * @defaultValue true
   */
  readonly sampleEffects?: boolean;
  /** Post-treatment SBP calibration target [mmHg] (refits R_p per subject). */
  readonly sbpChange?: number;
  /**
   * Worker threads; 1 runs in this thread.
   * @defaultValue `availableParallelism()`, at most 8
   */
  readonly workers?: number;
  /**
   * Subjects per worker message.
   * @defaultValue 50
   */
  readonly batchSize?: number;
  /**
   * RK4 step [s] (5e-4 s keeps H75 within 0.01 mL/mmHg of 1e-4 s).
   * @defaultValue 5e-4
   */
  readonly dt?: number;
  /**
   * CV of the log-normal parameter spread for `baseline: 'sample-parameters'`.
   * @defaultValue 0.15
   */
  readonly parameterCv?: number;
  /** Called after each batch. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Distribution summary of one metric over the successful subjects. */
export interface MetricSummary {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly median: number;
  /** First quartile. */
  readonly q1: number;
  /** Third quartile. */
  readonly q3: number;
  /** 95 % confidence interval of the mean (normal approximation, mean ± 1.96·SD/√n). */
  readonly ci95: readonly [number, number];
}

/** A simulated mean change beside a published one. */
export interface TrialComparison {
  readonly study: string;
  readonly metric: string;
  readonly unit: string;
  /** Published change. */
  readonly reported: number;
  /** Simulated mean change (NaN when the metric is not available, e.g. indexed volumes without BSA). */
  readonly simulated: number;
  readonly simulatedCi95: readonly [number, number];
  readonly source: string;
}

/** Result of {@link runTrial}. */
export interface TrialResult {
  readonly drug: { readonly id: string; readonly name: string };
  readonly scenario: DrugScenario;
  readonly baselineMode: BaselineMode;
  readonly seed: number;
  readonly sbpChange?: number;
  readonly subjects: number;
  readonly succeeded: number;
  readonly failures: readonly {
    readonly id: string;
    readonly code: string;
    readonly reason: string;
  }[];
  /** Per metric: baseline, treated and change distributions. */
  readonly summary: {
    readonly baseline: Readonly<Record<string, MetricSummary>>;
    readonly treated: Readonly<Record<string, MetricSummary>>;
    readonly delta: Readonly<Record<string, MetricSummary>>;
  };
  /** Geometry effects per quantity (the sampled ratio or amount). */
  readonly geometry: Readonly<Record<string, MetricSummary>>;
  readonly comparison: readonly TrialComparison[];
  /** Parameters fitted to the cohort's median subject (the centre of `sample-parameters`). */
  readonly reference: LvParams;
  readonly workers: number;
  readonly elapsedMs: number;
  readonly outcomes: readonly SubjectOutcome[];
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

/** Mean, SD, median, quartiles and the 95 % CI of the mean of `values`. */
export function summarizeMetric(values: readonly number[]): MetricSummary {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const sorted = [...values].sort((a, b) => a - b);
  const half = n > 0 ? (1.96 * sd) / Math.sqrt(n) : NaN;
  return {
    n,
    mean,
    sd,
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    ci95: [mean - half, mean + half],
  };
}

function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** The cohort's median subject, fitted: the centre of sampled parameters, and reported. */
function referenceFit(subjects: readonly TrialSubject[], dt: number): LvParams {
  const pick = (f: (s: TrialSubject) => number | undefined): number[] =>
    subjects.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const edv = median(pick((s) => s.edv));
  const ef = median(pick((s) => (s.edv - s.esv) / s.edv));
  const sbp = median(pick((s) => s.sbp));
  const pp = median(pick((s) => s.sbp - s.dbp));
  const edps = pick(
    (s) => s.edp ?? (s.eOverEPrime === undefined ? undefined : 1.24 * s.eOverEPrime + 1.9),
  );
  try {
    return personalizeLv(
      {
        edv,
        esv: edv * (1 - ef),
        sbp,
        dbp: sbp - pp,
        hr: median(pick((s) => s.hr)),
        ...(edps.length * 2 >= subjects.length ? { edp: median(edps) } : {}),
      },
      { dt },
    ).params;
  } catch (error) {
    throw new PlatformError(
      'ERR_SIMULATE_FIT',
      `cannot fit the cohort's median subject: ${errorMessage(error)}`,
      { cause: error },
    );
  }
}

function runInWorkers(
  jobs: readonly TrialJob[],
  size: number,
  onBatch: (count: number) => void,
): Promise<SubjectOutcome[][]> {
  return runJobsInWorkers<TrialJobs>(jobs, {
    entry: workerEntry('./trial-worker', import.meta.url),
    size,
    onResult: (outcomes) => {
      onBatch(outcomes.length);
    },
    name: 'trial',
    code: 'ERR_INTERNAL',
  });
}

const METRICS = [
  'edv',
  'esv',
  'sv',
  'ef',
  'sbp',
  'dbp',
  'map',
  'pp',
  'edp',
  'ea',
  'ees',
  'eaOverEes',
  'co',
  'strokeWork',
  'edvi',
  'esvi',
] as const;

/**
 * Runs an in-silico trial: for every subject, baseline parameters (personalised to the subject's
 * measurements, or sampled around the cohort's median fit), the drug applied with per-subject
 * sampled effect sizes (seeded), and baseline and treated steady states; then distribution
 * summaries of baseline, treated and change, and the comparison with the drug's published
 * outcomes. Subjects run in parallel on worker threads.
 *
 * @remarks
 * Subjects whose fit or simulation fails are listed in `failures` and left out of the statistics.
 *
 * @throws `PlatformError` `ERR_SIMULATE_INPUT` for an empty cohort or bad options,
 * `ERR_SIMULATE_FIT` when the cohort's median subject cannot be fitted.
 */
export async function runTrial(options: RunTrialOptions): Promise<TrialResult> {
  const started = performance.now();
  const { subjects, drug } = options;
  if (subjects.length === 0) throw new PlatformError('ERR_SIMULATE_INPUT', 'the cohort is empty');
  const scenario = options.scenario ?? 'chronic';
  const seed = options.seed ?? 1;
  const dt = options.dt ?? 5e-4;
  const batchSize = options.batchSize ?? 50;
  const mode = options.baseline ?? 'fit';
  const workers = Math.max(
    1,
    Math.min(
      options.workers ?? Math.min(availableParallelism(), 8),
      Math.ceil(subjects.length / batchSize),
    ),
  );
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new PlatformError(
      'ERR_SIMULATE_INPUT',
      `batch size ${batchSize} must be a positive integer`,
    );
  const reference = referenceFit(subjects, dt);
  const jobs: TrialJob[] = [];
  for (let first = 0; first < subjects.length; first += batchSize) {
    jobs.push({
      subjects: subjects.slice(first, first + batchSize),
      firstIndex: first,
      drug,
      scenario,
      seed,
      sampleEffects: options.sampleEffects ?? true,
      ...(options.sbpChange === undefined ? {} : { sbpChange: options.sbpChange }),
      baseline: mode,
      reference,
      parameterCv: options.parameterCv ?? 0.15,
      dt,
    });
  }
  let done = 0;
  const progress = (count: number): void => {
    done += count;
    options.onProgress?.(done, subjects.length);
  };
  let batches: SubjectOutcome[][];
  if (workers === 1) {
    batches = jobs.map((job) => {
      const out = runTrialJob(job);
      progress(out.length);
      return out;
    });
  } else {
    batches = await runInWorkers(jobs, workers, progress);
  }
  const outcomes = batches.flat();
  const ok = outcomes.filter((o) => o.ok);
  const failures = outcomes.flatMap((o) =>
    o.ok ? [] : [{ id: o.id, code: o.code, reason: o.reason }],
  );
  const collect = (pick: (o: (typeof ok)[number]) => number | undefined): number[] =>
    ok.map(pick).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const section = (
    pick: (o: (typeof ok)[number], m: string) => number | undefined,
  ): Record<string, MetricSummary> => {
    const out: Record<string, MetricSummary> = {};
    for (const m of METRICS) {
      const values = collect((o) => pick(o, m));
      if (values.length > 0) out[m] = summarizeMetric(values);
    }
    return out;
  };
  const baselineSummary = section(
    (o, m) => (o.baseline as unknown as Record<string, number | undefined>)[m],
  );
  const treatedSummary = section(
    (o, m) => (o.treated as unknown as Record<string, number | undefined>)[m],
  );
  const deltaSummary = section((o, m) => o.delta[m]);
  const geometry: Record<string, MetricSummary> = {};
  for (const quantity of new Set(ok.flatMap((o) => o.geometry.map((g) => g.quantity)))) {
    geometry[quantity] = summarizeMetric(
      collect((o) => o.geometry.find((g) => g.quantity === quantity)?.value),
    );
  }
  const comparison = (drug.reported ?? [])
    .filter((r) => r.scenario === scenario)
    .map((r) => {
      const s = deltaSummary[r.metric];
      return {
        study: r.study,
        metric: r.metric,
        unit: r.unit,
        reported: r.delta,
        simulated: s?.mean ?? NaN,
        simulatedCi95: s?.ci95 ?? [NaN, NaN],
        source: r.source,
      } satisfies TrialComparison;
    });
  return {
    drug: { id: drug.id, name: drug.name },
    scenario,
    baselineMode: mode,
    seed,
    ...(options.sbpChange === undefined ? {} : { sbpChange: options.sbpChange }),
    subjects: subjects.length,
    succeeded: ok.length,
    failures,
    summary: { baseline: baselineSummary, treated: treatedSummary, delta: deltaSummary },
    geometry,
    comparison,
    reference,
    workers,
    elapsedMs: performance.now() - started,
    outcomes,
  };
}
