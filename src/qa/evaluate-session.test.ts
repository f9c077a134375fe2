import { beforeAll, describe, expect, it } from 'vitest';
import type { Vec3 } from '../core/index.js';
import { readProtocolFile } from '../protocol/index.js';
import type { Protocol, ProtocolSeries } from '../protocol/index.js';
import { evaluateSession, historyFromSamples, learnProtocol } from './index.js';
import type { MetricSample, SeriesObservation, SessionObservation } from './index.js';

const NORMALS: Readonly<Record<string, { row: Vec3; column: Vec3 }>> = {
  ax: { row: [1, 0, 0], column: [0, 1, 0] },
  sag: { row: [0, 1, 0], column: [0, 0, -1] },
  cor: { row: [1, 0, 0], column: [0, 0, -1] },
  sax: { row: [0.6, -0.8, 0], column: [0.48, 0.36, -0.8] },
};

/** A received series exactly as the protocol wants it, centred at `frame + centreMm`. */
function conforming(series: ProtocolSeries, frame: Vec3, uid: string): SeriesObservation {
  const p = series.parameters;
  const { row, column } = NORMALS[series.region.orientation]!;
  const normal: Vec3 = [
    row[1] * column[2] - row[2] * column[1],
    row[2] * column[0] - row[0] * column[2],
    row[0] * column[1] - row[1] * column[0],
  ];
  const c = series.region.centreMm ?? [0, 0, 0];
  return {
    seriesInstanceUid: uid,
    seriesDescription: series.seriesDescription,
    protocolName: series.protocolName,
    seriesNumber: series.seriesNumber,
    modality: 'MR',
    scanningSequence: p.scanningSequence,
    sequenceVariant: p.sequenceVariant,
    scanOptions: p.scanOptions,
    mrAcquisitionType: p.mrAcquisitionType,
    phaseEncodingDirection: p.phaseEncodingDirection,
    numeric: Object.fromEntries(
      Object.entries(p).filter(
        ([, v]) => typeof v === 'number' || (Array.isArray(v) && typeof v[0] === 'number'),
      ),
    ),
    manufacturer: 'SIEMENS',
    manufacturerModelName: 'MAGNETOM Skyra',
    magneticFieldStrengthT: 3,
    slices: p.slices,
    geometry: {
      rowDirection: row,
      columnDirection: column,
      normal,
      centreMm: [frame[0] + c[0], frame[1] + c[1], frame[2] + c[2]],
      extentMm: (p.slices - 1) * p.spacingBetweenSlicesMm + p.sliceThicknessMm,
      fovMm: [p.rows * p.pixelSpacingMm[0], p.columns * p.pixelSpacingMm[1]],
      sliceGapsMm: Array.from({ length: p.slices - 1 }, () => p.spacingBetweenSlicesMm),
    },
  };
}

function session(
  protocol: Protocol,
  id: string,
  edit?: (s: SeriesObservation) => SeriesObservation | undefined,
): SessionObservation {
  const frame: Vec3 = [3, -7, 112];
  const series = protocol.series.flatMap((s) => {
    const o = conforming(s, frame, `${id}.${s.seriesNumber}`);
    const edited = edit === undefined ? o : edit(o);
    return edited === undefined ? [] : [edited];
  });
  return { studyInstanceUid: id, subject: 'MS1', site: 'A', patientSizeM: 1.75, series };
}

