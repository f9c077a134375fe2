import { parseBlobDigest } from '../../core/index.js';
import type { JsonObject } from '../../core/index.js';
import { catalogError } from './catalog-error.js';
import { jsonText, toIsoTimestamp } from './catalog-values.js';
import { writeTransaction } from './dialects.js';
import type { CatalogHandle } from './dialects.js';
import { ensureProject } from './ensure-rows.js';
import type { NewQuarantineRow } from './quarantine.table.js';

/** One rejected input to record in the quarantine table. */
export interface QuarantineEntry {
  /** The project it was sent to, when known; created on first use. */
  readonly project?: string | null;
  /** A file path, or the sending peer. */
  readonly source: string;
  /** An error code from core's `ERROR_CODES` (`ERR_DICOM_PARSE`, …). */
  readonly reasonCode: string;
  /** A message a person can act on. */
  readonly reason: string;
  /** Digest of the original bytes in the quarantine blob store, when kept (`sha256:…`). */
  readonly blobDigest?: string | null;
  /** Size of the input, in bytes, when known. */
  readonly sizeBytes?: number | null;
  /**
   * When it arrived.
   * @defaultValue now
   */
  readonly receivedAt?: string | Date;
}

/**
 * Records rejected inputs, in one transaction; returns the new rows' ids in input order.
 * Throws `ERR_CATALOG` on database errors and `ERR_STORE_INVALID_DIGEST` for a malformed digest.
 */
export async function recordQuarantine(
  catalog: CatalogHandle,
  entries: readonly QuarantineEntry[],
): Promise<readonly number[]> {
  if (entries.length === 0) return [];
  const now = new Date();
  const rows = entries.map((entry) => ({
    project: entry.project ?? null,
    row: {
      source: entry.source,
      reason_code: entry.reasonCode,
      reason: entry.reason,
      blob_digest:
        entry.blobDigest === undefined || entry.blobDigest === null
          ? null
          : parseBlobDigest(entry.blobDigest),
      size_bytes: entry.sizeBytes ?? null,
      received_at: toIsoTimestamp(entry.receivedAt ?? now),
    } satisfies Omit<NewQuarantineRow, 'project_id'>,
  }));
  try {
    return await writeTransaction(catalog, async (trx) => {
      const projects = new Map<string, number>();
      for (const name of [...new Set(rows.map((r) => r.project))].sort()) {
        if (name !== null) projects.set(name, (await ensureProject(trx, name)).id);
      }
      const ids: number[] = [];
      // One row at a time keeps the returned ids in input order on both dialects; quarantine is
      // the rare path, so the extra round trips do not matter.
      for (const { project, row } of rows) {
        const inserted = await trx
          .insertInto('quarantine')
          .values({ ...row, project_id: project === null ? null : (projects.get(project) ?? null) })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.push(inserted.id);
      }
      return ids;
    });
  } catch (error) {
    throw catalogError(
      `cannot record ${entries.length} quarantined inputs`,
      catalog.dialect,
      error,
    );
  }
}

/** One entry of the audit trail. */
export interface AuditEntry {
  /** Who acted (`cli:alice`, `token:researcher-7`, `ingest`). */
  readonly actor: string;
  /** What was done (`ingest`, `export`, `read`, `deidentify`). */
  readonly action: string;
  /** What it was done to (a UID, a path, a project). */
  readonly target: string;
  /** Anything else worth keeping, as JSON. */
  readonly detail?: JsonObject;
  /**
   * When.
   * @defaultValue now
   */
  readonly at?: string | Date;
}

/** Appends one entry to the audit trail; returns its id. Throws `ERR_CATALOG` on failure. */
export async function recordAudit(catalog: CatalogHandle, entry: AuditEntry): Promise<number> {
  const row = {
    at: toIsoTimestamp(entry.at ?? new Date()),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    detail_json: jsonText(entry.detail ?? {}),
  };
  try {
    const inserted = await catalog.db
      .insertInto('audit')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  } catch (error) {
    throw catalogError(
      `cannot record audit entry ${entry.action} ${entry.target}`,
      catalog.dialect,
      error,
    );
  }
}
