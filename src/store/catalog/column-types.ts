import type { ColumnType } from 'kysely';

/**
 * A point in time as an ISO 8601 UTC string with milliseconds (`2026-11-23T10:15:00.000Z`).
 *
 * @remarks
 * Text in SQLite and `timestamptz` in PostgreSQL; the PostgreSQL pool parses `timestamptz` back
 * into this same string form, so rows look alike on both dialects and sort as text.
 */
export type IsoTimestamp = string;

/** A timestamp column the database fills in when an insert leaves it out. */
export type CreatedAt = ColumnType<IsoTimestamp, IsoTimestamp | undefined, IsoTimestamp>;

/**
 * A JSON document column, read and written as JSON text: `text` in SQLite, `jsonb` in
 * PostgreSQL (so its key order and spacing are PostgreSQL's on the way back; compare parsed).
 */
export type JsonText = ColumnType<string, string, string>;

/** A JSON column with a default (`'{}'`). */
export type JsonTextWithDefault = ColumnType<string, string | undefined, string>;

/** A surrogate key: `integer primary key` in SQLite, a `bigint` identity in PostgreSQL. */
export type Id = ColumnType<number, never, never>;
