import type { RedisOptions } from 'bullmq';
import { PlatformError, isErrorCode } from '../../core/index.js';

/** The BullMQ queue all stage jobs go through. */
export const STAGE_QUEUE = 'medscale-stages';

/**
 * Connection options from a Redis URL, `redis://[:password@]host[:port][/db]`. Sets
 * `maxRetriesPerRequest: null`, which BullMQ workers need to block on Redis; ioredis reconnects
 * after a Redis restart.
 *
 * @throws PlatformError `ERR_QUEUE` for a URL that is not `redis://`.
 */
export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PlatformError('ERR_QUEUE', `not a Redis URL: ${url} (expected redis://host:port)`);
  }
  if (parsed.protocol !== 'redis:')
    throw new PlatformError('ERR_QUEUE', `not a Redis URL: ${url} (expected redis://host:port)`);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    db: Number.isInteger(db) ? db : 0,
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    maxRetriesPerRequest: null,
    // Retry quickly while Redis restarts, at most once a second.
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
  };
}

/** A PlatformError from a BullMQ failed reason written as `CODE: message`. */
export function errorFromFailedReason(reason: string): PlatformError {
  const match = /^(ERR_[A-Z0-9_]+): ([\s\S]*)$/.exec(reason);
  if (match?.[1] !== undefined && match[2] !== undefined && isErrorCode(match[1]))
    return new PlatformError(match[1], match[2]);
  return new PlatformError('ERR_PIPELINE_STAGE', reason);
}
