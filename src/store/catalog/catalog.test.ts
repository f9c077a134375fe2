import { describe, expect, it } from 'vitest';
import { openCatalog, parseCatalogUrl, redactCatalogUrl } from './catalog.js';
import {
  catalogDate,
  filterDate,
  parseDicomDate,
  toIsoTimestamp,
  visitIndexOf,
} from './catalog-values.js';

describe('parseCatalogUrl', () => {
  it.each([
    ['medscale-data/catalog.sqlite', 'medscale-data/catalog.sqlite'],
    ['/data/catalog.sqlite', '/data/catalog.sqlite'],
    ['sqlite:catalog.db', 'catalog.db'],
    ['sqlite:///data/catalog.db', '/data/catalog.db'],
    ['sqlite://rel/catalog.db', 'rel/catalog.db'],
    ['file:///data/catalog.db', '/data/catalog.db'],
    [':memory:', ':memory:'],
    ['sqlite::memory:', ':memory:'],
  ])('reads %s as SQLite at %s', (url, path) => {
    expect(parseCatalogUrl(url)).toEqual({ dialect: 'sqlite', path });
  });

  it.each(['postgres://u@h:5432/db', 'postgresql://u:p@h/db', 'POSTGRES://h/db'])(
    'reads %s as PostgreSQL',
    (url) => {
      expect(parseCatalogUrl(url)).toEqual({ dialect: 'postgres', url });
    },
  );

  it.each(['mysql://h/db', 'sqlite:', ''])('rejects %o with ERR_CONFIG', (url) => {
    expect(() => parseCatalogUrl(url)).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG' }) as Error,
    );
  });
});

describe('redactCatalogUrl', () => {
  it('hides a password and keeps the rest', () => {
    expect(redactCatalogUrl('postgres://alice:s3cret@db:5432/medscale')).toBe(
      'postgres://alice:***@db:5432/medscale',
    );
    expect(redactCatalogUrl('postgres://alice@db/medscale')).toBe('postgres://alice@db/medscale');
  });
});

describe('openCatalog', () => {
  it('fails fast with a retryable ERR_CATALOG when PostgreSQL refuses the connection', async () => {
    // Port 1 on loopback: nothing listens, the kernel refuses at once.
    await expect(openCatalog('postgres://u:pw@127.0.0.1:1/x')).rejects.toMatchObject({
      code: 'ERR_CATALOG',
      retryable: true,
      message: expect.not.stringContaining('pw@') as string,
    });
  });

  it('opens an in-memory SQLite catalog and migrates it', async () => {
    const catalog = await openCatalog(':memory:');
    expect((await catalog.migrate()).error).toBeUndefined();
    await catalog.close();
    await catalog.close(); // closing twice is harmless
  });
});

describe('catalog values', () => {
  it('reads DA, ISO and ACR-NEMA dates as DA, and nothing else', () => {
    expect(parseDicomDate('20260105')).toBe('20260105');
    expect(parseDicomDate('2026-01-05')).toBe('20260105');
    expect(parseDicomDate(' 1994.01.30 ')).toBe('19940130');
    expect(parseDicomDate('20260231')).toBeUndefined();
    expect(parseDicomDate('2026')).toBeUndefined();
    expect(catalogDate(undefined)).toBeNull();
    expect(catalogDate('garbage')).toBeNull();
    expect(() => filterDate('soon', 'dateFrom')).toThrow(
      expect.objectContaining({ code: 'ERR_USAGE' }) as Error,
    );
  });

  it('orders visits: baseline 0, follow-up-n n, other labels null', () => {
    expect(visitIndexOf('baseline')).toBe(0);
    expect(visitIndexOf('follow-up-3')).toBe(3);
    expect(visitIndexOf('FollowUp2')).toBe(2);
    expect(visitIndexOf('screening')).toBeNull();
  });

  it('writes timestamps as ISO 8601 UTC with milliseconds', () => {
    expect(toIsoTimestamp('2026-11-23T11:00:00+01:00')).toBe('2026-11-23T10:00:00.000Z');
    expect(toIsoTimestamp(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(() => toIsoTimestamp('not a time')).toThrow(
      expect.objectContaining({ code: 'ERR_USAGE' }) as Error,
    );
  });
});
