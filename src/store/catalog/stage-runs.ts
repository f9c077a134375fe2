import type { ArtifactKind } from './artifact.table.js';
import { writeTransaction } from './dialects.js';
import type { CatalogHandle } from './dialects.js';
import type { JobState } from './job.table.js';

/** One blob a stage run produced, to record as an artifact. */
export interface StageArtifactRecord {
  /** `sha256:` digest of the blob (already durable in the blob store). */
  readonly digest: string;
  readonly kind: ArtifactKind;
  /** File format: `json`, `stl`, `vtu`, `svg`, `onnx`, … */
  readonly format: string;
}

/** A finished stage computation to record in the provenance cache. */
export interface StageRunRecord {
  readonly cacheKey: string;
  readonly stage: string;
  readonly stageVersion: number;
  readonly params: unknown;
  readonly inputs: unknown;
  readonly output: unknown;
  readonly subjectId: number | null;
  readonly seconds: number;
  readonly worker: string;
  readonly artifacts: readonly StageArtifactRecord[];
}

/** A cached stage result as read back. */
export interface CachedStageRun {
  readonly cacheKey: string;
  readonly stage: string;
  readonly stageVersion: number;
  readonly params: unknown;
  readonly inputs: unknown;
  readonly output: unknown;
  readonly subjectId: number | null;
  readonly seconds: number;
  readonly worker: string;
  readonly createdAt: string;
}

function parseJson(text: unknown): unknown {
  // PostgreSQL's jsonb comes back parsed by the pg driver; SQLite's text does not.
  return typeof text === 'string' ? (JSON.parse(text) as unknown) : text;
}

/** The cached result of a stage run by its cache key, or `undefined` when never computed. */
export async function findStageRun(
  catalog: CatalogHandle,
  cacheKey: string,
): Promise<CachedStageRun | undefined> {
  const row = await catalog.db
    .selectFrom('stage_run')
    .selectAll()
    .where('cache_key', '=', cacheKey)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    cacheKey: row.cache_key,
    stage: row.stage,
    stageVersion: row.stage_version,
    params: parseJson(row.params_json),
    inputs: parseJson(row.inputs_json),
    output: parseJson(row.output_json),
    subjectId: row.subject_id,
    seconds: row.seconds,
    worker: row.worker,
    createdAt: row.created_at,
  };
}

/**
 * Records a stage run and its artifacts in one transaction, exactly once per cache key: when a
 * row with the key exists already (another worker finished the same job first) nothing is
 * written and the stored run is returned with `created: false`.
 */
export async function recordStageRun(
  catalog: CatalogHandle,
  record: StageRunRecord,
): Promise<{ readonly created: boolean; readonly run: CachedStageRun }> {
  const created = await writeTransaction(catalog, async (trx) => {
    const inserted = await trx
      .insertInto('stage_run')
      .values({
        cache_key: record.cacheKey,
        stage: record.stage,
        stage_version: record.stageVersion,
        params_json: JSON.stringify(record.params),
        inputs_json: JSON.stringify(record.inputs),
        output_json: JSON.stringify(record.output),
        subject_id: record.subjectId,
        seconds: record.seconds,
        worker: record.worker,
      })
      .onConflict((oc) => oc.column('cache_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted === undefined) return false;
    for (const artifact of record.artifacts) {
      await trx
        .insertInto('artifact')
        .values({
          digest: artifact.digest as never,
          kind: artifact.kind,
          format: artifact.format,
          subject_id: record.subjectId,
          series_id: null,
          stage: record.stage,
          stage_version: record.stageVersion,
          params_json: JSON.stringify(record.params),
          inputs_json: JSON.stringify(record.inputs),
          run_key: record.cacheKey,
        })
        .execute();
    }
    return true;
  });
  const run = await findStageRun(catalog, record.cacheKey);
  if (run === undefined) throw new Error(`stage run ${record.cacheKey} vanished after insert`);
  return { created, run };
}

/** How many artifact rows carry a digest (the exactly-once check of the pipeline tests). */
export async function countArtifactsByDigest(
  catalog: CatalogHandle,
  digest: string,
): Promise<number> {
  const row = await catalog.db
    .selectFrom('artifact')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('digest', '=', digest as never)
    .executeTakeFirstOrThrow();
  // PostgreSQL returns count(*) as a string (bigint).
  return Number(row.n);
}

/** The stage runs that produced a blob (usually one; two stages can produce equal bytes). */
export async function stageRunsProducing(
  catalog: CatalogHandle,
  digest: string,
): Promise<readonly CachedStageRun[]> {
  const keys = await catalog.db
    .selectFrom('artifact')
    .select('run_key')
    .distinct()
    .where('digest', '=', digest as never)
    .where('run_key', 'is not', null)
    .execute();
  const runs: CachedStageRun[] = [];
  for (const { run_key } of keys) {
    if (run_key === null) continue;
    const run = await findStageRun(catalog, run_key);
    if (run !== undefined) runs.push(run);
  }
  return runs;
}

/** A job of a pipeline run, as recorded in the `job` table. */
export interface JobRecord {
  readonly runUid: string;
  readonly stage: string;
  readonly inputKey: string;
  readonly state: JobState;
  readonly attempts: number;
  readonly cacheKey?: string;
  readonly error?: unknown;
  readonly worker?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

/** Inserts or updates the job row of (run, stage, input key). */
export async function upsertJob(catalog: CatalogHandle, job: JobRecord): Promise<void> {
  await writeTransaction(catalog, async (trx) => {
    const existing = await trx
      .selectFrom('job')
      .select('id')
      .where('run_uid', '=', job.runUid)
      .where('stage', '=', job.stage)
      .where('input_key', '=', job.inputKey)
      .executeTakeFirst();
    const values = {
      state: job.state,
      attempts: job.attempts,
      cache_key: job.cacheKey ?? null,
      error_json: job.error === undefined ? null : JSON.stringify(job.error),
      worker: job.worker ?? null,
      started_at: job.startedAt ?? null,
      finished_at: job.finishedAt ?? null,
    };
    if (existing === undefined) {
      await trx
        .insertInto('job')
        .values({ run_uid: job.runUid, stage: job.stage, input_key: job.inputKey, ...values })
        .execute();
    } else {
      await trx.updateTable('job').set(values).where('id', '=', existing.id).execute();
    }
  });
}
