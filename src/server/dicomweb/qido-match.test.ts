import { describe, expect, it } from 'vitest';
import { matchesAttribute, parseRange, qidoTag } from './qido-match.js';

describe('qidoTag', () => {
  it('takes keywords and tags, and refuses anything else with ERR_USAGE', () => {
    expect(qidoTag('StudyDate')).toBe('00080020');
    expect(qidoTag('0020000d')).toBe('0020000D');
    expect(qidoTag('ModalitiesInStudy')).toBe('00080061');
    expect(() => qidoTag('NoSuch')).toThrow(
      expect.objectContaining({ code: 'ERR_USAGE' }) as Error,
    );
  });
});

describe('matchesAttribute (PS3.4 C.2.2.2)', () => {
  const lo = (...v: string[]) => ({ vr: 'LO', Value: v });
  it('matches wildcards * and ? case-sensitively on strings', () => {
    expect(matchesAttribute(lo('T1_MPRAGE'), 'T1*')).toBe(true);
    expect(matchesAttribute(lo('T1_MPRAGE'), 't1*')).toBe(false);
    expect(matchesAttribute(lo('T1'), 'T?')).toBe(true);
    expect(matchesAttribute(lo('T10'), 'T?')).toBe(false);
    expect(matchesAttribute(lo('a.b'), 'a?b')).toBe(true);
    expect(matchesAttribute(lo('axb'), 'a.b')).toBe(false);
  });

  it('matches PN ignoring case on the alphabetic group', () => {
    expect(matchesAttribute({ vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] }, 'doe*')).toBe(true);
  });

  it('matches date ranges, open ranges and single dates', () => {
    const da = { vr: 'DA', Value: ['20200615'] };
    expect(matchesAttribute(da, '20200101-20201231')).toBe(true);
    expect(matchesAttribute(da, '20200616-')).toBe(false);
    expect(matchesAttribute(da, '-20200615')).toBe(true);
    expect(matchesAttribute(da, '20200615')).toBe(true);
    expect(parseRange('20200101')).toBeUndefined();
  });

  it('matches UID lists, numbers, multi-valued attributes and universal matching', () => {
    expect(matchesAttribute({ vr: 'UI', Value: ['1.2.3'] }, '9.9,1.2.3')).toBe(true);
    expect(matchesAttribute({ vr: 'IS', Value: [7] }, '07')).toBe(true);
    expect(matchesAttribute({ vr: 'CS', Value: ['ORIGINAL', 'PRIMARY'] }, 'PRIMARY')).toBe(true);
    expect(matchesAttribute(undefined, '')).toBe(true);
    expect(matchesAttribute(undefined, 'x')).toBe(false);
  });
});
