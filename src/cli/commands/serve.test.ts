import { describe, expect, it } from 'vitest';
import { parseAllowedCallers } from './serve.js';

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
