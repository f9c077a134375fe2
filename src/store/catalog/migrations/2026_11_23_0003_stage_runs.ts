import type { Kysely } from 'kysely';
import { dialectTypes } from '../dialects.js';
import type { CatalogDialect } from '../dialects.js';

/**
 * The provenance cache of the pipeline engine (DESIGN.md principle 2): one `stage_run` row per
 * distinct (stage, version, parameters, inputs), keyed by the SHA-256 of that tuple, holding the
 * stage's JSON output. Artifacts gain the key of the run that made them (`run_key`), and jobs the
 * pipeline run they belong to (`run_uid`) and their cache key.
 *
 * @remarks
 * `cache_key` is unique: when two workers finish the same job (a stalled job retried while the
 * first worker still ran), the second insert is a no-op and both report the first one's output,
 * so an artifact is created exactly once however often its job runs.
 */
export async function up(db: Kysely<unknown>, dialect: CatalogDialect): Promise<void> {
  const t = dialectTypes(dialect);
  await db.schema
    .createTable('stage_run')
    .addColumn('id', t.id, (col) =>
      dialect === 'postgres' ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey(),
    )
    .addColumn('cache_key', t.text, (col) => col.notNull().unique())
    .addColumn('stage', t.text, (col) => col.notNull())
    .addColumn('stage_version', t.integer, (col) => col.notNull())
    .addColumn('params_json', t.json, (col) => col.notNull())
    .addColumn('inputs_json', t.json, (col) => col.notNull())
    .addColumn('output_json', t.json, (col) => col.notNull())
    .addColumn('subject_id', t.ref, (col) => col.references('subject.id').onDelete('cascade'))
    .addColumn('seconds', t.real, (col) => col.notNull())
    .addColumn('worker', t.text, (col) => col.notNull())
    .addColumn('created_at', t.timestamp, (col) => col.notNull().defaultTo(t.now))
    .execute();
  await db.schema
    .createIndex('stage_run_subject_idx')
    .on('stage_run')
    .column('subject_id')
    .execute();
  await db.schema.alterTable('artifact').addColumn('run_key', t.text).execute();
  await db.schema.createIndex('artifact_run_key_idx').on('artifact').column('run_key').execute();
  await db.schema.alterTable('job').addColumn('run_uid', t.text).execute();
  await db.schema.alterTable('job').addColumn('cache_key', t.text).execute();
  await db.schema.createIndex('job_run_uid_idx').on('job').column('run_uid').execute();
}

/** Removes what {@link up} added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('job_run_uid_idx').execute();
  await db.schema.alterTable('job').dropColumn('cache_key').execute();
  await db.schema.alterTable('job').dropColumn('run_uid').execute();
  await db.schema.dropIndex('artifact_run_key_idx').execute();
  await db.schema.alterTable('artifact').dropColumn('run_key').execute();
  await db.schema.dropTable('stage_run').execute();
}
