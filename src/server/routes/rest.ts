import { parseSeriesInstanceUid, parseStudyInstanceUid } from '../../core/index.js';
import {
  getArtifact,
  getSeries,
  listArtifacts,
  listAudit,
  listClinical,
  listJobs,
  listQaResults,
  listQuarantine,
  listSeries,
  listStudies,
  listSubjects,
  listVisits,
} from '../../store/index.js';
import type { ClinicalSummary } from '../../store/index.js';
import type { App, AppContext } from '../app-context.js';
import type { Principal } from '../auth/access.js';
import {
  ArtifactIdParams,
  ArtifactQuery,
  AuditQuery,
  ClinicalQuery,
  JobQuery,
  QaResultQuery,
  QuarantineQuery,
  SeriesQuery,
  SeriesUidParams,
  StudyQuery,
  SubjectQuery,
  VisitQuery,
} from '../schemas/rest.js';

/** Prefix of the JSON API. */
export const REST_PREFIX = '/api';

/** A page of a listing: its items and the bounds asked for. */
interface Listing<T> {
  readonly items: readonly T[];
  readonly limit: number;
  readonly offset: number;
}

/**
 * Media type of an artifact download by the artifact's `format`; other formats are sent as
 * `application/octet-stream`.
 */
export const ARTIFACT_CONTENT_TYPES: Readonly<Record<string, string>> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  png: 'image/png',
  svg: 'image/svg+xml',
  'dicom-seg': 'application/dicom',
  dicom: 'application/dicom',
  stl: 'model/stl',
  nifti: 'application/octet-stream',
  vtk: 'application/octet-stream',
  onnx: 'application/octet-stream',
};

/** File name extension of an artifact download by format; others get `.<format>`. */
const ARTIFACT_EXTENSIONS: Readonly<Record<string, string>> = {
  nifti: '.nii.gz',
  'dicom-seg': '.dcm',
  dicom: '.dcm',
};

/**
 * A clinical value as a role may see it: researchers get the subject's pseudonym only, without
 * the catalog row id that links to other tables, and without the source, which may be a file name
 * that names a person.
 */
function clinicalFor(
  principal: Principal | null,
  row: ClinicalSummary,
): ClinicalSummary | Omit<ClinicalSummary, 'subjectId' | 'source'> {
  if (principal?.role === 'admin') return row;
  return {
    id: row.id,
    project: row.project,
    pseudonym: row.pseudonym,
    variable: row.variable,
    value: row.value,
    unit: row.unit,
    visit: row.visit,
  };
}

function page<T>(items: readonly T[], query: { limit?: number; offset?: number }): Listing<T> {
  return { items, limit: query.limit ?? 1000, offset: query.offset ?? 0 };
}

/**
 * The JSON API (DESIGN.md §4 HTTP, REST; docs/http-api.md): the listings of `medscale ls` with
 * the same filters, and visits, QA results, artifacts, jobs and clinical values, paged by `limit`
 * and `offset`; errors are `{ code, message }`. Reads are audited as `rest.read`, artifact
 * downloads as `export`. The quarantine (its sources may name people) and the audit trail are for
 * admins only.
 */
