import { describe, expect, expectTypeOf, it } from 'vitest';
import type { NormativeRange } from '../qa/index.js';
import { renderCohortReport, sessionOrder } from './cohort-report.js';
import { cohortReportJson } from './cohort-summary.js';
import type { MetricRange } from './metric-range.js';
import type { QaCheck, QaOutcome, SessionQa } from './qa-types.js';
import { renderSessionReport } from './session-report.js';

const HOSTILE_SITE = '<b onmouseover="x()">Site C</b>';

const TR_FAIL: QaCheck = {
  check: 'param.repetitionTimeMs',
  status: 'fail',
  seriesKey: 't1',
  value: 3105,
  expected: '2300',
  tolerance: '±1 %',
  unit: 'ms',
  reason: 'TR is 3105 ms, protocol says 2300 ms ± 1 %',
};
const SNR_WARN: QaCheck = {
  check: 'normative.snr',
  status: 'warn',
  seriesKey: 't1',
  value: 22,
  expected: '24',
  reason: 'SNR is low for this site',
};
const FLAIR_MISSING: QaCheck = {
  check: 'completeness.series',
  status: 'fail',
  seriesKey: 'flair',
  value: null,
  expected: 'present',
  reason: 'FLAIR is missing',
};
const SLICES_PASS: QaCheck = {
  check: 'completeness.slices',
  status: 'pass',
  seriesKey: 't1',
  value: 176,
  expected: '176',
  reason: '176 slices',
};

function session(
  id: string,
  site: string | undefined,
  studyDate: string | undefined,
  status: QaOutcome,
  snr: number,
  problems: readonly QaCheck[] = [],
): SessionQa {
  const seriesInstanceUid = `2.25.${id}.1`;
  const checks = [SLICES_PASS, ...problems].map((c) => ({ ...c, seriesInstanceUid }));
  return {
    studyInstanceUid: `2.25.${id}`,
    subject: `sub-${id}`,
    ...(site === undefined ? {} : { site }),
    ...(studyDate === undefined ? {} : { studyDate }),
    protocolName: 'brain-core',
    protocolVersion: '1.0.0',
    status,
    checks,
    series: [
      {
        seriesKey: 't1',
        seriesInstanceUid,
        seriesDescription: 'T1 MPRAGE',
        slices: 176,
        metrics: { snr, uqi: 0.9 },
        parameters: { repetitionTimeMs: problems.includes(TR_FAIL) ? 3105 : 2300 },
        status,
      },
    ],
    checkedAt: '2026-04-01T00:00:00.000Z',
  };
}

// Given in scrambled order: the report sorts by study date.
const SESSIONS: readonly SessionQa[] = [
  session('105', 'A', '20260301', 'pass', 60),
  session('101', 'A', '20260105', 'pass', 20),
  session('201', 'B', '20260108', 'fail', 30, [TR_FAIL, FLAIR_MISSING]),
  session('102', 'A', '20260112', 'pass', 21),
  session('103', 'A', '20260203', 'warn', 22, [SNR_WARN]),
  session('104', 'A', '20260210', 'fail', 19, [TR_FAIL]),
  session('202', 'B', '20260215', 'fail', 31, [TR_FAIL]),
  session('203', 'B', '20260220', 'pass', 29),
  session('900', undefined, undefined, 'warn', 25, [SNR_WARN]),
  session('301', HOSTILE_SITE, '20260110', 'pass', 24),
  session('302', HOSTILE_SITE, '20260301', 'pass', 26),
];

const RANGES: readonly MetricRange[] = [
  { site: 'A', seriesKey: 't1', metric: 'snr', median: 21, low: 15, high: 27, n: 30 },
  { seriesKey: 't1', metric: 'snr', median: 25, low: 14, high: 36, n: 90 },
];

/**
 * Checks that markup is well formed as XML would need it (inline SVG must be): every tag closed
 * in order, attributes quoted, and no bare `<` or `&` in text. HTML void elements may stay open.
 */
