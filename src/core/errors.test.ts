import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  PlatformError,
  deserializeError,
  isPlatformError,
  serializeError,
} from './errors.js';

describe('error codes', () => {
  it('are each documented in docs/errors.md, and the doc names no other code', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `(ERR_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...ERROR_CODES].sort());
  });
});

describe('PlatformError', () => {
  it('keeps its code through structured clone when serialized first, as workers must', () => {
    const error = new PlatformError('ERR_DICOM_PARSE', 'bad length', { retryable: true });
    const cloned = structuredClone(serializeError(error));
    const rebuilt = deserializeError(cloned);
    expect(isPlatformError(rebuilt)).toBe(true);
    expect(rebuilt.code).toBe('ERR_DICOM_PARSE');
    expect(rebuilt.retryable).toBe(true);
    expect(rebuilt.message).toBe('bad length');
  });

  it('loses its code through a bare structured clone, which is why serializeError exists', () => {
    const cloned: unknown = structuredClone(new PlatformError('ERR_DICOM_PARSE', 'x'));
    expect(isPlatformError(cloned)).toBe(false);
  });

  it('serializes foreign errors as ERR_UNKNOWN and rebuilds them as ERR_INTERNAL', () => {
    const serialized = serializeError(new TypeError('boom'));
    expect(serialized.code).toBe('ERR_UNKNOWN');
    expect(deserializeError(serialized).code).toBe('ERR_INTERNAL');
    expect(serializeError('plain string').message).toBe('plain string');
  });
});
