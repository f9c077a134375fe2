import type { DicomAttribute, DicomJson } from '../../core/index.js';
import { PlatformError, TAG } from '../../core/index.js';

/**
 * Keywords QIDO-RS accepts besides eight-hex-digit tags (PS3.18 §8.3.4.1 `{attributeID}`):
 * core's {@link TAG} plus the QIDO-specific attributes of PS3.18 Table 10.6.1-5.
 */
export const QIDO_KEYWORDS: Readonly<Record<string, string>> = {
  ...TAG,
  ModalitiesInStudy: '00080061',
  ReferringPhysicianName: '00080090',
  IssuerOfPatientID: '00100021',
  InstanceAvailability: '00080056',
  TimezoneOffsetFromUTC: '00080201',
  RetrieveURL: '00081190',
  PerformedProcedureStepStartDate: '00400244',
  NumberOfStudyRelatedSeries: '00201206',
  NumberOfStudyRelatedInstances: '00201208',
  NumberOfSeriesRelatedInstances: '00201209',
};

/** The tag of a QIDO attribute ID (keyword or tag); throws `ERR_USAGE` for anything else. */
export function qidoTag(attributeId: string): string {
  if (/^[0-9A-Fa-f]{8}$/.test(attributeId)) return attributeId.toUpperCase();
  const tag = QIDO_KEYWORDS[attributeId];
  if (tag === undefined) {
    throw new PlatformError('ERR_USAGE', `unknown QIDO-RS attribute "${attributeId}"`);
  }
  return tag;
}

/** One attribute matching key of a query (PS3.18 §8.3.4.1; semantics PS3.4 C.2.2.2). */
export interface MatchKey {
  readonly tag: string;
  /** The value as sent; empty for universal matching (return the attribute, match anything). */
  readonly value: string;
}

/** Whether `value` uses wildcard matching (`*`, `?`; PS3.4 C.2.2.2.4). */
export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

/** A date/time range `a-b`, `a-` or `-b` (PS3.4 C.2.2.2.5); undefined when `value` is no range. */
export function parseRange(value: string): { from?: string; to?: string } | undefined {
  const dash = value.indexOf('-');
  if (dash < 0 || value.includes('-', dash + 1)) return undefined;
  const from = value.slice(0, dash).trim();
  const to = value.slice(dash + 1).trim();
  if (from === '' && to === '') return undefined;
  return { ...(from === '' ? {} : { from }), ...(to === '' ? {} : { to }) };
}

/** The values of a UID list match: comma- or backslash-separated (PS3.18 §8.3.4.1). */
export function uidList(value: string): readonly string[] {
  return value
    .split(/[,\\]/)
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

function wildcardRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}

function textValues(attribute: DicomAttribute): string[] {
  return (attribute.Value ?? []).map((v) => {
    if (typeof v === 'object' && v !== null && 'Alphabetic' in v) {
      const alphabetic = (v as { Alphabetic?: unknown }).Alphabetic;
      return typeof alphabetic === 'string' ? alphabetic : '';
    }
    return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  });
}

/**
 * Whether a stored attribute matches a key's value, by the attribute's VR (PS3.4 C.2.2.2):
 * list of UIDs for UI, range or single value for DA/TM/DT, wildcard for strings (case-insensitive
 * for PN, as most archives do and OHIF expects for name search), single value otherwise. An
 * attribute with several values matches when any does. A missing or empty attribute matches
 * only universal matching.
 */
export function matchesAttribute(attribute: DicomAttribute | undefined, value: string): boolean {
  if (value === '') return true;
  if (attribute === undefined) return false;
  const values = textValues(attribute);
  if (values.length === 0) return false;
  const vr = attribute.vr;
  if (vr === 'UI') {
    const wanted = new Set(uidList(value));
    return values.some((v) => wanted.has(v));
  }
  if (vr === 'DA' || vr === 'TM' || vr === 'DT') {
    const range = parseRange(value);
    if (range !== undefined) {
      return values.some(
        (v) =>
          (range.from === undefined || v >= range.from) &&
          (range.to === undefined || v.slice(0, range.to.length) <= range.to),
      );
    }
  }
  if (hasWildcard(value)) {
    const re = wildcardRegExp(value, vr === 'PN');
    return values.some((v) => re.test(v.trim()));
  }
  if (vr === 'PN') return values.some((v) => v.trim().toLowerCase() === value.toLowerCase());
  if (['IS', 'DS', 'US', 'SS', 'UL', 'SL', 'FL', 'FD', 'UV', 'SV'].includes(vr)) {
    return values.some((v) => Number(v) === Number(value));
  }
  return values.some((v) => v.trim() === value);
}

/** Whether a dataset matches every key. */
export function matchesAll(json: DicomJson, keys: readonly MatchKey[]): boolean {
  return keys.every((key) => matchesAttribute(json[key.tag], key.value));
}
