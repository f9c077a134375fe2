import { describe, expect, it } from 'vitest';
import type { MetricRange } from './metric-range.js';
import type { QaCheck, SessionQa } from './qa-types.js';
import { renderSessionReport, sortChecksWorstFirst } from './session-report.js';

const HOSTILE = `<script>alert("pwned")</script><img src=x onerror='alert(1)'>`;
const T1_UID = '2.25.1001';
const EXTRA_UID = '2.25.1002';

/** A PNG signature followed by every byte value, so that a base64 slip shows in the comparison. */
const THUMBNAIL = Uint8Array.from([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  ...Array.from({ length: 256 }, (_, i) => i),
]);

// Deliberately not worst-first, so that the report must sort them.
const CHECKS: readonly QaCheck[] = [
  {
    check: 'completeness.slices',
    status: 'pass',
    seriesKey: 't1',
    seriesInstanceUid: T1_UID,
    value: 176,
    expected: '176',
    reason: '176 slices, as the protocol says',
  },
  {
    check: 'param.repetitionTimeMs',
    status: 'fail',
    seriesKey: 't1',
    seriesInstanceUid: T1_UID,
    value: 3105,
    expected: '2300',
    tolerance: '±1 %',
    unit: 'ms',
    reason: 'TR is 3105 ms, protocol says 2300 ms ± 1 %',
  },
  {
    check: 'region.orientation',
    status: 'pass',
    seriesKey: 't1',
    seriesInstanceUid: T1_UID,
    value: 'sag',
    expected: 'sag',
    reason: 'sagittal, as the protocol says',
  },
  {
    check: 'normative.snr',
    status: 'warn',
    seriesKey: 't1',
    seriesInstanceUid: T1_UID,
    value: 12,
    expected: '24',
    tolerance: '|z| ≤ 3.5',
    reason: 'SNR 12 is low for this site (z = −4.1)',
  },
  {
    check: 'completeness.extra',
    status: 'warn',
    seriesInstanceUid: EXTRA_UID,
    value: null,
    expected: null,
    reason: `Series ${HOSTILE} matches no protocol series`,
  },
  {
    check: 'completeness.series',
    status: 'fail',
    seriesKey: 'flair',
    value: null,
    expected: 'present',
    reason: 'FLAIR is missing',
  },
  {
    check: 'iq.uqi',
    status: 'pass',
    seriesKey: 't1',
    seriesInstanceUid: T1_UID,
    value: [0.91, 0.88],
    expected: '≥ 0.8',
    unit: '1',
    reason: 'UQI above the protocol threshold',
  },
];

const SESSION: SessionQa = {
  studyInstanceUid: '2.25.1000',
  subject: 'sub-0007',
  site: 'Site & <Co>',
  visit: 'baseline',
  studyDate: '20260315',
  protocolName: 'brain-core',
  protocolVersion: '1.2.0',
  status: 'fail',
  checks: CHECKS,
  series: [
    {
      seriesKey: 't1',
      seriesInstanceUid: T1_UID,
      seriesDescription: 'T1 MPRAGE',
      seriesNumber: 3,
      slices: 176,
      metrics: { snr: 12, uqi: 0.91, cnr: 3.1 },
      parameters: {
        repetitionTimeMs: 3105,
        echoTimeMs: 2.98,
        imageType: 'ORIGINAL',
        pixelSpacingMm: [1, 1],
      },
      status: 'fail',
    },
    {
      seriesInstanceUid: EXTRA_UID,
      seriesDescription: HOSTILE,
      slices: 1,
      metrics: {},
      parameters: { protocolName: HOSTILE },
      status: 'warn',
    },
  ],
  checkedAt: '2026-03-16T08:00:00.000Z',
};

const RANGES: readonly MetricRange[] = [
  { site: 'Site & <Co>', seriesKey: 't1', metric: 'snr', median: 24, low: 18, high: 30, n: 40 },
  { seriesKey: 't1', metric: 'uqi', median: 0.9, low: 0.8, high: 0.97, n: 120 },
  { site: 'other site', seriesKey: 't1', metric: 'cnr', median: 3, low: 2, high: 4, n: 12 },
];

function render(session: SessionQa = SESSION): string {
  return renderSessionReport({
    session,
    thumbnails: new Map([[T1_UID, THUMBNAIL]]),
    ranges: RANGES,
  });
}