describe('evaluateSession', () => {
  let protocol: Protocol;
  beforeAll(async () => {
    protocol = await readProtocolFile();
  });

  it('passes a session exactly as the protocol says', () => {
    const qa = evaluateSession(protocol, session(protocol, '1.1'));
    const bad = qa.checks.filter((c) => c.status !== 'pass');
    expect(bad.map((c) => c.reason)).toEqual([]);
    expect(qa.status).toBe('pass');
    expect(qa.series).toHaveLength(protocol.series.length);
    expect(qa.series.every((s) => s.seriesKey !== undefined)).toBe(true);
  });

  it('fails a wrong TR on that series and parameter only, with value, expected and tolerance', () => {
    const key = protocol.series[0]!.key;
    const qa = evaluateSession(
      protocol,
      session(protocol, '1.2', (o) =>
        o.seriesNumber === protocol.series[0]!.seriesNumber
          ? { ...o, numeric: { ...o.numeric, repetitionTimeMs: 3105 } }
          : o,
      ),
    );
    const bad = qa.checks.filter((c) => c.status !== 'pass');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({
      check: 'param.repetitionTimeMs',
      status: 'fail',
      seriesKey: key,
      value: 3105,
      expected: String(protocol.series[0]!.parameters.repetitionTimeMs),
      tolerance: '±1 %',
      unit: 'ms',
    });
    expect(qa.status).toBe('fail');
  });

  it('reports a missing series, a missing slice and an extra series', () => {
    const [first, second] = protocol.series;
    const qa = evaluateSession(
      protocol,
      session(protocol, '1.3', (o) => {
        if (o.seriesNumber === first!.seriesNumber) return undefined;
        if (o.seriesNumber === second!.seriesNumber) {
          const gaps = [...o.geometry!.sliceGapsMm];
          gaps[2] = 2 * gaps[2]!;
          return {
            ...o,
            slices: o.slices - 1,
            geometry: { ...o.geometry!, sliceGapsMm: gaps.slice(0, -1) },
          };
        }
        return o;
      }),
    );
    const bad = qa.checks.filter((c) => c.status !== 'pass').map((c) => [c.check, c.seriesKey]);
    expect(bad).toEqual([
      ['completeness.series', first!.key],
      ['completeness.slices', second!.key],
    ]);
    const extra = evaluateSession(protocol, {
      ...session(protocol, '1.4'),
      series: [
        ...session(protocol, '1.4').series,
        {
          ...conforming(first!, [0, 0, 0], '1.4.99'),
          seriesDescription: 'localizer',
          protocolName: 'localizer',
        },
      ],
    });
    expect(extra.checks.filter((c) => c.status !== 'pass').map((c) => [c.check, c.status])).toEqual(
      [['completeness.extra', 'warn']],
    );
  });

  it('blames the shifted series, not the others, for a misplaced slab', () => {
    const target = protocol.series[5]!;
    const qa = evaluateSession(
      protocol,
      session(protocol, '1.5', (o) =>
        o.seriesNumber === target.seriesNumber
          ? {
              ...o,
              geometry: {
                ...o.geometry!,
                centreMm: [
                  o.geometry!.centreMm[0],
                  o.geometry!.centreMm[1],
                  o.geometry!.centreMm[2] - 120,
                ],
              },
            }
          : o,
      ),
    );
    const bad = qa.checks.filter((c) => c.status !== 'pass');
    expect(bad.map((c) => [c.check, c.seriesKey])).toEqual([['region.centre', target.key]]);
    expect((bad[0]!.detail!['deviationMm'] as number[])[2]).toBeCloseTo(-120, 6);
  });

  it('scales expected centres with stature', () => {
    const tall = session(protocol, '1.6');
    const k = 1.95 / 1.75;
    const scaled: SessionObservation = {
      ...tall,
      patientSizeM: 1.95,
      series: tall.series.map((o) => {
        const s = protocol.series.find((p) => p.seriesNumber === o.seriesNumber)!;
        const c = s.region.centreMm!;
        return { ...o, geometry: { ...o.geometry!, centreMm: [c[0] * k, c[1] * k, c[2] * k] } };
      }),
    };
    expect(
      evaluateSession(protocol, scaled).checks.filter(
        (c) => c.check === 'region.centre' && c.status !== 'pass',
      ),
    ).toEqual([]);
  });

  it('flags a wrong orientation', () => {
    const target = protocol.series.find((s) => s.region.orientation === 'sag')!;
    const qa = evaluateSession(
      protocol,
      session(protocol, '1.7', (o) =>
        o.seriesNumber === target.seriesNumber
          ? {
              ...o,
              geometry: {
                ...o.geometry!,
                rowDirection: [1, 0, 0],
                columnDirection: [0, 1, 0],
                normal: [0, 0, 1],
              },
            }
          : o,
      ),
    );
    const bad = qa.checks.filter((c) => c.status !== 'pass');
    expect(bad.map((c) => [c.check, c.seriesKey, c.value])).toEqual([
      ['region.orientation', target.key, 'ax'],
    ]);
  });

  it('warns when a metric is a one-sided outlier against the site history, and only then', () => {
    const key = protocol.series[0]!.key;
    const samples: MetricSample[] = Array.from({ length: 20 }, (_, i) => ({
      site: 'A',
      seriesKey: key,
      metric: 'snrLocal',
      studyInstanceUid: `h${i}`,
      value: 40 * (1 + 0.02 * Math.sin(i)),
    }));
    const history = historyFromSamples(samples);
    const withSnr = (snr: number): SessionObservation =>
      session(protocol, '1.8', (o) =>
        o.seriesNumber === protocol.series[0]!.seriesNumber
          ? { ...o, metrics: { snrLocal: snr } }
          : o,
      );
    const low = evaluateSession(protocol, withSnr(12), { history });
    const check = low.checks.find((c) => c.check === 'normative.snrLocal')!;
    expect(check.status).toBe('warn');
    expect(check.detail!['z']).toBeLessThan(-3.5);
    expect(low.status).toBe('warn');
    const high = evaluateSession(protocol, withSnr(80), { history });
    expect(high.checks.find((c) => c.check === 'normative.snrLocal')!.status).toBe('pass');
    const short = evaluateSession(protocol, withSnr(12), {
      history: historyFromSamples(samples.slice(0, 3)),
    });
    expect(short.checks.find((c) => c.check === 'normative.snrLocal')).toMatchObject({
      status: 'pass',
      detail: { historyN: 3 },
    });
  });
  it('does not warn about a ghost ratio a fraction of a per cent above a very tight history', () => {
    const key = protocol.series[0]!.key;
    const history = historyFromSamples(
      Array.from({ length: 20 }, (_, i) => ({
        site: 'A',
        seriesKey: key,
        metric: 'ghostingRatio',
        studyInstanceUid: `g${i}`,
        value: 0.001 * Math.sin(i),
      })),
    );
    const withGhost = (ghostingRatio: number): SessionObservation =>
      session(protocol, '1.9', (o) =>
        o.seriesNumber === protocol.series[0]!.seriesNumber
          ? { ...o, metrics: { ghostingRatio } }
          : o,
      );
    const status = (ratio: number): string | undefined =>
      evaluateSession(protocol, withGhost(ratio), { history }).checks.find(
        (c) => c.check === 'normative.ghostingRatio',
      )?.status;
    // 1 % of the signal: far outside ±0.001, but below the 1.5 % a warning needs (z 5 × 0.003).
    expect(status(0.01)).toBe('pass');
    expect(status(0.03)).toBe('warn');
  });
});

