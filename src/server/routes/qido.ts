import type { FastifyReply, FastifyRequest } from 'fastify';
import { PlatformError, TAG } from '../../core/index.js';
import type { App, AppContext } from '../app-context.js';
import { qidoTag } from '../dicomweb/qido-match.js';
import type { MatchKey } from '../dicomweb/qido-match.js';
import { resultJson, searchCatalog } from '../dicomweb/qido-query.js';
import type { IncludeFields, QidoLevel } from '../dicomweb/qido-query.js';
import { QidoQuerystring, SeriesParams, StudyParams } from '../schemas/dicomweb.js';
import { DICOMWEB_PREFIX, dicomwebBase, retrieveUrl } from './dicomweb-urls.js';

type Query = Readonly<Record<string, string | readonly string[]>>;

/** Query parameters that are not attribute matching keys (PS3.18 §8.3.4). */
const CONTROL_KEYS = new Set(['limit', 'offset', 'includefield', 'fuzzymatching']);

function values(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

function nonNegative(
  name: string,
  value: string | readonly string[] | undefined,
): number | undefined {
  const text = values(value)[0];
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) {
    throw new PlatformError('ERR_USAGE', `${name} must be a non-negative integer, got "${text}"`);
  }
  return n;
}

/** The matching keys and `includefield` of a query string (PS3.18 §8.3.4.1, §8.3.4.3). */
export function parseQidoParameters(query: Query): { keys: MatchKey[]; include: IncludeFields } {
  const keys: MatchKey[] = [];
  const include = new Set<string>();
  let all = false;
  for (const field of values(query['includefield']).flatMap((v) => v.split(','))) {
    const name = field.trim();
    if (name === '') continue;
    if (name === 'all') all = true;
    else include.add(qidoTag(name));
  }
  for (const [name, value] of Object.entries(query)) {
    if (CONTROL_KEYS.has(name)) continue;
    const tag = qidoTag(name);
    for (const v of values(value)) {
      keys.push({ tag, value: v });
      include.add(tag); // matched attributes are returned (PS3.18 §10.6.3.3)
    }
  }
  return { keys, include: all ? 'all' : include };
}

/**
 * QIDO-RS (PS3.18 §10.6): studies, series and instances at every scope, with attribute
 * matching by keyword or tag, wildcard (`*`, `?`), date range and UID list matching, `limit`,
 * `offset` and `includefield`.
 *
 * @remarks
 * An empty result is `200 []` rather than 204: PS3.18 allows both; OHIF and dicomweb-client
 * accept both (dicomweb-client maps 204 to `[]`), and `[]` also suits plain `fetch().json()`.
 */
export function registerQido(app: App, context: AppContext): void {
  const search = async (
    request: FastifyRequest,
    reply: FastifyReply,
    level: QidoLevel,
    scope: { study?: string; series?: string },
  ) => {
    const query = request.query as Query;
    const { keys, include } = parseQidoParameters(query);
    if (scope.study !== undefined) keys.push({ tag: TAG.StudyInstanceUID, value: scope.study });
    if (scope.series !== undefined) keys.push({ tag: TAG.SeriesInstanceUID, value: scope.series });
    const requested = nonNegative('limit', query['limit']);
    const cap = context.maxQidoResults;
    const limit = Math.min(requested ?? cap, cap);
    const offset = nonNegative('offset', query['offset']) ?? 0;
    const result = await searchCatalog(context.workspace.catalog, { level, keys, limit, offset });
    const base = dicomwebBase(request);
    const body = result.rows.map((row) =>
      resultJson(
        level,
        row,
        include,
        retrieveUrl(base, row.studyInstanceUid, row.seriesInstanceUid, row.sopInstanceUid),
      ),
    );
    if (result.more && (requested === undefined || requested > cap)) {
      // PS3.18 §8.3.4.4: say that the server cut the result short.
      void reply.header(
        'Warning',
        '299 medscale: "The number of results exceeded the maximum supported by the server. Additional results can be requested."',
      );
    }
    await context.audit(request, 'qido', request.url, { level, results: body.length });
    return reply.type('application/dicom+json').send(body);
  };
  const options = { schema: { querystring: QidoQuerystring }, config: { access: 'read' as const } };
  const scoped = {
    schema: { querystring: QidoQuerystring, params: StudyParams },
    config: { access: 'read' as const },
  };
  app.get(`${DICOMWEB_PREFIX}/studies`, options, (request, reply) =>
    search(request, reply, 'study', {}),
  );
  app.get(`${DICOMWEB_PREFIX}/series`, options, (request, reply) =>
    search(request, reply, 'series', {}),
  );
  app.get(`${DICOMWEB_PREFIX}/instances`, options, (request, reply) =>
    search(request, reply, 'instance', {}),
  );
  app.get(`${DICOMWEB_PREFIX}/studies/:study/series`, scoped, (request, reply) =>
    search(request, reply, 'series', { study: request.params.study }),
  );
  app.get(`${DICOMWEB_PREFIX}/studies/:study/instances`, scoped, (request, reply) =>
    search(request, reply, 'instance', { study: request.params.study }),
  );
  app.get(
    `${DICOMWEB_PREFIX}/studies/:study/series/:series/instances`,
    { schema: { querystring: QidoQuerystring, params: SeriesParams }, config: { access: 'read' } },
    (request, reply) =>
      search(request, reply, 'instance', {
        study: request.params.study,
        series: request.params.series,
      }),
  );
}
