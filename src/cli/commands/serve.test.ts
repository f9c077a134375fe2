import { describe, expect, it } from 'vitest';
import { parseAllowedCallers, parseMoveDestinations } from './serve.js';

describe('parseAllowedCallers', () => {
  it('maps each calling AE title to its site', () => {
    expect(parseAllowedCallers(['MR_HAMBURG=Studienzentrum Hamburg', 'PACS'])).toEqual({
      MR_HAMBURG: 'Studienzentrum Hamburg',
      PACS: '',
    });
  });

  it('rejects AE titles that are empty or longer than 16 characters (PS3.8 §9.3.2)', () => {
    expect(() => parseAllowedCallers(['=site'])).toThrow(/AE=SITE/);
    expect(() => parseAllowedCallers(['A_VERY_LONG_AE_TITLE=x'])).toThrow(/1-16 characters/);
  });
});

describe('parseMoveDestinations', () => {
  it('parses AE=HOST:PORT, an IPv6 host in brackets', () => {
    expect(parseMoveDestinations(['WS1=10.0.0.5:104', 'WS2=[::1]:11113'])).toEqual({
      WS1: { host: '10.0.0.5', port: 104 },
      WS2: { host: '::1', port: 11113 },
    });
  });

  it('rejects a pair without a port or with a bad AE title', () => {
    expect(() => parseMoveDestinations(['WS1=10.0.0.5'])).toThrow(/AE=HOST:PORT/);
    expect(() => parseMoveDestinations(['WS1=host:70000'])).toThrow(/AE=HOST:PORT/);
    expect(() => parseMoveDestinations(['A_VERY_LONG_AE_TITLE=h:1'])).toThrow(/AE=HOST:PORT/);
  });
});
