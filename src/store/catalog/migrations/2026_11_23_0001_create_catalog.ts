import { sql } from 'kysely';
import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';
import { dialectTypes } from '../dialects.js';
import type { CatalogDialect } from '../dialects.js';

/**
 * The catalog as DESIGN.md §3 lays it out: project → subject → visit → study → series →
 * instance, plus quarantine, artifact, qa_result, job, clinical and audit.
 *
 * @remarks
 * Deleting a subject (consent withdrawn) cascades to everything derived from it; quarantine rows
 * outlive their project (the project reference is set to null). Every foreign key that a cascade
 * follows is indexed, so a delete does not scan the child table.
 */
export async function up(db: Kysely<unknown>, dialect: CatalogDialect): Promise<void> {
  const t = dialectTypes(dialect);
  const id = <T extends string, C extends string>(
    builder: CreateTableBuilder<T, C>,
  ): CreateTableBuilder<T, C | 'id'> =>
    builder.addColumn('id', t.id, (col) =>
      dialect === 'postgres' ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey(),
    );
  const parent =
    (table: string, onDelete: 'cascade' | 'set null' = 'cascade') =>
    (col: ColumnDefinitionBuilder): ColumnDefinitionBuilder => {
      const ref = col.references(`${table}.id`).onDelete(onDelete);
      return onDelete === 'cascade' ? ref.notNull() : ref;
    };
  const oneOf = (column: string, values: readonly string[]) =>
    sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

  await id(db.schema.createTable('project'))
    .addColumn('name', t.text, (col) => col.notNull().unique())
    .addColumn('created_at', t.timestamp, (col) => col.notNull().defaultTo(t.now))
    .addColumn('config_json', t.json, (col) => col.notNull().defaultTo('{}'))
    .execute();

  await id(db.schema.createTable('subject'))
    .addColumn('project_id', t.ref, parent('project'))
    .addColumn('pseudonym', t.text, (col) => col.notNull())
    .addColumn('sex', t.text)
    .addColumn('birth_year', t.integer)
    .addColumn('created_at', t.timestamp, (col) => col.notNull().defaultTo(t.now))
    .addUniqueConstraint('subject_project_pseudonym_key', ['project_id', 'pseudonym'])
    .execute();

  await id(db.schema.createTable('visit'))
    .addColumn('subject_id', t.ref, parent('subject'))
    .addColumn('label', t.text, (col) => col.notNull())
    .addColumn('visit_index', t.integer)
    .addUniqueConstraint('visit_subject_label_key', ['subject_id', 'label'])
    .execute();

  await id(db.schema.createTable('study'))
    .addColumn('subject_id', t.ref, parent('subject'))
    .addColumn('visit_id', t.ref, parent('visit'))
    .addColumn('study_instance_uid', t.text, (col) => col.notNull().unique())
    .addColumn('site', t.text)
    .addColumn('study_date_shifted', t.text)
    .addColumn('description', t.text)
    .addColumn('dicom_json', t.json, (col) => col.notNull())
    .execute();
  await db.schema.createIndex('study_subject_idx').on('study').column('subject_id').execute();
  await db.schema.createIndex('study_visit_idx').on('study').column('visit_id').execute();

  await id(db.schema.createTable('series'))
    .addColumn('study_id', t.ref, parent('study'))
    .addColumn('series_instance_uid', t.text, (col) => col.notNull().unique())
    .addColumn('modality', t.text, (col) => col.notNull())
    .addColumn('series_description', t.text)
    .addColumn('protocol_series_key', t.text)
    .addColumn('series_number', t.integer)
    .addColumn('n_instances', t.integer, (col) => col.notNull().defaultTo(0))
    .addColumn('state', t.text, (col) =>
      col
        .notNull()
        .defaultTo('receiving')
        .check(oneOf('state', ['receiving', 'stable', 'qa_done'])),
    )
    .addColumn('dicom_json', t.json, (col) => col.notNull())
    .addColumn('updated_at', t.timestamp, (col) => col.notNull().defaultTo(t.now))
    .execute();
  await db.schema.createIndex('series_study_idx').on('series').column('study_id').execute();
  // The series-stability detector asks for "receiving and quiet since T".
  await db.schema
    .createIndex('series_state_updated_idx')
    .on('series')
    .columns(['state', 'updated_at'])
    .execute();

  await id(db.schema.createTable('instance'))
    .addColumn('series_id', t.ref, parent('series'))
    .addColumn('project_id', t.ref, parent('project'))
    .addColumn('sop_instance_uid', t.text, (col) => col.notNull().unique())
    .addColumn('sop_class_uid', t.text, (col) => col.notNull())
    .addColumn('transfer_syntax_uid', t.text, (col) => col.notNull())
    .addColumn('instance_number', t.integer)
    .addColumn('blob_digest', t.text, (col) => col.notNull())
    .addColumn('original_digest', t.text, (col) => col.notNull())
    .addColumn('size_bytes', t.integer, (col) => col.notNull())
    .addColumn('dicom_json', t.json, (col) => col.notNull())
    .addColumn('received_at', t.timestamp, (col) => col.notNull())
    .addUniqueConstraint('instance_project_original_key', ['project_id', 'original_digest'])
    .execute();
  await db.schema.createIndex('instance_series_idx').on('instance').column('series_id').execute();
  // Garbage collection of blobs asks whether any row still references a digest.
  await db.schema.createIndex('instance_blob_idx').on('instance').column('blob_digest').execute();

  await id(db.schema.createTable('quarantine'))
    .addColumn('project_id', t.ref, parent('project', 'set null'))
    .addColumn('source', t.text, (col) => col.notNull())
    .addColumn('reason_code', t.text, (col) => col.notNull())
    .addColumn('reason', t.text, (col) => col.notNull())
    .addColumn('blob_digest', t.text)
    .addColumn('size_bytes', t.integer)
    .addColumn('received_at', t.timestamp, (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('quarantine_reason_idx')
    .on('quarantine')
    .column('reason_code')
    .execute();
  await db.schema
    .createIndex('quarantine_project_idx')
    .on('quarantine')
    .column('project_id')
    .execute();

  await id(db.schema.createTable('artifact'))
    .addColumn('digest', t.text, (col) => col.notNull())
    .addColumn('kind', t.text, (col) =>
      col
        .notNull()
        .check(
          oneOf('kind', [
            'qa_report',
            'mask',
            'seg',
            'mesh',
            'fe_mesh',
            'simulation',
            'model',
            'plot',
          ]),
        ),
    )
    .addColumn('format', t.text, (col) => col.notNull())
    .addColumn('subject_id', t.ref, (col) => col.references('subject.id').onDelete('cascade'))
    .addColumn('series_id', t.ref, (col) => col.references('series.id').onDelete('cascade'))
    .addColumn('stage', t.text, (col) => col.notNull())
    .addColumn('stage_version', t.integer, (col) => col.notNull())
    .addColumn('params_json', t.json, (col) => col.notNull())
    .addColumn('inputs_json', t.json, (col) => col.notNull())
    .addColumn('created_at', t.timestamp, (col) => col.notNull().defaultTo(t.now))
    .execute();
  await db.schema.createIndex('artifact_digest_idx').on('artifact').column('digest').execute();
  await db.schema
    .createIndex('artifact_stage_idx')
    .on('artifact')
    .columns(['stage', 'stage_version'])
    .execute();
  await db.schema.createIndex('artifact_subject_idx').on('artifact').column('subject_id').execute();
  await db.schema.createIndex('artifact_series_idx').on('artifact').column('series_id').execute();

  await id(db.schema.createTable('qa_result'))
    .addColumn('series_id', t.ref, (col) => col.references('series.id').onDelete('cascade'))
    .addColumn('study_id', t.ref, (col) => col.references('study.id').onDelete('cascade'))
    .addColumn('check', t.text, (col) => col.notNull())
    .addColumn('status', t.text, (col) =>
      col.notNull().check(oneOf('status', ['pass', 'warn', 'fail'])),
    )
    .addColumn('value', t.real)
    .addColumn('expected', t.text)
    .addColumn('detail_json', t.json, (col) => col.notNull().defaultTo('{}'))
    .addColumn('protocol_version', t.text)
    .addCheckConstraint(
      'qa_result_target_check',
      sql`series_id is not null or study_id is not null`,
    )
    .execute();
  await db.schema.createIndex('qa_result_series_idx').on('qa_result').column('series_id').execute();
  await db.schema.createIndex('qa_result_study_idx').on('qa_result').column('study_id').execute();

  await id(db.schema.createTable('job'))
    .addColumn('stage', t.text, (col) => col.notNull())
    .addColumn('input_key', t.text, (col) => col.notNull())
    .addColumn('state', t.text, (col) =>
      col
        .notNull()
        .check(oneOf('state', ['queued', 'running', 'succeeded', 'failed', 'cancelled'])),
    )
    .addColumn('attempts', t.integer, (col) => col.notNull().defaultTo(0))
    .addColumn('error_json', t.json)
    .addColumn('started_at', t.timestamp)
    .addColumn('finished_at', t.timestamp)
    .addColumn('worker', t.text)
    .execute();
  await db.schema
    .createIndex('job_stage_input_idx')
    .on('job')
    .columns(['stage', 'input_key'])
    .execute();
  await db.schema.createIndex('job_state_idx').on('job').column('state').execute();

  await id(db.schema.createTable('clinical'))
    .addColumn('subject_id', t.ref, parent('subject'))
    .addColumn('variable', t.text, (col) => col.notNull())
    .addColumn('value', t.text, (col) => col.notNull())
    .addColumn('unit', t.text)
    .addColumn('visit', t.text)
    .addColumn('source', t.text)
    .execute();
  await db.schema
    .createIndex('clinical_subject_idx')
    .on('clinical')
    .columns(['subject_id', 'variable'])
    .execute();

  await id(db.schema.createTable('audit'))
    .addColumn('at', t.timestamp, (col) => col.notNull().defaultTo(t.now))
    .addColumn('actor', t.text, (col) => col.notNull())
    .addColumn('action', t.text, (col) => col.notNull())
    .addColumn('target', t.text, (col) => col.notNull())
    .addColumn('detail_json', t.json, (col) => col.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_at_idx').on('audit').column('at').execute();
}

/** Drops every table of {@link up}, children first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'audit',
    'clinical',
    'job',
    'qa_result',
    'artifact',
    'quarantine',
    'instance',
    'series',
    'study',
    'visit',
    'subject',
    'project',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
