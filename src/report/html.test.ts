import { describe, expect, it } from 'vitest';
import { sessionReportFileName } from './file-names.js';
import { escapeHtml, formatCheckValue, formatDicomDate, formatNumber } from './html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can open markup or close an attribute', () => {
    expect(escapeHtml(`<script>alert("x" + 'y')</script> & co`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;)&lt;/script&gt; &amp; co',
    );
  });

  it('escapes an ampersand that already looks like an entity, so text round-trips', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('leaves other text, including non-ASCII, unchanged', () => {
    expect(escapeHtml('T1 MPRAGE ±1 % µs 日本')).toBe('T1 MPRAGE ±1 % µs 日本');
  });
});

describe('formatNumber', () => {
  it('keeps integers, rounds others to 4 significant digits and spells out non-finite values', () => {
    expect(formatNumber(2300)).toBe('2300');
    expect(formatNumber(23.456789)).toBe('23.46');
    expect(formatNumber(0.000123456)).toBe('0.0001235');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('−∞');
  });

  it('formats check values of every shape', () => {
    expect(formatCheckValue(null)).toBe('—');
    expect(formatCheckValue('sag')).toBe('sag');
    expect(formatCheckValue([1, 2.34567, 3])).toBe('1, 2.346, 3');
  });

  it('formats DICOM dates as ISO dates and leaves anything else alone', () => {
    expect(formatDicomDate('20260131')).toBe('2026-01-31');
    expect(formatDicomDate('2026')).toBe('2026');
  });
});

describe('sessionReportFileName', () => {
  it('is session-<uid>.html for a UID', () => {
    expect(sessionReportFileName('2.25.123456789')).toBe('session-2.25.123456789.html');
  });

  it('cannot name a file outside its folder, whatever the stored value holds', () => {
    const name = sessionReportFileName('../../etc/passwd<x>');
    expect(name).not.toContain('/');
    expect(name).toBe('session-.._.._etc_passwd_x_.html');
  });
});
