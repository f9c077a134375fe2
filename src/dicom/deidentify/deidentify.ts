import { createHmac } from 'node:crypto';
import { PlatformError } from '../../core/index.js';
import type { DicomDataset, DicomElement } from '../part10/dicom-dataset.js';
import { CONFIDENTIALITY_PROFILE } from './confidentiality-profile.js';

/**
 * Options of the PS3.15 profile applied on ingest. The Basic Application Level Confidentiality
 * Profile (PS3.15 Annex E, CID 7050 code 113100) always applies; these switch its options.
 */
export interface DeidentifyOptions {
  /**
   * The project secret: keys the pseudonym, the UID map and the date offsets. It never enters
   * the catalog, the blobs or the logs; without it nothing can be linked back.
   */
  readonly secret: string | Uint8Array;
  /**
   * Retain Longitudinal Temporal Information with Modified Dates (113107): dates are shifted
   * back by a per-subject offset instead of removed, so intervals between visits survive.
   * @defaultValue true
   */
  readonly modifiedDates?: boolean;
  /**
   * Largest per-subject date shift, in days. The offset is drawn in `[1, maxDateShiftDays]`
   * from the keyed hash of the original Patient ID.
   * @defaultValue 365
   */
  readonly maxDateShiftDays?: number;
  /**
   * Retain Patient Characteristics (113108): sex, age, size, weight and the like are kept, as
   * the cardiovascular and phenotyping models need them.
   * @defaultValue true
   */
  readonly patientCharacteristics?: boolean;
  /**
   * Retain Device Identity (113109): scanner model, serial and station names are kept for
   * per-scanner quality control.
   * @defaultValue true
   */
  readonly deviceIdentity?: boolean;
  /**
   * Clean Descriptors (113105): descriptions such as Series Description and Protocol Name are
   * kept with the patient's identifying strings scrubbed out, instead of removed; protocol
   * conformity checks match series by them.
   * @defaultValue true
   */
  readonly cleanDescriptors?: boolean;
  /**
   * Private attributes to keep (Retain Safe Private, 113111), as `creator/element` pairs such as
   * `'SIEMENS MR HEADER/0C'` (creator string, then the low byte of the element in hex). All other
   * private attributes are removed.
   * @defaultValue []
   */
  readonly safePrivate?: readonly string[];
}

/** What de-identification produced, besides the edited dataset. */
export interface DeidentifyResult {
  /** The new Patient ID and Patient Name: `MS` followed by 16 base-32 characters. */
  readonly pseudonym: string;
  /** Days by which every date of this subject was moved back. */
  readonly dateOffsetDays: number;
  /** Institution Name before removal: the acquiring site, recorded in the catalog. */
  readonly site: string | undefined;
  /** Patient's Sex (M, F, O) when retained. */
  readonly sex: string | undefined;
  /** Year of birth, kept in the catalog for age-dependent models; the full date is removed. */
  readonly birthYear: number | undefined;
  /** Study Date after the shift (YYYYMMDD). */
  readonly studyDateShifted: string | undefined;
  /** The CID 7050 codes of the profile and options applied. */
  readonly methodCodes: readonly string[];
}

type Action = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U';

interface ProfileRule {
  readonly basic: string;
  readonly options: ReadonlyMap<string, Action>;
}

const EXACT_RULES = new Map<string, ProfileRule>();
const WILDCARD_RULES: { readonly pattern: RegExp; readonly rule: ProfileRule }[] = [];
for (const [tag, basic, options] of CONFIDENTIALITY_PROFILE) {
  const map = new Map<string, Action>();
  for (const pair of options.split(' ')) {
    if (pair.length === 2) map.set(pair[0] ?? '', pair[1] as Action);
  }
  const rule = { basic, options: map };
  if (tag.includes('x'))
    WILDCARD_RULES.push({ pattern: new RegExp(`^${tag.replaceAll('x', '[0-9A-F]')}$`), rule });
  else EXACT_RULES.set(tag, rule);
}