describe('renderSessionReport', () => {
  it('has one row per check, each naming its check', () => {
    const html = render();
    expect(html.match(/<tr class="check row-/g)).toHaveLength(CHECKS.length);
    for (const c of CHECKS) expect(html).toContain(`<code>${c.check}</code>`);
  });

  it('lists failures first, then warnings, with passes folded into a <details>', () => {
    const html = render();
    const rows = [...html.matchAll(/<tr class="check row-(\w+)">/g)].map((m) => m[1]);
    expect(rows).toEqual(['fail', 'fail', 'warn', 'warn', 'pass', 'pass', 'pass']);
    const details = html.indexOf('<details>');
    expect(html.indexOf('param.repetitionTimeMs')).toBeLessThan(details);
    expect(html.indexOf('<code>completeness.slices</code>')).toBeGreaterThan(details);
    expect(html).toContain('<summary>3 passed checks</summary>');
  });

  it('keeps the runner order within an outcome', () => {
    expect(sortChecksWorstFirst(CHECKS).map((c) => c.check)).toEqual([
      'param.repetitionTimeMs',
      'completeness.series',
      'normative.snr',
      'completeness.extra',
      'completeness.slices',
      'region.orientation',
      'iq.uqi',
    ]);
  });

  it('shows the session outcome as its header badge', () => {
    expect(render()).toContain('<span class="badge badge-fail badge-large">Fail</span>');
    const passing: SessionQa = {
      ...SESSION,
      status: 'pass',
      checks: CHECKS.filter((c) => c.status === 'pass'),
    };
    const html = render(passing);
    expect(html).toContain('<span class="badge badge-pass badge-large">Pass</span>');
    expect(html).not.toContain('badge-fail badge-large');
    expect(html).toContain('No check failed or warned.');
  });

  it('states the session header fields', () => {
    const html = render();
    for (const text of ['sub-0007', 'baseline', '2026-03-15', 'brain-core 1.2.0', '2.25.1000']) {
      expect(html).toContain(text);
    }
    expect(html).toContain('2026-03-16T08:00:00.000Z');
  });

  it('embeds the thumbnail as a data: URL whose bytes decode back to the PNG given', () => {
    const html = render();
    const m =
      /<img src="data:image\/png;base64,([A-Za-z0-9+/=]+)" alt="Middle slice of T1 MPRAGE">/.exec(
        html,
      );
    expect(m).not.toBeNull();
    expect(new Uint8Array(Buffer.from(m![1]!, 'base64'))).toEqual(THUMBNAIL);
    expect(html).toContain('No thumbnail.'); // the extra series has none
  });

  it('refuses thumbnail bytes that are not a PNG instead of mislabelling them', () => {
    const html = renderSessionReport({
      session: SESSION,
      thumbnails: new Map([[T1_UID, new Uint8Array([0xff, 0xd8, 0xff])]]),
      ranges: [],
    });
    expect(html).not.toContain('data:image/png');
    expect(html).toContain('Thumbnail is not a PNG.');
  });

  it('escapes hostile text from the data everywhere it appears', () => {
    const html = render();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<Co>');
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(html).toContain('Site &amp; &lt;Co&gt;');
  });

  it('draws each metric against the site range, else the pooled one, else says there is none', () => {
    const html = render();
    // SNR 12 against the site's 18–30: outside, drawn red.
    expect(html).toMatch(/<title>SNR 12, outside the normative range 18–30 \(median 24\)<\/title>/);
    // UQI 0.91 against the pooled 0.8–0.97: inside.
    expect(html).toMatch(
      /UQI \(universal quality index\) 0.91, inside the normative range 0.8–0.97/,
    );
    expect(html).toContain('median 0.9, n = 120 (all sites)');
    // CNR has a range for another site only.
    expect(html).toMatch(
      /CNR<\/th><td class="num">3.1<\/td><td><span class="muted">no normative range/,
    );
    expect(html.match(/class="value-outside"/g)).toHaveLength(1);
    expect(html.match(/class="value-inside"/g)).toHaveLength(1);
  });

  it('lists every series its acquisition parameters, sorted by name', () => {
    const html = render();
    expect(html).toContain('<summary>4 acquisition parameters</summary>');
    expect(html).toMatch(
      /echoTimeMs<\/code><\/th><td>2.98<\/td><\/tr><tr><th scope="row"><code>imageType<\/code><\/th><td>ORIGINAL/,
    );
    expect(html).toContain('<code>pixelSpacingMm</code></th><td>1, 1</td>');
    expect(html).toContain('<summary>1 acquisition parameter</summary>');
  });

  it('gives each metric the worst status of its iq and normative checks', () => {
    const html = render();
    expect(html).toMatch(
      /SNR<\/th>.*?<td><span class="badge badge-warn">Warning<\/span><\/td><\/tr>/,
    );
    expect(html).toMatch(
      /UQI[^<]*<\/th>.*?<td><span class="badge badge-pass">Pass<\/span><\/td><\/tr>/,
    );
  });

  it('is one self-contained page: no script, no external URL, tables with headers', () => {
    const html = render();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain('<th scope="col">Reason</th>');
    expect(html).toContain("default-src 'none'");
  });
});
