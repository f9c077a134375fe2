import type { QaCheck, QaOutcome } from './qa-types.js';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML and SVG, in element content and in quoted attribute values alike.
 *
 * @remarks
 * Everything in a report comes from DICOM headers, protocol files or site configuration, none of
 * which we control (a series description can hold `<script>`), so every piece of text goes
 * through this function before it reaches the page. `&#39;` rather than `&apos;` because HTML 4
 * readers do not know the latter.
 *
 * @example
 * ```ts
 * escapeHtml('<b title="x">T1 & T2</b>'); // '&lt;b title=&quot;x&quot;&gt;T1 &amp; T2&lt;/b&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Formats a number for a person: integers as they are, others to 4 significant digits, and
 * `NaN`/`±∞` spelled out.
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** Formats a check's measured value (number, text, vector, or `null` when unmeasured) as text. */
export function formatCheckValue(value: QaCheck['value']): string {
  if (value === null) return '—';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  return value.map(formatNumber).join(', ');
}

/** Formats a DICOM date (`YYYYMMDD`) as ISO `YYYY-MM-DD`; anything else is returned unchanged. */
export function formatDicomDate(date: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  return m === null ? date : `${m[1] ?? ''}-${m[2] ?? ''}-${m[3] ?? ''}`;
}

/** `n` and a noun, plural unless `n` is 1: `plural(1, 'check')` is `1 check`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Worst first: the order in which reports list outcomes. */
export const OUTCOME_ORDER: readonly QaOutcome[] = ['fail', 'warn', 'pass'];

/** Colour of each outcome, shared by the CSS badges and the SVG plots. */
export const OUTCOME_COLOURS: Readonly<Record<QaOutcome, string>> = {
  pass: '#2e7d32',
  warn: '#b26a00',
  fail: '#c62828',
};

/** A label a person reads for each outcome. */
export const OUTCOME_LABELS: Readonly<Record<QaOutcome, string>> = {
  pass: 'Pass',
  warn: 'Warning',
  fail: 'Fail',
};

/** An inline badge for an outcome; the text says the outcome too, so colour is never the only cue. */
export function outcomeBadge(outcome: QaOutcome, large = false): string {
  const size = large ? ' badge-large' : '';
  return `<span class="badge badge-${outcome}${size}">${OUTCOME_LABELS[outcome]}</span>`;
}

/** Options of {@link htmlPage}. */
export interface HtmlPageOptions {
  /** Text of `<title>`; escaped here. */
  readonly title: string;
  /** The page's `<body>` content, already HTML. */
  readonly body: string;
}

const STYLE = `
:root { color-scheme: light; --pass: ${OUTCOME_COLOURS.pass}; --warn: ${OUTCOME_COLOURS.warn}; --fail: ${OUTCOME_COLOURS.fail}; --muted: #5f6368; --rule: #dadce0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #202124; margin: 0 auto; padding: 24px; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { background: #f1f3f4; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding: 4px 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 16px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-weight: 600; font-size: 12px; }
.badge-large { font-size: 16px; padding: 4px 14px; border-radius: 14px; }
.badge-pass { background: var(--pass); } .badge-warn { background: var(--warn); } .badge-fail { background: var(--fail); }
tr.row-fail td:first-child { border-left: 4px solid var(--fail); }
tr.row-warn td:first-child { border-left: 4px solid var(--warn); }
tr.row-pass td:first-child { border-left: 4px solid var(--pass); }
details { margin: 8px 0; } summary { cursor: pointer; color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 16px; }
.card { border: 1px solid var(--rule); border-radius: 8px; padding: 12px; }
.card h3 { margin-top: 0; }
.card img { display: block; max-width: 100%; max-height: 256px; margin: 8px auto; image-rendering: pixelated; background: #000; }
.thumb-missing { color: var(--muted); font-style: italic; margin: 8px 0; }
.muted { color: var(--muted); }
.plots { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
svg { font: 11px system-ui, sans-serif; overflow: visible; }
@media print { details { display: block; } .card { break-inside: avoid; } }
`;

/**
 * Wraps a body into a complete HTML page with the reports' stylesheet inlined.
 *
 * @remarks
 * Reports are mailed and archived as single files and opened offline, so nothing is loaded from
 * elsewhere: styles are inline, images are `data:` URLs, and there is no script at all. The
 * Content-Security-Policy says so to the browser too, which also neuters anything that slipped
 * past {@link escapeHtml}.
 */
export function htmlPage(options: HtmlPageOptions): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    options.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
