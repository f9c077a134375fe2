import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, so equal values give equal text whatever order
 * their keys were built in (PostgreSQL's jsonb, for one, returns keys in its own order).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/**
 * The provenance cache key of a stage run: `sha256:` of the canonical JSON of the stage's name
 * and version, its parameters and its inputs (which name every input blob by digest). Equal keys
 * mean the run would compute the same thing, so its stored output is reused.
 *
 * @example
 * ```ts
 * cacheKey('simulate.lv', 1, { beats: 30 }, input) // 'sha256:3f2a…'
 * ```
 */
export function cacheKey(stage: string, version: number, params: unknown, inputs: unknown): string {
  const text = canonicalJson({ stage, version, params, inputs });
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
