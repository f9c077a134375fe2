import { escapeHtml } from '../html.js';

/**
 * Formats a coordinate for an SVG attribute: rounded to 0.01 px, which is below what any screen
 * shows and keeps pages small and tests exact.
 */
export function px(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** Attribute values of an SVG element; `undefined` leaves the attribute out. */
export type SvgAttributes = Readonly<Record<string, string | number | undefined>>;

/** Renders attributes as ` name="value"…`; numbers go through {@link px}, text is escaped. */
export function attributes(attrs: SvgAttributes): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${name}="${typeof value === 'number' ? px(value) : escapeHtml(value)}"`;
  }
  return out;
}

/**
 * Renders one SVG element. `children` is SVG markup already; an element without children is
 * self-closed.
 */
export function element(tag: string, attrs: SvgAttributes, children = ''): string {
  return children === ''
    ? `<${tag}${attributes(attrs)}/>`
    : `<${tag}${attributes(attrs)}>${children}</${tag}>`;
}

/** Renders a `<text>` element; `text` is plain text and is escaped here. */
export function textElement(text: string, attrs: SvgAttributes): string {
  return `<text${attributes(attrs)}>${escapeHtml(text)}</text>`;
}

/** Renders a `<title>` tooltip child; `text` is plain text and is escaped here. */
export function tooltip(text: string): string {
  return `<title>${escapeHtml(text)}</title>`;
}

/** Width, height and accessible text of a standalone SVG. */
export interface SvgFrame {
  /** Width in CSS pixels. */
  readonly width: number;
  /** Height in CSS pixels. */
  readonly height: number;
  /** Accessible name, rendered as the first `<title>` child (what a screen reader announces). */
  readonly title: string;
  /** Longer accessible description, rendered as `<desc>`. */
  readonly description?: string;
}

/** Renders a standalone inline `<svg>` with `role="img"`, its `<title>` and `<desc>`, around `body`. */
export function svgDocument(frame: SvgFrame, body: string): string {
  const desc =
    frame.description === undefined ? '' : `<desc>${escapeHtml(frame.description)}</desc>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg"${attributes({
      width: frame.width,
      height: frame.height,
      viewBox: `0 0 ${px(frame.width)} ${px(frame.height)}`,
      role: 'img',
    })}>` + `<title>${escapeHtml(frame.title)}</title>${desc}${body}</svg>`
  );
}

/** Shortens a label to `max` characters with an ellipsis, for axis labels; keep the full text in a tooltip. */
export function truncate(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, Math.max(1, max - 1))}…`;
}