describe('learnProtocol', () => {
  it('recovers the parameters and centres of the sessions it learns from', async () => {
    const protocol = await readProtocolFile();
    const sessions = Array.from({ length: 6 }, (_, i) => {
      const s = session(protocol, `2.${i}`);
      // Each session sits elsewhere in scanner coordinates; one session has a TR typo.
      const shift: Vec3 = [i * 3, -i * 2, 40 * i];
      return {
        ...s,
        series: s.series.map((o) => ({
          ...o,
          ...(i === 5 && o.seriesNumber === protocol.series[0]!.seriesNumber
            ? { numeric: { ...o.numeric, repetitionTimeMs: 9999 } }
            : {}),
          geometry: {
            ...o.geometry!,
            centreMm: [
              o.geometry!.centreMm[0] + shift[0],
              o.geometry!.centreMm[1] + shift[1],
              o.geometry!.centreMm[2] + shift[2],
            ] as Vec3,
          },
        })),
      };
    });
    const learned = learnProtocol(sessions, { name: 'learned' });
    expect(learned.protocol.series).toHaveLength(protocol.series.length);
    for (const [i, s] of learned.protocol.series.entries()) {
      const want = protocol.series[i]!;
      expect(s.seriesDescription).toBe(want.seriesDescription);
      expect(s.parameters['repetitionTimeMs']).toBe(want.parameters.repetitionTimeMs);
      expect(s.orientation).toBe(want.region.orientation);
      // Centres are learned up to one common translation (the session frame is relative).
      const d = [0, 1, 2].map((a) => s.region.centreMm[a]! - want.region.centreMm![a]!);
      const d0 = [0, 1, 2].map(
        (a) =>
          learned.protocol.series[0]!.region.centreMm[a]! -
          protocol.series[0]!.region.centreMm![a]!,
      );
      for (const a of [0, 1, 2]) expect(Math.abs(d[a]! - d0[a]!)).toBeLessThanOrEqual(1);
    }
    expect(learned.protocol.series[0]!.$learned['repetitionTimeMs']).toEqual({
      mode: protocol.series[0]!.parameters.repetitionTimeMs,
      agree: 5,
      of: 6,
    });
  });
});
