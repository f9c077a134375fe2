import { parseSeriesInstanceUid, parseStudyInstanceUid } from '../../core/index.js';
import {
  getSeries,
  listAudit,
  listQuarantine,
  listSeries,
  listStudies,
  listSubjects,
} from '../../store/index.js';
import type { App, AppContext } from '../app-context.js';
import {
  AuditQuery,
  QuarantineQuery,
  SeriesQuery,
  SeriesUidParams,
  StudyQuery,
  SubjectQuery,
} from '../schemas/rest.js';

/** Prefix of the JSON API. */
export const REST_PREFIX = '/api';

/** A page of a listing: its items and the bounds asked for. */
interface Listing<T> {
  readonly items: readonly T[];
  readonly limit: number;
  readonly offset: number;
}

function page<T>(items: readonly T[], query: { limit?: number; offset?: number }): Listing<T> {
  return { items, limit: query.limit ?? 1000, offset: query.offset ?? 0 };
}

/**
 * The JSON API (DESIGN.md §4 HTTP, REST): the listings of `medscale ls` with the same filters,
 * paged by `limit` and `offset`; errors are `{ code, message }`. Reads are audited as `rest.read`.
 * The quarantine (its sources may name people) and the audit trail are for admins only.
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