/** Tags written from the pseudonym rather than by the table. */
const PATIENT_ID = '00100020';
const PATIENT_NAME = '00100010';
const PATIENT_BIRTH_DATE = '00100030';
const PATIENT_SEX = '00100040';
const INSTITUTION_NAME = '00080080';
const STUDY_DATE = '00080020';
/** Standard UIDs (SOP classes, transfer syntaxes, coding schemes) identify no one: keep them. */
const STANDARD_UID_ROOT = '1.2.840.10008.';
/** medscale's implementation class UID (a UUID-derived root, PS3.5 §B.2). */
export const IMPLEMENTATION_CLASS_UID = '2.25.99063282960924553197263004380245913941';
/** Implementation version name written in the file meta information. */
export const IMPLEMENTATION_VERSION_NAME = 'MEDSCALE_0_1';

const DAY_MS = 86_400_000;

/** A de-identifier bound to one project secret and option set; reusable across instances. */
export class Deidentifier {
  readonly #key: Buffer;
  readonly #modifiedDates: boolean;
  readonly #maxShift: number;
  readonly #patientCharacteristics: boolean;
  readonly #deviceIdentity: boolean;
  readonly #cleanDescriptors: boolean;
  readonly #safePrivate: ReadonlySet<string>;
  readonly #uidCache = new Map<string, string>();