export function registerRest(app: App, context: AppContext): void {
  const { catalog } = context.workspace;
  const read = { access: 'read' as const };
  const admin = { access: 'admin' as const };

  app.get(
    `${REST_PREFIX}/subjects`,
    { schema: { querystring: SubjectQuery }, config: read },
    async (request) => {
      const items = await listSubjects(catalog, request.query);
      await context.audit(request, 'rest.read', request.url, { results: items.length });
      return page(items, request.query);
    },
  );

  app.get(
    `${REST_PREFIX}/studies`,
    { schema: { querystring: StudyQuery }, config: read },
    async (request) => {
      const { studyUid, ...rest } = request.query;
      const items = await listStudies(catalog, {
        ...rest,
        ...(studyUid === undefined ? {} : { studyUid: parseStudyInstanceUid(studyUid) }),
      });
      await context.audit(request, 'rest.read', request.url, { results: items.length });
      return page(items, request.query);
    },
  );

  app.get(
    `${REST_PREFIX}/series`,
    { schema: { querystring: SeriesQuery }, config: read },
    async (request) => {
      const { studyUid, ...rest } = request.query;
      const items = await listSeries(catalog, {
        ...rest,
        ...(studyUid === undefined ? {} : { studyUid: parseStudyInstanceUid(studyUid) }),
      });
      await context.audit(request, 'rest.read', request.url, { results: items.length });
      return page(items, request.query);
    },
  );

  app.get(
    `${REST_PREFIX}/series/:uid`,
    { schema: { params: SeriesUidParams }, config: read },
    async (request) => {
      const series = await getSeries(catalog, parseSeriesInstanceUid(request.params.uid));
      await context.audit(request, 'rest.read', series.seriesInstanceUid);
      return series;
    },
  );

  app.get(
    `${REST_PREFIX}/visits`,
    { schema: { querystring: VisitQuery }, config: read },
    async (request) => {
      const items = await listVisits(catalog, request.query);
      await context.audit(request, 'rest.read', request.url, { results: items.length });
      return page(items, request.query);
    },
  );

  app.get(
    `${REST_PREFIX}/qa-results`,
    { schema: { querystring: QaResultQuery }, config: read },
    async (request) => {
      const { studyUid, seriesUid, ...rest } = request.query;
      const items = await listQaResults(catalog, {
        ...rest,
        ...(studyUid === undefined ? {} : { studyUid: parseStudyInstanceUid(studyUid) }),
        ...(seriesUid === undefined ? {} : { seriesUid: parseSeriesInstanceUid(seriesUid) }),
      });
      await context.audit(request, 'rest.read', request.url, { results: items.length });
      return page(items, request.query);
    },
  );

  app.get(
    `${REST_PREFIX}/artifacts`,
    { schema: { querystring: ArtifactQuery }, config: read },
    async (request) => {
      const { seriesUid, ...rest } = request.query;
      const items = await listArtifacts(catalog, {
        ...rest,
        ...(seriesUid === undefined ? {} : { seriesUid: parseSeriesInstanceUid(seriesUid) }),
      });
      await context.audit(request, 'rest.read', request.url, { results: items.length });
      return page(items, request.query);
    },
  );

  app.get(
    `${REST_PREFIX}/artifacts/:id/download`,
    { schema: { params: ArtifactIdParams }, config: read },
    async (request, reply) => {
      const artifact = await getArtifact(catalog, request.params.id);
      // The blob store reads whole blobs (decompressing and verifying them), so the body is sent
      // from memory rather than streamed from the file.
      const bytes = await context.workspace.blobs.get(artifact.digest, { verify: true });
      await context.audit(request, 'export', `artifact:${artifact.id}`, {
        digest: artifact.digest,
        kind: artifact.kind,
        format: artifact.format,
        bytes: bytes.byteLength,
      });
      const extension = ARTIFACT_EXTENSIONS[artifact.format] ?? `.${artifact.format}`;
      return reply
        .header(
          'content-type',
          ARTIFACT_CONTENT_TYPES[artifact.format] ?? 'application/octet-stream',
        )
        .header(
          'content-disposition',
          `attachment; filename="artifact-${artifact.id}${extension.replace(/[^A-Za-z0-9.-]/g, '_')}"`,
        )
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );

  app.get(
    `${REST_PREFIX}/jobs`,
    { schema: { querystring: JobQuery }, config: read },
    async (request) => {
      const items = await listJobs(catalog, request.query);
      await context.audit(request, 'rest.read', request.url, { results: items.length });
      return page(items, request.query);
    },
  );

  app.get(
    `${REST_PREFIX}/clinical`,
    { schema: { querystring: ClinicalQuery }, config: read },
    async (request) => {
      const rows = await listClinical(catalog, request.query);
      await context.audit(request, 'rest.read', request.url, { results: rows.length });
      return page(
        rows.map((row) => clinicalFor(request.principal, row)),
        request.query,
      );
    },
  );

  app.get(
    `${REST_PREFIX}/quarantine`,
    { schema: { querystring: QuarantineQuery }, config: admin },
    async (request) => {
      const items = await listQuarantine(catalog, request.query);
      await context.audit(request, 'rest.read', request.url, { results: items.length });
      return page(items, request.query);
    },
  );

  app.get(
    `${REST_PREFIX}/audit`,
    { schema: { querystring: AuditQuery }, config: admin },
    async (request) => {
      const items = await listAudit(catalog, request.query);
      await context.audit(request, 'rest.read', request.url, { results: items.length });
      return page(items, request.query);
    },
  );
}
