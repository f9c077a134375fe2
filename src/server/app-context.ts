import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { JsonObject } from '../core/index.js';
import type { Ingestor } from '../ingest/index.js';
import type { Workspace } from '../workspace/index.js';

/** Options of `buildApp`. */
export interface AppOptions {
  readonly workspace: Workspace;
  /**
   * Where STOW-RS sends instances; without one, STOW-RS answers 503 (a read-only server).
   */
  readonly ingestor?: Ingestor;
  /**
   * Largest request body accepted (one STOW-RS request), in bytes. The body is held in memory.
   * @defaultValue 1 GiB
   */
  readonly maxBodyBytes?: number;
  /**
   * Most parts in one STOW-RS request.
   * @defaultValue 10000
   */
  readonly maxParts?: number;
  /**
   * Most QIDO-RS results in one response when the request gives no `limit`, and the largest
   * `limit` honoured (PS3.18 §8.3.4.4).
   * @defaultValue 10000
   */
  readonly maxQidoResults?: number;
  /** pino logger, or `false` for none. @defaultValue false */
  readonly logger?: FastifyBaseLogger | boolean;
}

/** What route handlers share. */
export interface AppContext {
  readonly workspace: Workspace;
  readonly ingestor: Ingestor | undefined;
  readonly maxParts: number;
  readonly maxQidoResults: number;
  /** Appends an audit entry for the request's caller. */
  audit(
    request: FastifyRequest,
    action: string,
    target: string,
    detail?: JsonObject,
  ): Promise<void>;
}

/** A Fastify instance with the TypeBox type provider. */
export function createFastify(options: AppOptions) {
  return Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.maxBodyBytes ?? 1024 ** 3,
  }).withTypeProvider<TypeBoxTypeProvider>();
}

/** The typed Fastify instance every route module registers on. */
export type App = ReturnType<typeof createFastify>;