function assertWellFormed(markup: string, voidElements: ReadonlySet<string> = new Set()): void {
  const body = markup.replace(/<!DOCTYPE html>/, '').replace(/<style>[^<]*<\/style>/, '');
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  const stack: string[] = [];
  let last = 0;
  for (const m of body.matchAll(tag)) {
    const text = body.slice(last, m.index);
    expect(text, `bare < in text before ${m[0]}`).not.toContain('<');
    expect(text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, ''), 'bare & in text').not.toContain('&');
    last = m.index + m[0].length;
    const [, closing, name = '', , selfClosing] = m;
    if (selfClosing === '/' || (closing === '' && voidElements.has(name))) continue;
    if (closing === '/') expect(stack.pop(), `</${name}> closes the wrong element`).toBe(name);
    else stack.push(name);
  }
  expect(body.slice(last)).not.toContain('<');
  expect(stack).toEqual([]);
}

function svgsOf(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

describe('assertWellFormed', () => {
  it('rejects what it is meant to catch, so that its passes mean something', () => {
    expect(() => {
      assertWellFormed('<svg><g></svg>');
    }).toThrow();
    expect(() => {
      assertWellFormed('<svg><text>a < b</text></svg>');
    }).toThrow();
    expect(() => {
      assertWellFormed('<svg><text>R&D</text></svg>');
    }).toThrow();
    expect(() => {
      assertWellFormed('<svg><rect x=1/></svg>');
    }).toThrow();
    assertWellFormed('<svg><rect x="1"/><text>R&amp;D</text></svg>');
  });
});

describe('cohortReportJson', () => {
  const summary = cohortReportJson(SESSIONS);

  it('counts session outcomes per site as counted by hand, unknown site last', () => {
    expect(summary.sessions).toBe(11);
    expect(summary.status).toEqual({ pass: 6, warn: 2, fail: 3, total: 11 });
    expect(summary.sites).toEqual([
      { site: HOSTILE_SITE, pass: 2, warn: 0, fail: 0, total: 2 },
      { site: 'A', pass: 3, warn: 1, fail: 1, total: 5 },
      { site: 'B', pass: 1, warn: 0, fail: 2, total: 3 },
      { site: null, pass: 0, warn: 1, fail: 0, total: 1 },
    ]);
  });

  it('counts session outcomes per study month, oldest first, undated last', () => {
    expect(summary.months).toEqual([
      { month: '2026-01', pass: 3, warn: 0, fail: 1, total: 4 },
      { month: '2026-02', pass: 1, warn: 1, fail: 2, total: 4 },
      { month: '2026-03', pass: 2, warn: 0, fail: 0, total: 2 },
      { month: null, pass: 0, warn: 1, fail: 0, total: 1 },
    ]);
  });

  it('counts failures and warnings per check and series, most failures first', () => {
    expect(summary.checks).toEqual([
      { check: 'param.repetitionTimeMs', seriesKey: 't1', fail: 3, warn: 0, sessions: 3 },
      { check: 'completeness.series', seriesKey: 'flair', fail: 1, warn: 0, sessions: 1 },
      { check: 'normative.snr', seriesKey: 't1', fail: 0, warn: 2, sessions: 2 },
    ]);
  });

  it('survives a JSON round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('is all zeros for an empty cohort', () => {
    expect(cohortReportJson([])).toEqual({
      sessions: 0,
      status: { pass: 0, warn: 0, fail: 0, total: 0 },
      sites: [],
      months: [],
      checks: [],
    });
  });
});

