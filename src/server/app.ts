import type { FastifyInstance } from 'fastify';
import { PlatformError, isPlatformError } from '../core/index.js';
import { recordAudit } from '../store/index.js';
import { createFastify } from './app-context.js';
import type { AppContext, AppOptions } from './app-context.js';
import { authenticate, authorize } from './auth/access.js';
import type { Principal, RouteAccess } from './auth/access.js';
import { httpStatusOf } from './http-status.js';
import { registerQido } from './routes/qido.js';
import { registerRest } from './routes/rest.js';
import { registerStow } from './routes/stow.js';
import { registerWado } from './routes/wado.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route does; every route must say (checked when it is added). */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The authenticated caller, set by the `onRequest` hook before any handler runs. */
    principal: Principal | null;
  }
}

/** One route of the app: method, URL pattern and access, for the auth tests' route table. */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
}

const ROUTE_TABLES = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route of an app built by {@link buildApp}, HEAD duplicates left out. */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return ROUTE_TABLES.get(app) ?? [];
}

/**
 * Builds the HTTP app (DICOMweb under `/dicom-web`, REST under `/api`) without listening, so
 * tests drive it with `app.inject()` and only `medscale serve` listens (STYLE.md §3.6).
 *
 * @remarks
 * Every request is authenticated in one `onRequest` hook before routing matters, so an unknown
 * path answers 401 to a caller without a token rather than revealing what exists. Every route
 * must declare `config.access`; one that does not fails at registration, so no route can be
 * added without an access decision.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = createFastify(options);
  const routes: RouteEntry[] = [];
  ROUTE_TABLES.set(app, routes);
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access === undefined) {
      throw new PlatformError(
        'ERR_INTERNAL',
        `route ${String(route.method)} ${route.url} declares no access`,
      );
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, access });
    }
  });
  app.addHook('onRequest', async (request) => {
    const principal = await authenticate(options.workspace.catalog, request);
    request.principal = principal;
    const access = request.routeOptions.config.access;
    // Unknown paths have no access: authenticated callers get the 404 that follows.
    if (access !== undefined) authorize(principal, access);
  });
  app.setErrorHandler((error: unknown, request, reply) => {
    if (isPlatformError(error)) {
      const status = httpStatusOf(error.code);
      if (status >= 500) request.log.error(error);
      return reply
        .status(status)
        .send({ code: error.code, message: status >= 500 ? 'internal error' : error.message });
    }
    const statusCode =
      typeof error === 'object' && error !== null && 'statusCode' in error
        ? Number(error.statusCode)
        : 500;
    // Fastify's own client errors (validation, media type, body too large) keep their status.
    if (statusCode >= 400 && statusCode < 500) {
      const message = error instanceof Error ? error.message : 'bad request';
      return reply.status(statusCode).send({ code: 'ERR_USAGE', message });
    }
    request.log.error(error);
    return reply.status(500).send({ code: 'ERR_INTERNAL', message: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      code: 'ERR_CATALOG_NOT_FOUND',
      message: `no route ${request.method} ${request.url}`,
    }),
  );
  const context: AppContext = {
    workspace: options.workspace,
    ingestor: options.ingestor,
    maxParts: options.maxParts ?? 10_000,
    maxQidoResults: options.maxQidoResults ?? 10_000,
    async audit(request, action, target, detail) {
      await recordAudit(options.workspace.catalog, {
        actor: request.principal?.actor ?? 'anonymous',
        action,
        target,
        ...(detail === undefined ? {} : { detail }),
      });
    },
  };
  registerStow(app, context);
  registerQido(app, context);
  registerWado(app, context);
  registerRest(app, context);
  await app.ready();
  return app;
}
