import type { DicomJson } from '../../core/index.js';
import { PlatformError } from '../../core/index.js';
import type { CatalogHandle } from '../../store/index.js';

/** One stored instance, located for WADO-RS. */
export interface StoredInstance {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  readonly blobDigest: string;
}

/** What to retrieve: a study, a series of it, or one instance of that series. */
export interface WadoTarget {
  readonly study: string;
  readonly series?: string;
  readonly instance?: string;
}

function located(catalog: CatalogHandle, target: WadoTarget) {
  let query = catalog.db
    .selectFrom('instance')
    .innerJoin('series', 'series.id', 'instance.series_id')
    .innerJoin('study', 'study.id', 'series.study_id')
    .where('study.study_instance_uid', '=', target.study as never);
  if (target.series !== undefined) {
    query = query.where('series.series_instance_uid', '=', target.series as never);
  }
  if (target.instance !== undefined) {
    query = query.where('instance.sop_instance_uid', '=', target.instance as never);
  }
  return query.orderBy('series.id').orderBy('instance.instance_number').orderBy('instance.id');
}

function describe(target: WadoTarget): string {
  if (target.instance !== undefined) return `instance ${target.instance}`;
  if (target.series !== undefined) return `series ${target.series}`;
  return `study ${target.study}`;
}

/** The instances of a target in series then Instance Number order; `ERR_CATALOG_NOT_FOUND` when none. */
export async function findStoredInstances(
  catalog: CatalogHandle,
  target: WadoTarget,
): Promise<readonly StoredInstance[]> {
  const rows = await located(catalog, target)
    .select([
      'study.study_instance_uid as studyInstanceUid',
      'series.series_instance_uid as seriesInstanceUid',
      'instance.sop_instance_uid as sopInstanceUid',
      'instance.transfer_syntax_uid as transferSyntaxUid',
      'instance.blob_digest as blobDigest',
    ])
    .execute();
  if (rows.length === 0) {
    throw new PlatformError('ERR_CATALOG_NOT_FOUND', `${describe(target)} is not in the catalog`);
  }
  return rows;
}

/** The instance-level DICOM JSON of a target's instances (WADO-RS metadata, PS3.18 §10.4.1.1.2). */
export async function findInstanceMetadata(
  catalog: CatalogHandle,
  target: WadoTarget,
): Promise<readonly DicomJson[]> {
  const rows = await located(catalog, target).select('instance.dicom_json as json').execute();
  if (rows.length === 0) {
    throw new PlatformError('ERR_CATALOG_NOT_FOUND', `${describe(target)} is not in the catalog`);
  }
  return rows.map((r) => (typeof r.json === 'string' ? JSON.parse(r.json) : r.json) as DicomJson);
}