  constructor(options: DeidentifyOptions) {
    const secret =
      typeof options.secret === 'string'
        ? Buffer.from(options.secret, 'utf8')
        : Buffer.from(options.secret);
    if (secret.length < 16) {
      throw new PlatformError(
        'ERR_DEID',
        `the project secret must have at least 16 bytes, got ${secret.length}`,
      );
    }
    this.#key = secret;
    this.#modifiedDates = options.modifiedDates ?? true;
    this.#maxShift = options.maxDateShiftDays ?? 365;
    if (!Number.isInteger(this.#maxShift) || this.#maxShift < 1) {
      throw new PlatformError(
        'ERR_DEID',
        `maxDateShiftDays must be a positive integer, got ${this.#maxShift}`,
      );
    }
    this.#patientCharacteristics = options.patientCharacteristics ?? true;
    this.#deviceIdentity = options.deviceIdentity ?? true;
    this.#cleanDescriptors = options.cleanDescriptors ?? true;
    this.#safePrivate = new Set(options.safePrivate ?? []);
  }

  /** The keyed pseudonym of an original Patient ID: stable within a project, unlinkable without the secret. */
  pseudonym(originalPatientId: string): string {
    const digest = this.#hmac(`patient:${originalPatientId}`);
    return `MS${base32(digest.subarray(0, 10))}`;
  }

  /** The per-subject date offset in days, in `[1, maxDateShiftDays]`. */
  dateOffsetDays(originalPatientId: string): number {
    return 1 + (this.#hmac(`date:${originalPatientId}`).readUInt32BE(0) % this.#maxShift);
  }

  /**
   * The replacement of an original UID: `2.25.` and the decimal form of a UUID (version 8,
   * PS3.5 §B.2) built from the keyed hash, so the same original UID maps to the same new UID
   * across every instance, series and study of the project, and references stay consistent.
   */
  mapUid(original: string): string {
    const trimmed = original.replace(/[\0 ]+$/, '');
    const cached = this.#uidCache.get(trimmed);
    if (cached !== undefined) return cached;
    const bytes = Buffer.from(this.#hmac(`uid:${trimmed}`).subarray(0, 16));
    bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x80, 6); // version 8 (custom)
    bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8); // RFC 4122 variant
    const mapped = `2.25.${BigInt(`0x${bytes.toString('hex')}`).toString(10)}`;
    if (this.#uidCache.size > 100_000) this.#uidCache.clear();
    this.#uidCache.set(trimmed, mapped);
    return mapped;
  }

  /**
   * De-identifies a dataset and its file meta information in place (PS3.15 Annex E): the Basic
   * Profile with the configured options, nested sequences included, private attributes removed
   * unless allow-listed, UIDs remapped, dates shifted, and the attributes the standard asks to
   * add (Patient Identity Removed, De-identification Method and its Code Sequence, Longitudinal
   * Temporal Information Modified). Pixel data are not examined (no Clean Pixel Data option).
   */
  deidentify(meta: DicomDataset, dataset: DicomDataset): DeidentifyResult {
    const originalId = stringValue(dataset[PATIENT_ID]) ?? '';
    const originalName = personName(dataset[PATIENT_NAME]) ?? '';
    const birthDate = stringValue(dataset[PATIENT_BIRTH_DATE]);
    const site = stringValue(dataset[INSTITUTION_NAME]);
    // An instance without a Patient ID still gets a stable pseudonym, keyed by its name, so the
    // instances of one unidentified patient stay together; an empty identity maps to one subject.
    const identity = originalId !== '' ? originalId : `name:${originalName}`;
    const pseudonym = this.pseudonym(identity);
    const offset = this.#modifiedDates ? this.dateOffsetDays(identity) : 0;
    const scrub = scrubberFor([
      originalId,
      originalName,
      ...originalName.split(/[\^ =]+/).filter((part) => part.length >= 3),
      birthDate ?? '',
    ]);
    const context: WalkContext = { offset, scrub };
    this.#walk(dataset, context, true);

    dataset[PATIENT_ID] = { vr: 'LO', Value: [pseudonym] };
    dataset[PATIENT_NAME] = { vr: 'PN', Value: [{ Alphabetic: pseudonym }] };
    dataset[PATIENT_BIRTH_DATE] = { vr: 'DA', Value: [] };
    const codes = this.#methodCodes();
    dataset['00120062'] = { vr: 'CS', Value: ['YES'] };
    dataset['00120063'] = {
      vr: 'LO',
      Value: [
        'PS3.15 Basic Profile with options (medscale): ' + codes.map((c) => c.meaning).join(', '),
      ].map((s) => s.slice(0, 64)),
    };
    dataset['00120064'] = {
      vr: 'SQ',
      Value: codes.map((code) => ({
        '00080100': { vr: 'SH', Value: [code.value] },
        '00080102': { vr: 'SH', Value: ['DCM'] },
        '00080104': { vr: 'LO', Value: [code.meaning] },
      })),
    };
    dataset['00280303'] = { vr: 'CS', Value: [this.#modifiedDates ? 'MODIFIED' : 'REMOVED'] };
    dataset['00280301'] ??= { vr: 'CS', Value: ['NO'] };

    this.#deidentifyMeta(meta, dataset);
    const sexValue = this.#patientCharacteristics ? stringValue(dataset[PATIENT_SEX]) : undefined;
    const year =
      birthDate !== undefined && /^\d{4}/.test(birthDate)
        ? Number(birthDate.slice(0, 4))
        : undefined;
    return {
      pseudonym,
      dateOffsetDays: offset,
      site,
      sex: sexValue,
      birthYear: this.#patientCharacteristics ? year : undefined,
      studyDateShifted: stringValue(dataset[STUDY_DATE]),
      methodCodes: codes.map((c) => c.value),
    };
  }

  #deidentifyMeta(meta: DicomDataset, dataset: DicomDataset): void {
    const sopInstance = stringValue(dataset['00080018']);
    const sopClass = stringValue(dataset['00080016']);
    for (const tag of Object.keys(meta)) {
      // Source/sending/receiving AE titles and private meta elements name the site's equipment.
      if (tag >= '00020016' && tag !== '00020010') Reflect.deleteProperty(meta, tag);
    }
    if (sopInstance !== undefined) meta['00020003'] = { vr: 'UI', Value: [sopInstance] };
    if (sopClass !== undefined) meta['00020002'] = { vr: 'UI', Value: [sopClass] };
    meta['00020012'] = { vr: 'UI', Value: [IMPLEMENTATION_CLASS_UID] };
    meta['00020013'] = { vr: 'SH', Value: [IMPLEMENTATION_VERSION_NAME] };
  }

  #methodCodes(): readonly { readonly value: string; readonly meaning: string }[] {
    const codes = [{ value: '113100', meaning: 'Basic Application Confidentiality Profile' }];
    if (this.#cleanDescriptors)
      codes.push({ value: '113105', meaning: 'Clean Descriptors Option' });
    if (this.#modifiedDates) {
      codes.push({
        value: '113107',
        meaning: 'Retain Longitudinal Temporal Information Modified Dates Option',
      });
    }
    if (this.#patientCharacteristics)
      codes.push({ value: '113108', meaning: 'Retain Patient Characteristics Option' });
    if (this.#deviceIdentity)
      codes.push({ value: '113109', meaning: 'Retain Device Identity Option' });
    if (this.#safePrivate.size > 0)
      codes.push({ value: '113111', meaning: 'Retain Safe Private Option' });
    return codes;
  }

  #actionFor(tag: string): Action | undefined {
    const rule = EXACT_RULES.get(tag) ?? WILDCARD_RULES.find((r) => r.pattern.test(tag))?.rule;
    if (rule === undefined) return undefined;
    const o = rule.options;
    const optional =
      (this.#modifiedDates ? o.get('m') : undefined) ??
      (this.#patientCharacteristics ? o.get('p') : undefined) ??
      (this.#deviceIdentity ? o.get('d') : undefined) ??
      (this.#cleanDescriptors ? o.get('c') : undefined);
    if (optional !== undefined) return optional;
    // Type-dependent fallbacks: keep the attribute present where the IOD may require it, with a
    // value that identifies no one (Z for type 2, D for type 1, U for UID sequences).
    switch (rule.basic) {
      case 'X/Z':
        return 'Z';
      case 'X/D':
      case 'Z/D':
      case 'X/Z/D':
        return 'D';
      case 'X/Z/U*':
        return 'U';
      default:
        return rule.basic as Action;
    }
  }

  #walk(dataset: DicomDataset, context: WalkContext, topLevel: boolean): void {
    const privateCreators = new Map<string, string>();
    for (const tag of Object.keys(dataset)) {
      const group = Number.parseInt(tag.slice(0, 4), 16);
      if (group % 2 === 1) {
        const element = Number.parseInt(tag.slice(4), 16);
        if (element >= 0x10 && element <= 0xff) {
          privateCreators.set(
            `${tag.slice(0, 4)}${tag.slice(6).padStart(2, '0')}`,
            stringValue(dataset[tag]) ?? '',
          );
        }
      }
    }
    for (const tag of Object.keys(dataset)) {
      const element = dataset[tag];
      if (element === undefined) continue;
      if (topLevel && (tag === PATIENT_ID || tag === PATIENT_NAME)) continue;
      const group = Number.parseInt(tag.slice(0, 4), 16);
      if (group % 2 === 1) {
        if (!this.#keepPrivate(tag, privateCreators)) Reflect.deleteProperty(dataset, tag);
        continue;
      }
      if (group === 0x0002) continue;
      const action = this.#actionFor(tag);
      if (action === undefined) {
        // Attributes the table does not list: identifying UIDs and dates can still hide in them
        // (nested references, vendor-specific standard tags), so remap and shift those too.
        dataset[tag] = this.#defaultClean(element, context);
        continue;
      }
      const replaced = this.#apply(action, element, context);
      if (replaced === undefined) Reflect.deleteProperty(dataset, tag);
      else dataset[tag] = replaced;
    }
  }

  #keepPrivate(tag: string, creators: ReadonlyMap<string, string>): boolean {
    if (this.#safePrivate.size === 0) return false;
    const element = Number.parseInt(tag.slice(4), 16);
    if (element < 0x1000) return false; // creator elements are kept only with a kept element
    const block = tag.slice(4, 6);
    const creator = creators.get(`${tag.slice(0, 4)}${block}`);
    return creator !== undefined && this.#safePrivate.has(`${creator}/${tag.slice(6)}`);
  }

  #defaultClean(element: DicomElement, context: WalkContext): DicomElement {
    switch (element.vr) {
      case 'UI':
        return this.#apply('U', element, context) ?? element;
      case 'DA':
      case 'DT':
        return this.#shiftDates(element, context.offset);
      case 'SQ':
        return this.#recurse(element, context);
      default:
        return element;
    }
  }

  #apply(action: Action, element: DicomElement, context: WalkContext): DicomElement | undefined {
    switch (action) {
      case 'X':
        return undefined;
      case 'Z':
        return { vr: element.vr, Value: [] };
      case 'D':
        return { vr: element.vr, Value: dummyValue(element.vr) };
      case 'K':
        return element.vr === 'SQ' ? this.#recurse(element, context) : element;
      case 'U': {
        if (element.vr === 'SQ') return this.#recurse(element, context);
        const values = (element.Value ?? []).map((v) => {
          if (typeof v !== 'string' || v === '') return v;
          return v.startsWith(STANDARD_UID_ROOT) ? v : this.mapUid(v);
        });
        return { vr: element.vr, Value: values };
      }
      case 'C':
        return this.#clean(element, context);
    }
  }

  #clean(element: DicomElement, context: WalkContext): DicomElement {
    switch (element.vr) {
      case 'DA':
      case 'DT':
        return this.#shiftDates(element, context.offset);
      case 'TM':
        return element; // whole-day shifts leave times of day unchanged
      case 'SQ':
        return this.#recurse(element, context);
      case 'PN':
        return { vr: 'PN', Value: [] };
      default:
        return {
          vr: element.vr,
          Value: (element.Value ?? []).map((v) => (typeof v === 'string' ? context.scrub(v) : v)),
        };
    }
  }

  #recurse(element: DicomElement, context: WalkContext): DicomElement {
    const items = (element.Value ?? []).map((item) => {
      if (typeof item !== 'object' || item === null) return item;
      const copy: DicomDataset = { ...(item as DicomDataset) };
      this.#walk(copy, context, false);
      return copy;
    });
    return { vr: 'SQ', Value: items };
  }

  #shiftDates(element: DicomElement, offset: number): DicomElement {
    if (offset === 0) return element;
    const values = (element.Value ?? []).map((v) =>
      typeof v === 'string' ? shiftDate(v, offset, element.vr) : v,
    );
    return { vr: element.vr, Value: values };
  }

  #hmac(message: string): Buffer {
    return createHmac('sha256', this.#key).update(message).digest();
  }
}

interface WalkContext {
  readonly offset: number;
  readonly scrub: (text: string) => string;
}

/** Removes the given identifying strings (case-insensitive) from free text. */
function scrubberFor(needles: readonly string[]): (text: string) => string {
  const words = [...new Set(needles.filter((n) => n.trim().length >= 3))].map((n) =>
    n.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  if (words.length === 0) return (text) => text;
  const pattern = new RegExp(words.sort((a, b) => b.length - a.length).join('|'), 'gi');
  return (text) => text.replace(pattern, '');
}

/**
 * Moves a DA (`YYYYMMDD`, or a `A-B` range) or DT (`YYYYMMDDHHMMSS…`) value back by whole days,
 * keeping the time of day and any offset suffix. Values that are not dates are emptied rather than
 * kept: an unparseable date may still be a real one.
 */
export function shiftDate(value: string, offsetDays: number, vr: string): string {
  if (value.includes('-') && vr === 'DA') {
    return value
      .split('-')
      .map((part) => (part === '' ? '' : shiftDate(part, offsetDays, vr)))
      .join('-');
  }
  const match = /^(\d{4})\.?(\d{2})\.?(\d{2})(.*)$/.exec(value.trim());
  if (match === null) return '';
  const [, y, m, d, rest] = match;
  const time = Date.UTC(Number(y), Number(m) - 1, Number(d)) - offsetDays * DAY_MS;
  if (!Number.isFinite(time)) return '';
  const date = new Date(time);
  const text = `${date.getUTCFullYear().toString().padStart(4, '0')}${(date.getUTCMonth() + 1)
    .toString()
    .padStart(2, '0')}${date.getUTCDate().toString().padStart(2, '0')}`;
  return vr === 'DT' ? text + (rest ?? '') : text;
}

function dummyValue(vr: string): unknown[] {
  switch (vr) {
    case 'PN':
      return [{ Alphabetic: 'ANONYMIZED' }];
    case 'DA':
      return ['19000101'];
    case 'DT':
      return ['19000101000000'];
    case 'TM':
      return ['000000'];
    case 'AS':
      return ['000Y'];
    case 'DS':
    case 'IS':
    case 'FL':
    case 'FD':
    case 'SL':
    case 'SS':
    case 'UL':
    case 'US':
      return [0];
    case 'CS':
      return ['ANONYMIZED'];
    case 'SQ':
      return [];
    case 'UI':
      return [];
    case 'OB':
    case 'OW':
    case 'UN':
    case 'OF':
    case 'OD':
      return [];
    default:
      return ['ANONYMIZED'];
  }
}

function stringValue(element: DicomElement | undefined): string | undefined {
  const value = element?.Value?.[0];
  if (typeof value === 'string') {
    const trimmed = value.replace(/[\0 ]+$/, '').trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number') return String(value);
  return undefined;
}

function personName(element: DicomElement | undefined): string | undefined {
  const value = element?.Value?.[0];
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'object' && value !== null && 'Alphabetic' in value) {
    const alphabetic = (value as { Alphabetic?: unknown }).Alphabetic;
    return typeof alphabetic === 'string' ? alphabetic.trim() : undefined;
  }
  return undefined;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32.charAt((value << (5 - bits)) & 31);
  return out;
}
