/**
 * A C-FIND identifier or match as dcmjs-dimse carries it: attributes by DICOM keyword
 * ("naturalized", as dcmjs names them), values as strings, numbers, arrays, or `{ Alphabetic }`
 * objects for person names.
 */
export type FindDataset = Readonly<Record<string, unknown>>;

/** Query/Retrieve levels medscale answers (PS3.4 C.6.1.1 patient root, C.6.2.1 study root). */
export const QUERY_LEVELS = ['PATIENT', 'STUDY', 'SERIES', 'IMAGE'] as const;

/** A Query/Retrieve level (0008,0052). */
export type QueryLevel = (typeof QUERY_LEVELS)[number];

/** Keys that steer the query rather than match attributes (PS3.4 C.4.1.1.3). */
const CONTROL_KEYS = new Set([
  'QueryRetrieveLevel',
  'SpecificCharacterSet',
  'TimezoneOffsetFromUTC',
]);

/** Attributes matched as dates, times or date-times: they take ranges (PS3.4 C.2.2.2.5). */
const RANGE_KEY = /(Date|Time|DateTime)$/;

/**
 * Whether `candidate` matches every key of a C-FIND identifier (PS3.4 C.2.2.2): universal
 * matching for empty keys, single value, wildcard (`*`, `?`), list of UIDs, and date/time range
 * matching. A key the candidate lacks matches only universally.
 */
export function matchesIdentifier(identifier: FindDataset, candidate: FindDataset): boolean {
  for (const [key, raw] of Object.entries(identifier)) {
    if (CONTROL_KEYS.has(key)) continue;
    const wanted = values(raw);
    if (wanted === undefined || wanted.length === 0 || wanted.every((w) => w === '')) continue;
    const have = values(candidate[key]) ?? [];
    if (have.length === 0) return false;
    // Keys ending in UID take lists, never wildcards (PS3.4 C.2.2.2.2).
    const ok = key.endsWith('UID')
      ? wanted.some((w) => have.includes(w))
      : wanted.some((w) => have.some((h) => matchOne(key, w, h)));
    if (!ok) return false;
  }
  return true;
}

/**
 * The response identifier of a match: exactly the keys the query asked for, with the match's
 * values or zero length where it has none (PS3.4 C.4.1.1.3.2), plus the Query/Retrieve Level.
 * Sequence keys are returned empty: medscale matches none.
 */
export function projectMatch(identifier: FindDataset, match: FindDataset): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(identifier)) {
    if (key === 'SpecificCharacterSet') continue;
    const value = match[key];
    out[key] = value ?? '';
  }
  const level = identifier['QueryRetrieveLevel'];
  if (level !== undefined) out['QueryRetrieveLevel'] = level;
  return out;
}

/** Values of a naturalized attribute as trimmed strings; undefined for sequences. */
function values(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  const out: string[] = [];
  for (const v of list) {
    if (typeof v === 'string') out.push(...v.split('\\').map((s) => s.replace(/\0/g, '').trim()));
    else if (typeof v === 'number') out.push(String(v));
    else if (typeof v === 'object' && v !== null && 'Alphabetic' in v)
      out.push(typeof v.Alphabetic === 'string' ? v.Alphabetic.trim() : '');
    else return undefined; // a sequence item: not matched
  }
  return out;
}

function matchOne(key: string, wanted: string, have: string): boolean {
  if (RANGE_KEY.test(key) && wanted.includes('-')) {
    const [from = '', to = ''] = wanted.split('-', 2).map((s) => s.trim());
    const h = have.replace(/[-:]/g, '');
    const f = from.replace(/[-:]/g, '');
    const t = to.replace(/[-:]/g, '');
    // Compare over the shorter precision so that 20240315 lies within 20240315-20240315 whatever
    // the stored time precision.
    return (f === '' || h >= f) && (t === '' || h.slice(0, t.length) <= t);
  }
  if (wanted.includes('*') || wanted.includes('?')) {
    const pattern = wanted
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    return new RegExp(`^${pattern}$`, 's').test(have);
  }
  return have === wanted;
}
