import { describe, expect, it } from 'vitest';
import { defaultMatchRules, escapeRegExp, loadProtocol, matchesSeries } from './index.js';
import type { SeriesMatchRule } from './index.js';

const mprage = { seriesDescription: 't1_mprage_sag_p2_iso', protocolName: 't1_mprage_sag_p2_iso' };

describe('matchesSeries with the default rules', () => {
  it('matches the exact series description or protocol name, case-insensitively', () => {
    expect(matchesSeries(mprage, { seriesDescription: 't1_mprage_sag_p2_iso' })).toBe(true);
    expect(matchesSeries(mprage, { seriesDescription: 'T1_MPRAGE_SAG_P2_ISO' })).toBe(true);
    expect(matchesSeries(mprage, { protocolName: 't1_mprage_sag_p2_iso' })).toBe(true);
    // Either rule is enough: a renamed description with the protocol name intact still matches.
    expect(
      matchesSeries(mprage, {
        seriesDescription: 'MPRAGE (repeat)',
        protocolName: 't1_mprage_sag_p2_iso',
      }),
    ).toBe(true);
  });

  it('is anchored: a prefix, a suffix or a substring does not match', () => {
    expect(matchesSeries(mprage, { seriesDescription: 't1_mprage_sag_p2_iso_ND' })).toBe(false);
    expect(matchesSeries(mprage, { seriesDescription: 'x_t1_mprage_sag_p2_iso' })).toBe(false);
    expect(matchesSeries(mprage, { seriesDescription: 't1_mprage' })).toBe(false);
  });

  it('ignores padding spaces, and does not match a header without the fields', () => {
    expect(matchesSeries(mprage, { seriesDescription: 't1_mprage_sag_p2_iso ' })).toBe(true);
    expect(matchesSeries(mprage, {})).toBe(false);
  });

  it('escapes metacharacters in the description', () => {
    const series = { seriesDescription: 'dwi (b1000).trace', protocolName: 'dwi+' };
    expect(defaultMatchRules(series)).toEqual([
      { seriesDescription: 'dwi \\(b1000\\)\\.trace' },
      { protocolName: 'dwi\\+' },
    ]);
    expect(matchesSeries(series, { seriesDescription: 'DWI (B1000).TRACE' })).toBe(true);
    expect(matchesSeries(series, { seriesDescription: 'dwi (b1000)xtrace' })).toBe(false);
    expect(matchesSeries(series, { protocolName: 'dwiii' })).toBe(false);
    expect(escapeRegExp('a.b*c')).toBe('a\\.b\\*c');
  });
});

describe('matchesSeries with explicit rules', () => {
  const rules: readonly SeriesMatchRule[] = [
    { seriesDescription: 't1_mprage.*', scanningSequence: ['GR', 'IR'], mrAcquisitionType: '3D' },
    { protocolName: 'MPRAGE|T1 3D' },
  ];

  it('matches a regular expression against the whole value, case-insensitively', () => {
    const header = { scanningSequence: ['IR', 'GR'], mrAcquisitionType: '3D' };
    expect(matchesSeries(rules, { ...header, seriesDescription: 'T1_MPRAGE_sag_ND' })).toBe(true);
    expect(matchesSeries(rules, { ...header, seriesDescription: 'my_t1_mprage' })).toBe(false);
    // The alternation is grouped inside the anchors: neither alternative matches a longer value.
    expect(matchesSeries(rules, { protocolName: 't1 3d' })).toBe(true);
    expect(matchesSeries(rules, { protocolName: 'mprage_2' })).toBe(false);
    expect(matchesSeries(rules, { protocolName: 'x_T1 3D' })).toBe(false);
  });

  it('needs every given field of a rule: scanningSequence as a contained set', () => {
    const base = { seriesDescription: 't1_mprage_sag', mrAcquisitionType: '3D' };
    expect(matchesSeries(rules, { ...base, scanningSequence: ['GR', 'IR', 'SE'] })).toBe(true);
    expect(matchesSeries(rules, { ...base, scanningSequence: ['gr', 'ir'] })).toBe(true);
    expect(matchesSeries(rules, { ...base, scanningSequence: ['GR'] })).toBe(false);
    expect(matchesSeries(rules, { ...base, scanningSequence: [] })).toBe(false);
    expect(matchesSeries(rules, { seriesDescription: 't1_mprage_sag' })).toBe(false);
    expect(
      matchesSeries(rules, { ...base, scanningSequence: ['GR', 'IR'], mrAcquisitionType: '2D' }),
    ).toBe(false);
  });

  it('uses a loaded series’ own rules instead of the defaults', () => {
    const json = JSON.parse(
      JSON.stringify({
        schemaVersion: 2,
        name: 'one',
        protocolVersion: '1',
        description: 'one series',
        scanner: { manufacturer: 'X', manufacturerModelName: 'Y', magneticFieldStrengthT: 3 },
        defaultTolerances: { repetitionTimeMs: { rel: 0.01 }, echoTimeMs: { rel: 0.01 } },
        series: [
          {
            key: 'swi',
            seriesNumber: 1,
            seriesDescription: 'swi_tra',
            protocolName: 'swi_tra',
            module: 'neuro',
            bodyPartExamined: 'HEAD',
            landmark: 'brain',
            orientation: 'ax',
            weighting: 'T2starw',
            match: [{ seriesDescription: '(swi|t2star)_.*' }],
            parameters: {
              scanningSequence: ['GR'],
              sequenceVariant: ['SP'],
              scanOptions: [],
              mrAcquisitionType: '3D',
              phaseEncodingDirection: 'ROW',
              repetitionTimeMs: 27,
              echoTimeMs: 20,
              flipAngleDeg: 15,
              sliceThicknessMm: 3,
              spacingBetweenSlicesMm: 3,
              pixelSpacingMm: [0.8, 0.8],
              rows: 256,
              columns: 256,
              slices: 48,
              numberOfAverages: 1,
              pixelBandwidthHz: 120,
            },
            tolerances: {
              flipAngleDeg: { abs: 1 },
              sliceThicknessMm: { abs: 0 },
              spacingBetweenSlicesMm: { abs: 0 },
              pixelSpacingMm: { abs: 0 },
              rows: { abs: 0 },
              columns: { abs: 0 },
              slices: { abs: 0 },
              numberOfAverages: { abs: 0 },
              pixelBandwidthHz: { abs: 0 },
            },
          },
        ],
      }),
    ) as unknown;
    const series = loadProtocol(json).series[0]!;
    expect(matchesSeries(series, { seriesDescription: 'T2STAR_tra' })).toBe(true);
    // The defaults no longer apply once rules are given: the protocol name alone does not match.
    expect(matchesSeries(series, { protocolName: 'swi_tra' })).toBe(false);
    // The rules survive a JSON round trip (they are stored as sources, compiled on the side).
    const copy = JSON.parse(JSON.stringify(series)) as typeof series;
    expect(matchesSeries(copy, { seriesDescription: 'swi_cor' })).toBe(true);
  });

  it('throws ERR_PROTOCOL_INVALID for a bad pattern in a hand-made rule', () => {
    expect(() => matchesSeries([{ seriesDescription: '(' }], { seriesDescription: 'x' })).toThrow(
      expect.objectContaining({ code: 'ERR_PROTOCOL_INVALID' }) as Error,
    );
  });
});
