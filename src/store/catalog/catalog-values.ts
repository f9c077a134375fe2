import { PlatformError } from '../../core/index.js';
import type { JsonValue } from '../../core/index.js';
import type { IsoTimestamp } from './column-types.js';

/**
 * A timestamp in the catalog's one form, ISO 8601 UTC with milliseconds; throws `ERR_USAGE` for
 * a string that is not a date.
 */
export function toIsoTimestamp(value: string | Date): IsoTimestamp {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) {
    throw new PlatformError('ERR_USAGE', `not a timestamp: "${String(value)}"`);
  }
  return date.toISOString();
}

const DATE_FORMS = [
  /^(\d{4})(\d{2})(\d{2})$/,
  /^(\d{4})-(\d{2})-(\d{2})$/,
  /^(\d{4})\.(\d{2})\.(\d{2})$/,
];

/**
 * A calendar date as DICOM DA (`YYYYMMDD`, PS3.5 §6.2), from DA itself, ISO `YYYY-MM-DD`, or the
 * ACR-NEMA `YYYY.MM.DD` that old files still carry. Returns `undefined` for anything else
 * (including impossible dates such as `20260231`).
 */
export function parseDicomDate(value: string): string | undefined {
  const text = value.trim();
  for (const form of DATE_FORMS) {
    const match = form.exec(text);
    if (match === null) continue;
    const [, y, m, d] = match as unknown as [string, string, string, string];
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    const valid =
      date.getUTCFullYear() === Number(y) &&
      date.getUTCMonth() === Number(m) - 1 &&
      date.getUTCDate() === Number(d);
    return valid ? `${y}${m}${d}` : undefined;
  }
  return undefined;
}

/**
 * The study date as the catalog stores it (DA, `YYYYMMDD`), or null when absent or unreadable.
 *
 * @remarks
 * An unreadable date becomes null rather than failing the whole batch ("bad input is data"): the
 * value as received stays in the study's `dicom_json`.
 */
export function catalogDate(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return parseDicomDate(value) ?? null;
}

/** A date filter bound (`dateFrom`, `dateTo`) as DA; throws `ERR_USAGE` when it is not a date. */
export function filterDate(value: string, name: string): string {
  const date = parseDicomDate(value);
  if (date === undefined) {
    throw new PlatformError(
      'ERR_USAGE',
      `${name} must be a date (YYYYMMDD or YYYY-MM-DD), got "${value}"`,
    );
  }
  return date;
}

/**
 * The order of a visit from its label: 0 for `baseline`, n for `follow-up-n` (also `followup-n`,
 * `follow-up n`), null for any other label.
 */
export function visitIndexOf(label: string): number | null {
  if (/^baseline$/i.test(label.trim())) return 0;
  const match = /^follow[-_ ]?up[-_ ]?(\d+)$/i.exec(label.trim());
  return match === null ? null : Number(match[1]);
}

/** JSON text for a JSON column. */
export function jsonText(value: JsonValue | object): string {
  return JSON.stringify(value);
}

/** Page bounds of list queries. */
export interface Page {
  /**
   * Most rows returned.
   * @defaultValue 1000
   */
  readonly limit?: number;
  /**
   * Rows skipped first.
   * @defaultValue 0
   */
  readonly offset?: number;
}

/** Checked page bounds; throws `ERR_USAGE` for negative or fractional values. */
export function pageOf(page: Page): { readonly limit: number; readonly offset: number } {
  const limit = page.limit ?? 1000;
  const offset = page.offset ?? 0;
  for (const [name, value] of [
    ['limit', limit],
    ['offset', offset],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new PlatformError('ERR_USAGE', `${name} must be a non-negative integer, got ${value}`);
    }
  }
  return { limit, offset };
}

/** Rows fetched per page by {@link allPages}: large pages, few round trips, bounded memory per page. */
export const ALL_PAGES_SIZE = 10_000;

/**
 * Every row of a paged listing: calls `fetch` with growing offsets until a page comes back short.
 *
 * @example
 * ```ts
 * const instances = await allPages((page) => listInstances(catalog, { seriesUid, ...page }));
 * ```
 */
export async function allPages<T>(
  fetch: (page: { readonly limit: number; readonly offset: number }) => Promise<readonly T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += ALL_PAGES_SIZE) {
    const page = await fetch({ limit: ALL_PAGES_SIZE, offset });
    out.push(...page);
    if (page.length < ALL_PAGES_SIZE) return out;
  }
}