describe('renderCohortReport', () => {
  const html = renderCohortReport({ sessions: SESSIONS, ranges: RANGES, title: 'Spring <cohort>' });

  it('tabulates the same per-site counts as the JSON summary', () => {
    const row = (site: string): string[] => {
      const m = new RegExp(
        `<tr><th scope="row">${site}</th>((?:<td class="num">\\d+</td>)+)</tr>`,
      ).exec(html);
      return [...(m?.[1] ?? '').matchAll(/>(\d+)</g)].map((c) => c[1]!);
    };
    // Columns: fail, warn, pass, total.
    expect(row('A')).toEqual(['1', '1', '3', '5']);
    expect(row('B')).toEqual(['2', '0', '1', '3']);
    expect(row('\\(unknown site\\)')).toEqual(['0', '1', '0', '1']);
    expect(html).toMatch(
      /<tfoot><tr><th scope="row">All sites<\/th><td class="num">3<\/td><td class="num">2<\/td><td class="num">6<\/td><td class="num">11<\/td>/,
    );
  });

  it('draws one stacked bar per site and per month, each segment titled with its count', () => {
    expect(html).toContain('<title>Session outcomes per site</title>');
    expect(html).toContain('<title>A: 3 Pass</title>');
    expect(html).toContain('<title>B: 2 Fail</title>');
    expect(html).toContain('<title>2026-02: 2 Fail</title>');
    expect(html).toContain('<title>unknown: 1 Warning</title>');
  });

  it('lists the most frequent failing checks', () => {
    const table = /<table class="top-checks">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    const checks = [...table.matchAll(/<td><code>([\w.]+)<\/code><\/td>/g)].map((m) => m[1]);
    expect(checks).toEqual(['param.repetitionTimeMs', 'completeness.series', 'normative.snr']);
  });

  it('draws a box plot and one control chart per site for each metric present', () => {
    expect(html).toContain('<title>SNR, t1: distribution per site</title>');
    expect(html).toContain(
      '<title>UQI (universal quality index), t1: distribution per site</title>',
    );
    expect(html).toContain('<title>SNR, t1, A</title>');
    expect(html).toContain('<title>SNR, t1, (unknown site)</title>');
    expect(html).not.toContain('CNR'); // no session has it
    // Site A's SNR in date order is 20, 21, 22, 19, 60: only 60 (the 5th) is out of control.
    const chartA = svgsOf(html).find((s) => s.includes('<title>SNR, t1, A</title>')) ?? '';
    expect(chartA.match(/class="outlier"/g)).toHaveLength(1);
    expect(chartA).toMatch(/<title>#5 sub-105 2026-03-01: 60 \(z = 26.3\d\), outlier<\/title>/);
    expect(html.match(/class="outlier"/g)).toHaveLength(1);
  });

  it('links every session to its report, in acquisition order', () => {
    const links = [...html.matchAll(/<a href="session-([\d.]+)\.html">/g)].map((m) => m[1]);
    expect(links).toEqual(sessionOrder(SESSIONS).map((s) => s.studyInstanceUid));
    expect(links).toHaveLength(SESSIONS.length);
    expect(links.slice(0, 3)).toEqual(['2.25.101', '2.25.201', '2.25.301']);
    expect(links.at(-1)).toBe('2.25.900'); // undated last
  });

  it('escapes hostile site names and titles in tables and plots alike', () => {
    expect(html).not.toContain('<b ');
    expect(html).not.toContain('<cohort>');
    expect(html).toContain('<title>Spring &lt;cohort&gt;</title>');
    expect(html).toContain('&lt;b onmouseover=&quot;x()&quot;&gt;Site C&lt;/b&gt;');
  });

  it('is well formed, and so is every SVG in it', () => {
    const voids = new Set(['meta', 'br', 'img']);
    assertWellFormed(html, voids);
    const svgs = svgsOf(html);
    expect(svgs.length).toBeGreaterThan(5);
    for (const svg of svgs) {
      assertWellFormed(svg);
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*role="img"><title>/);
    }
  });

  it('renders session pages that are well formed too, range bars included', () => {
    const thumbnails = new Map([
      ['2.25.101.1', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10)],
    ]);
    for (const s of SESSIONS) {
      const page = renderSessionReport({ session: s, thumbnails, ranges: RANGES });
      assertWellFormed(page, new Set(['meta', 'br', 'img']));
      for (const svg of svgsOf(page)) assertWellFormed(svg);
    }
  });

  it('has no check, metric or session sections filled with data for an empty cohort', () => {
    const empty = renderCohortReport({ sessions: [], ranges: [] });
    expect(empty).toContain('0 sessions at 0 sites');
    expect(empty).toContain('No check failed or warned.');
    expect(empty).toContain('No metric values in this cohort.');
    assertWellFormed(empty, new Set(['meta', 'br', 'img']));
  });
});

describe('MetricRange', () => {
  it('accepts the normative ranges the QA stage computes', () => {
    expectTypeOf<NormativeRange>().toExtend<MetricRange>();
  });
});
