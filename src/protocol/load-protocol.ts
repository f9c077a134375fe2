import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { YAMLParseError, parse as parseYaml } from 'yaml';
import { PlatformError, errorMessage } from '../core/index.js';
import type { Vec3 } from '../core/index.js';
import { compileMatchRule } from './match-series.js';
import {
  CATEGORICAL_PARAMETERS,
  DEFAULT_CENTRE_TOLERANCE_MM,
  DEFAULT_FOV_TOLERANCE_REL,
  DEFAULT_NORMATIVE,
  DEFAULT_OBLIQUE_MIN_DEG,
  DEFAULT_ORIENTATION_TOLERANCE_DEG,
  DEFAULT_REFERENCE_STATURE_M,
  LANDMARKS,
  NUMERIC_PARAMETERS,
  ORIENTATIONS,
  PROTOCOL_MODULES,
  PROTOCOL_SCHEMA_VERSION,
  QUALITY_METRICS,
  SUPPORTED_PROTOCOL_SCHEMA_VERSIONS,
  WEIGHTINGS,
} from './protocol.js';
import type {
  MrAcquisitionType,
  NormativePolicy,
  NumericParameter,
  Orientation,
  Protocol,
  ProtocolRegion,
  ProtocolScanner,
  ProtocolSeries,
  QualityMetric,
  QualitySeverity,
  QualityThreshold,
  QualityThresholds,
  SeriesMatchRule,
  SeriesParameters,
  SeriesRegion,
  SiteOverride,
  SiteSeriesOverride,
  Tolerance,
  ToleranceMap,
} from './protocol.js';
import { mergeTolerances, protocolForSite } from './protocol-for-site.js';

/**
 * File URL of the protocol shipped with medscale, `examples/protocols/nako-like.protocol.json`.
 *
 * @remarks
 * Resolved from this module's URL, so it holds both from `src/synth/` and from `dist/synth/`.
 */
export const DEFAULT_PROTOCOL_URL: URL = new URL(
  '../../examples/protocols/nako-like.protocol.json',
  import.meta.url,
);

type Json = Record<string, unknown>;

function fail(path: string, message: string): never {
  throw new PlatformError('ERR_PROTOCOL_INVALID', `${path}: ${message}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined ? 'nothing' : `a ${typeof value}`;
}

function objectAt(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `expected an object, got ${describe(value)}`);
  }
  return value as Json;
}

/** Rejects fields the schema does not know, so that a typo (`echoTimeMS`) cannot pass silently. */
function onlyKnownFields(object: Json, known: readonly string[], path: string): void {
  for (const key of Object.keys(object)) {
    // `$`-prefixed keys (`$comment`, `$schema`) are annotations: JSON has no comments.
    if (!key.startsWith('$') && !known.includes(key)) {
      fail(`${path}.${key}`, `unknown field (known: ${known.join(', ')})`);
    }
  }
}

function stringAt(
  object: Json,
  key: string,
  path: string,
  pattern?: RegExp,
  maxLength = 64,
): string {
  const value = object[key];
  if (typeof value !== 'string')
    fail(`${path}.${key}`, `expected a string, got ${describe(value)}`);
  if (value.trim() === '') fail(`${path}.${key}`, 'expected a non-empty string');
  if (value.length > maxLength) {
    fail(`${path}.${key}`, `expected at most ${maxLength} characters, got ${value.length}`);
  }
  if (pattern !== undefined && !pattern.test(value)) {
    fail(`${path}.${key}`, `expected a string matching ${String(pattern)}, got ${describe(value)}`);
  }
  return value;
}

function numberAt(
  object: Json,
  key: string,
  path: string,
  rule: { readonly integer?: boolean; readonly min?: number; readonly positive?: boolean } = {},
): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(`${path}.${key}`, `expected a number, got ${describe(value)}`);
  }
  if (rule.integer === true && !Number.isInteger(value)) {
    fail(`${path}.${key}`, `expected an integer, got ${value}`);
  }
  if (rule.positive === true && value <= 0)
    fail(`${path}.${key}`, `expected a number > 0, got ${value}`);
  if (rule.min !== undefined && value < rule.min) {
    fail(`${path}.${key}`, `expected a number ≥ ${rule.min}, got ${value}`);
  }
  return value;
}

function oneOf<T extends string>(
  object: Json,
  key: string,
  path: string,
  allowed: readonly T[],
): T {
  const value = object[key];
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(
      `${path}.${key}`,
      `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`,
    );
  }
  return value as T;
}

// Code String (CS): upper-case letters, digits, space and underscore, at most 16 characters (PS3.5 §6.2).
const CS_PATTERN = /^[A-Z0-9_ ]{1,16}$/;

function codeStringsAt(object: Json, key: string, path: string, allowEmpty: boolean): string[] {
  const value = object[key];
  if (!Array.isArray(value))
    fail(`${path}.${key}`, `expected an array of code strings, got ${describe(value)}`);
  if (!allowEmpty && value.length === 0)
    fail(`${path}.${key}`, 'expected at least one code string');
  return value.map((item, i) => {
    if (typeof item !== 'string' || !CS_PATTERN.test(item)) {
      fail(
        `${path}.${key}[${i}]`,
        `expected a DICOM code string (A-Z, 0-9, _, space; ≤ 16), got ${describe(item)}`,
      );
    }
    return item;
  });
}

function toleranceAt(value: unknown, path: string): Tolerance {
  const object = objectAt(value, path);
  onlyKnownFields(object, ['abs', 'rel'], path);
  if (object['abs'] === undefined && object['rel'] === undefined) {
    fail(path, 'expected "abs" and/or "rel"');
  }
  const abs = object['abs'] === undefined ? undefined : numberAt(object, 'abs', path, { min: 0 });
  const rel = object['rel'] === undefined ? undefined : numberAt(object, 'rel', path, { min: 0 });
  return { ...(abs === undefined ? {} : { abs }), ...(rel === undefined ? {} : { rel }) };
}

function toleranceMapAt(value: unknown, path: string): ToleranceMap {
  const object = objectAt(value, path);
  onlyKnownFields(object, NUMERIC_PARAMETERS, path);
  const out: Partial<Record<NumericParameter, Tolerance>> = {};
  for (const name of NUMERIC_PARAMETERS) {
    if (object[name] !== undefined) out[name] = toleranceAt(object[name], `${path}.${name}`);
  }
  return out;
}

const PARAMETER_FIELDS: readonly string[] = [...CATEGORICAL_PARAMETERS, ...NUMERIC_PARAMETERS];

function parametersAt(value: unknown, path: string): SeriesParameters {
  const p = objectAt(value, path);
  onlyKnownFields(p, PARAMETER_FIELDS, path);
  const scanningSequence = codeStringsAt(p, 'scanningSequence', path, false);
  const hasInversion = scanningSequence.includes('IR');
  if (hasInversion && p['inversionTimeMs'] === undefined) {
    fail(`${path}.inversionTimeMs`, 'required when scanningSequence contains "IR"');
  }
  if (!hasInversion && p['inversionTimeMs'] !== undefined) {
    fail(`${path}.inversionTimeMs`, 'only allowed when scanningSequence contains "IR"');
  }
  const spacing = p['pixelSpacingMm'];
  if (
    !Array.isArray(spacing) ||
    spacing.length !== 2 ||
    !spacing.every((s) => typeof s === 'number' && Number.isFinite(s) && s > 0)
  ) {
    fail(
      `${path}.pixelSpacingMm`,
      `expected [row, column] spacing, two numbers > 0, got ${describe(spacing)}`,
    );
  }
  const [rowSpacing, columnSpacing] = spacing as [number, number];
  const inversionTimeMs = hasInversion
    ? numberAt(p, 'inversionTimeMs', path, { positive: true })
    : undefined;
  const echoTrainLength =
    p['echoTrainLength'] === undefined
      ? undefined
      : numberAt(p, 'echoTrainLength', path, { integer: true, min: 1 });
  return {
    scanningSequence,
    sequenceVariant: codeStringsAt(p, 'sequenceVariant', path, false),
    scanOptions: codeStringsAt(p, 'scanOptions', path, true),
    mrAcquisitionType: oneOf(p, 'mrAcquisitionType', path, ['2D', '3D'] as const),
    phaseEncodingDirection: oneOf(p, 'phaseEncodingDirection', path, ['ROW', 'COL'] as const),
    repetitionTimeMs: numberAt(p, 'repetitionTimeMs', path, { positive: true }),
    echoTimeMs: numberAt(p, 'echoTimeMs', path, { positive: true }),
    ...(inversionTimeMs === undefined ? {} : { inversionTimeMs }),
    flipAngleDeg: numberAt(p, 'flipAngleDeg', path, { positive: true }),
    sliceThicknessMm: numberAt(p, 'sliceThicknessMm', path, { positive: true }),
    spacingBetweenSlicesMm: numberAt(p, 'spacingBetweenSlicesMm', path, { positive: true }),
    pixelSpacingMm: [rowSpacing, columnSpacing],
    rows: numberAt(p, 'rows', path, { integer: true, min: 1 }),
    columns: numberAt(p, 'columns', path, { integer: true, min: 1 }),
    slices: numberAt(p, 'slices', path, { integer: true, min: 1 }),
    numberOfAverages: numberAt(p, 'numberOfAverages', path, { positive: true }),
    pixelBandwidthHz: numberAt(p, 'pixelBandwidthHz', path, { positive: true }),
    ...(echoTrainLength === undefined ? {} : { echoTrainLength }),
  };
}

function booleanAt(object: Json, key: string, path: string): boolean {
  const value = object[key];
  if (typeof value !== 'boolean')
    fail(`${path}.${key}`, `expected a boolean, got ${describe(value)}`);
  return value;
}

function vec3At(object: Json, key: string, path: string, min?: number): Vec3 {
  const value = object[key];
  if (
    !Array.isArray(value) ||
    value.length !== 3 ||
    !value.every(
      (v) => typeof v === 'number' && Number.isFinite(v) && (min === undefined || v >= min),
    )
  ) {
    const what = min === undefined ? 'three numbers' : `three numbers ≥ ${min}`;
    fail(`${path}.${key}`, `expected [x, y, z], ${what}, got ${describe(value)}`);
  }
  const [x, y, z] = value as [number, number, number];
  return [x, y, z];
}

/** Pattern of series keys (and of the site identifiers that key `sites`). */
const KEY_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
const SITE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const MATCH_RULE_FIELDS = [
  'seriesDescription',
  'protocolName',
  'scanningSequence',
  'mrAcquisitionType',
] as const;

function matchRulesAt(value: unknown, path: string): readonly SeriesMatchRule[] {
  if (!Array.isArray(value)) fail(path, `expected an array of match rules, got ${describe(value)}`);
  if (value.length === 0) fail(path, 'expected at least one match rule');
  return value.map((item, i) => {
    const at = `${path}[${i}]`;
    const r = objectAt(item, at);
    onlyKnownFields(r, MATCH_RULE_FIELDS, at);
    if (MATCH_RULE_FIELDS.every((f) => r[f] === undefined)) {
      fail(
        at,
        `expected at least one of ${MATCH_RULE_FIELDS.join(', ')} (an empty rule would match any series)`,
      );
    }
    const rule: SeriesMatchRule = {
      ...(r['seriesDescription'] === undefined
        ? {}
        : { seriesDescription: stringAt(r, 'seriesDescription', at, undefined, 256) }),
      ...(r['protocolName'] === undefined
        ? {}
        : { protocolName: stringAt(r, 'protocolName', at, undefined, 256) }),
      ...(r['scanningSequence'] === undefined
        ? {}
        : { scanningSequence: codeStringsAt(r, 'scanningSequence', at, false) }),
      ...(r['mrAcquisitionType'] === undefined
        ? {}
        : {
            mrAcquisitionType: oneOf<MrAcquisitionType>(r, 'mrAcquisitionType', at, ['2D', '3D']),
          }),
    };
    // Compile now, so that a bad pattern fails when the protocol is loaded, not when it is used.
    compileMatchRule(rule, at);
    return rule;
  });
}

const REGION_FIELDS = [
  'orientation',
  'orientationToleranceDeg',
  'obliqueMinDeg',
  'centreMm',
  'centreToleranceMm',
  'relativeTo',
  'scaleWithStature',
  'coverageMinMm',
  'fovToleranceRel',
] as const;

/** The region fields given in `value` (a series' `region` or a site's override of it). */
function regionFieldsAt(value: unknown, path: string): Partial<SeriesRegion> {
  const r = objectAt(value, path);
  onlyKnownFields(r, REGION_FIELDS, path);
  const has = (key: string): boolean => r[key] !== undefined;
  const degrees = (key: string, max: number): number => {
    const v = numberAt(r, key, path, { positive: true });
    if (v > max) fail(`${path}.${key}`, `expected an angle in (0, ${max}] degrees, got ${v}`);
    return v;
  };
  return {
    ...(has('orientation') ? { orientation: oneOf(r, 'orientation', path, ORIENTATIONS) } : {}),
    ...(has('orientationToleranceDeg')
      ? { orientationToleranceDeg: degrees('orientationToleranceDeg', 90) }
      : {}),
    // No direction is more than 54.7° (the cube diagonal's angle) from every cardinal axis.
    ...(has('obliqueMinDeg') ? { obliqueMinDeg: degrees('obliqueMinDeg', 54) } : {}),
    ...(has('centreMm') ? { centreMm: vec3At(r, 'centreMm', path) } : {}),
    ...(has('centreToleranceMm')
      ? { centreToleranceMm: vec3At(r, 'centreToleranceMm', path, 0) }
      : {}),
    ...(has('relativeTo') ? { relativeTo: stringAt(r, 'relativeTo', path, KEY_PATTERN) } : {}),
    ...(has('scaleWithStature')
      ? { scaleWithStature: booleanAt(r, 'scaleWithStature', path) }
      : {}),
    ...(has('coverageMinMm')
      ? { coverageMinMm: numberAt(r, 'coverageMinMm', path, { positive: true }) }
      : {}),
    ...(has('fovToleranceRel')
      ? { fovToleranceRel: numberAt(r, 'fovToleranceRel', path, { min: 0 }) }
      : {}),
  };
}

function regionAt(value: unknown, path: string, orientation: Orientation): SeriesRegion {
  const given = value === undefined ? {} : regionFieldsAt(value, path);
  return {
    orientation,
    orientationToleranceDeg: DEFAULT_ORIENTATION_TOLERANCE_DEG,
    obliqueMinDeg: DEFAULT_OBLIQUE_MIN_DEG,
    centreToleranceMm: DEFAULT_CENTRE_TOLERANCE_MM,
    scaleWithStature: true,
    fovToleranceRel: DEFAULT_FOV_TOLERANCE_REL,
    ...given,
  };
}

const SEVERITIES: readonly QualitySeverity[] = ['warn', 'fail'];

function qualityThresholdAt(value: unknown, path: string): QualityThreshold {
  const t = objectAt(value, path);
  onlyKnownFields(t, ['min', 'max', 'severity'], path);
  if (t['min'] === undefined && t['max'] === undefined) fail(path, 'expected "min" and/or "max"');
  const min = t['min'] === undefined ? undefined : numberAt(t, 'min', path);
  const max = t['max'] === undefined ? undefined : numberAt(t, 'max', path);
  if (min !== undefined && max !== undefined && min > max) {
    fail(`${path}.max`, `expected a number ≥ min (${min}), got ${max}`);
  }
  return {
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
    severity: t['severity'] === undefined ? 'fail' : oneOf(t, 'severity', path, SEVERITIES),
  };
}

function qualityAt(value: unknown, path: string): QualityThresholds {
  const q = objectAt(value, path);
  onlyKnownFields(q, QUALITY_METRICS, path);
  const out: Partial<Record<QualityMetric, QualityThreshold>> = {};
  for (const metric of QUALITY_METRICS) {
    if (q[metric] !== undefined) out[metric] = qualityThresholdAt(q[metric], `${path}.${metric}`);
  }
  return out;
}

function normativeAt(value: unknown, path: string): NormativePolicy {
  if (value === undefined) return DEFAULT_NORMATIVE;
  const n = objectAt(value, path);
  onlyKnownFields(n, ['robustZ', 'minHistory', 'metrics', 'severity'], path);
  let metrics = DEFAULT_NORMATIVE.metrics;
  if (n['metrics'] !== undefined) {
    const list = n['metrics'];
    if (!Array.isArray(list))
      fail(`${path}.metrics`, `expected an array of metric names, got ${describe(list)}`);
    metrics = list.map((item: unknown, i) => {
      if (typeof item !== 'string' || !(QUALITY_METRICS as readonly string[]).includes(item)) {
        fail(
          `${path}.metrics[${i}]`,
          `expected one of ${QUALITY_METRICS.map((m) => JSON.stringify(m)).join(', ')}, got ${describe(item)}`,
        );
      }
      return item as QualityMetric;
    });
  }
  return {
    robustZ:
      n['robustZ'] === undefined
        ? DEFAULT_NORMATIVE.robustZ
        : numberAt(n, 'robustZ', path, { positive: true }),
    minHistory:
      n['minHistory'] === undefined
        ? DEFAULT_NORMATIVE.minHistory
        : numberAt(n, 'minHistory', path, { integer: true, min: 2 }),
    metrics,
    severity:
      n['severity'] === undefined
        ? DEFAULT_NORMATIVE.severity
        : oneOf(n, 'severity', path, SEVERITIES),
  };
}

function protocolRegionAt(value: unknown, path: string): ProtocolRegion {
  if (value === undefined) return { referenceStatureM: DEFAULT_REFERENCE_STATURE_M };
  const r = objectAt(value, path);
  onlyKnownFields(r, ['referenceStatureM'], path);
  if (r['referenceStatureM'] === undefined) {
    return { referenceStatureM: DEFAULT_REFERENCE_STATURE_M };
  }
  const stature = numberAt(r, 'referenceStatureM', path, { positive: true });
  if (stature < 0.5 || stature > 2.5) {
    fail(`${path}.referenceStatureM`, `expected a stature in metres (0.5–2.5), got ${stature}`);
  }
  return { referenceStatureM: stature };
}

const SERIES_FIELDS_V1 = [
  'key',
  'seriesNumber',
  'seriesDescription',
  'protocolName',
  'module',
  'bodyPartExamined',
  'landmark',
  'orientation',
  'weighting',
  'required',
  'parameters',
  'tolerances',
] as const;
const SERIES_FIELDS_V2 = [...SERIES_FIELDS_V1, 'match', 'region', 'quality'] as const;

/** Rejects, in a version-1 file, the fields that version 2 added, saying how to get them. */
function noNewFields(object: Json, v2Only: readonly string[], path: string): void {
  for (const key of v2Only) {
    if (object[key] !== undefined) {
      fail(`${path}.${key}`, 'field of schemaVersion 2, but the file has "schemaVersion": 1');
    }
  }
}

function seriesAt(
  value: unknown,
  path: string,
  defaults: ToleranceMap,
  defaultQuality: QualityThresholds,
  version: number,
): ProtocolSeries {
  const s = objectAt(value, path);
  if (version < 2) noNewFields(s, ['match', 'region', 'quality'], path);
  onlyKnownFields(s, SERIES_FIELDS_V2, path);
  const required = s['required'] ?? true;
  if (typeof required !== 'boolean')
    fail(`${path}.required`, `expected a boolean, got ${describe(required)}`);
  const parameters = parametersAt(s['parameters'], `${path}.parameters`);
  const own =
    s['tolerances'] === undefined ? {} : toleranceMapAt(s['tolerances'], `${path}.tolerances`);
  // Resolve now, so that every consumer sees one tolerance per parameter and none is forgotten.
  const tolerances = mergeTolerances(parameters, own, undefined, defaults);
  for (const name of NUMERIC_PARAMETERS) {
    if (parameters[name] !== undefined && tolerances[name] === undefined) {
      fail(`${path}.tolerances.${name}`, 'missing, and defaultTolerances has none');
    }
  }
  const orientation = oneOf(s, 'orientation', path, ORIENTATIONS);
  const match = s['match'] === undefined ? undefined : matchRulesAt(s['match'], `${path}.match`);
  const quality = s['quality'] === undefined ? {} : qualityAt(s['quality'], `${path}.quality`);
  return {
    key: stringAt(s, 'key', path, KEY_PATTERN),
    seriesNumber: numberAt(s, 'seriesNumber', path, { integer: true, min: 1 }),
    seriesDescription: stringAt(s, 'seriesDescription', path),
    protocolName: stringAt(s, 'protocolName', path),
    // What only the synthetic generator needs is optional: a learned protocol cannot know it.
    ...(s['module'] === undefined ? {} : { module: oneOf(s, 'module', path, PROTOCOL_MODULES) }),
    ...(s['bodyPartExamined'] === undefined
      ? {}
      : { bodyPartExamined: stringAt(s, 'bodyPartExamined', path, CS_PATTERN, 16) }),
    ...(s['landmark'] === undefined ? {} : { landmark: oneOf(s, 'landmark', path, LANDMARKS) }),
    orientation,
    ...(s['weighting'] === undefined ? {} : { weighting: oneOf(s, 'weighting', path, WEIGHTINGS) }),
    required,
    parameters,
    tolerances,
    ...(match === undefined ? {} : { match }),
    region: regionAt(s['region'], `${path}.region`, orientation),
    // Per metric, the series' own threshold replaces the default one.
    quality: { ...defaultQuality, ...quality },
  };
}

const SCANNER_FIELDS = ['manufacturer', 'manufacturerModelName', 'magneticFieldStrengthT'] as const;

function scannerFieldsAt(value: unknown, path: string): Partial<ProtocolScanner> {
  const s = objectAt(value, path);
  onlyKnownFields(s, SCANNER_FIELDS, path);
  return {
    ...(s['manufacturer'] === undefined ? {} : { manufacturer: stringAt(s, 'manufacturer', path) }),
    ...(s['manufacturerModelName'] === undefined
      ? {}
      : { manufacturerModelName: stringAt(s, 'manufacturerModelName', path) }),
    ...(s['magneticFieldStrengthT'] === undefined
      ? {}
      : {
          magneticFieldStrengthT: numberAt(s, 'magneticFieldStrengthT', path, { positive: true }),
        }),
  };
}

function scannerAt(value: unknown, path: string): ProtocolScanner {
  const s = objectAt(value, path);
  onlyKnownFields(s, SCANNER_FIELDS, path);
  return {
    manufacturer: stringAt(s, 'manufacturer', path),
    manufacturerModelName: stringAt(s, 'manufacturerModelName', path),
    magneticFieldStrengthT: numberAt(s, 'magneticFieldStrengthT', path, { positive: true }),
  };
}

const SITE_SERIES_FIELDS = ['parameters', 'tolerances', 'quality', 'region', 'required'] as const;

function siteSeriesAt(value: unknown, path: string, series: ProtocolSeries): SiteSeriesOverride {
  const o = objectAt(value, path);
  onlyKnownFields(o, SITE_SERIES_FIELDS, path);
  let parameters: Partial<SeriesParameters> | undefined;
  if (o['parameters'] !== undefined) {
    const at = `${path}.parameters`;
    const given = objectAt(o['parameters'], at);
    // Validate the override as part of the merged parameters, so that cross-field rules (an
    // inversion time exactly with IR) hold for what the site acquires; errors name the override.
    // As in protocolForSite, a sequence without IR given without an inversion time drops it.
    const merged: Json = { ...series.parameters, ...given };
    const sequence = given['scanningSequence'];
    if (
      Array.isArray(sequence) &&
      !sequence.includes('IR') &&
      given['inversionTimeMs'] === undefined
    ) {
      delete merged['inversionTimeMs'];
    }
    const valid = parametersAt(merged, at);
    parameters = Object.fromEntries(
      Object.keys(given)
        .filter((k) => !k.startsWith('$'))
        .map((k) => [k, valid[k as keyof SeriesParameters]]),
    );
  }
  const required = o['required'] === undefined ? undefined : booleanAt(o, 'required', path);
  return {
    ...(parameters === undefined ? {} : { parameters }),
    ...(o['tolerances'] === undefined
      ? {}
      : { tolerances: toleranceMapAt(o['tolerances'], `${path}.tolerances`) }),
    ...(o['quality'] === undefined ? {} : { quality: qualityAt(o['quality'], `${path}.quality`) }),
    ...(o['region'] === undefined ? {} : { region: regionFieldsAt(o['region'], `${path}.region`) }),
    ...(required === undefined ? {} : { required }),
  };
}

function sitesAt(
  value: unknown,
  path: string,
  series: readonly ProtocolSeries[],
): Record<string, SiteOverride> {
  if (value === undefined) return {};
  const sites = objectAt(value, path);
  const out: Record<string, SiteOverride> = {};
  for (const [siteId, siteJson] of Object.entries(sites)) {
    if (siteId.startsWith('$')) continue;
    const at = `${path}.${siteId}`;
    if (!SITE_ID_PATTERN.test(siteId) || siteId.length > 64) {
      fail(at, `expected a site identifier matching ${String(SITE_ID_PATTERN)} (≤ 64 characters)`);
    }
    const site = objectAt(siteJson, at);
    onlyKnownFields(site, ['scanner', 'series'], at);
    let seriesOverrides: Record<string, SiteSeriesOverride> | undefined;
    if (site['series'] !== undefined) {
      const byKey = objectAt(site['series'], `${at}.series`);
      seriesOverrides = {};
      for (const [key, overrideJson] of Object.entries(byKey)) {
        if (key.startsWith('$')) continue;
        const target = series.find((s) => s.key === key);
        if (target === undefined) {
          fail(
            `${at}.series.${key}`,
            `unknown series key (known: ${series.map((s) => s.key).join(', ')})`,
          );
        }
        seriesOverrides[key] = siteSeriesAt(overrideJson, `${at}.series.${key}`, target);
      }
    }
    out[siteId] = {
      ...(site['scanner'] === undefined
        ? {}
        : { scanner: scannerFieldsAt(site['scanner'], `${at}.scanner`) }),
      ...(seriesOverrides === undefined ? {} : { series: seriesOverrides }),
    };
  }
  return out;
}

/** Checks what only the whole protocol can tell: `relativeTo` targets, complete site tolerances. */
function checkResolved(protocol: Protocol): void {
  const keys = protocol.series.map((s) => s.key);
  const checkRelative = (relativeTo: string | undefined, self: string, path: string): void => {
    if (relativeTo === undefined) return;
    if (relativeTo === self) fail(path, 'a series cannot be relative to itself');
    if (!keys.includes(relativeTo)) {
      fail(path, `unknown series key ${JSON.stringify(relativeTo)} (known: ${keys.join(', ')})`);
    }
  };
  protocol.series.forEach((s, i) => {
    checkRelative(s.region.relativeTo, s.key, `series[${i}].region.relativeTo`);
  });
  for (const siteId of Object.keys(protocol.sites)) {
    const resolved = protocolForSite(protocol, siteId);
    for (const s of resolved.series) {
      const at = `sites.${siteId}.series.${s.key}`;
      checkRelative(s.region.relativeTo, s.key, `${at}.region.relativeTo`);
      for (const name of NUMERIC_PARAMETERS) {
        if (s.parameters[name] !== undefined && s.tolerances[name] === undefined) {
          fail(
            `${at}.tolerances.${name}`,
            'missing, and neither the series nor defaultTolerances has one',
          );
        }
      }
    }
  }
}

const TOP_FIELDS_V1 = [
  'schemaVersion',
  'name',
  'protocolVersion',
  'description',
  'references',
  'scanner',
  'defaultTolerances',
  'series',
] as const;
const TOP_FIELDS_V2 = [...TOP_FIELDS_V1, 'region', 'defaultQuality', 'normative', 'sites'] as const;

/**
 * Validates a parsed protocol file and returns it typed and resolved: every series' tolerances,
 * quality thresholds (over `defaultQuality`) and region (with its defaults), the protocol's region
 * and normative settings, and validated site overrides. Match patterns are compiled. Throws
 * `ERR_PROTOCOL_INVALID` naming the path of the first bad field and what was expected, e.g.
 * `series[3].parameters.echoTimeMs: expected a number, got "2.5"`.
 *
 * @remarks
 * Reads `schemaVersion` 1 and 2 (see {@link SUPPORTED_PROTOCOL_SCHEMA_VERSIONS}) and always returns
 * {@link PROTOCOL_SCHEMA_VERSION}; a version-1 file gets the defaults of every newer field, and
 * may not use them. Strict on purpose: unknown fields are errors (a misspelt parameter would
 * otherwise go unchecked in QA); fields starting with `$` are annotations and ignored. The result
 * is plain JSON-serialisable data that loads back to an equal protocol. The schema is documented
 * in `examples/protocols/README.md`.
 *
 * @example
 * ```ts
 * const protocol = loadProtocol(JSON.parse(await readFile(path, 'utf8')));
 * protocol.series[0].tolerances.echoTimeMs; // { rel: 0.02 }
 * protocol.series[0].region.orientationToleranceDeg; // 20
 * ```
 */
export function loadProtocol(json: unknown): Protocol {
  const root = objectAt(json, '(root)');
  const schemaVersion = root['schemaVersion'];
  if (
    typeof schemaVersion !== 'number' ||
    !SUPPORTED_PROTOCOL_SCHEMA_VERSIONS.includes(schemaVersion)
  ) {
    fail(
      'schemaVersion',
      `expected ${SUPPORTED_PROTOCOL_SCHEMA_VERSIONS.join(' or ')}, got ${describe(schemaVersion)}`,
    );
  }
  if (schemaVersion < 2) {
    noNewFields(root, ['region', 'defaultQuality', 'normative', 'sites'], '(root)');
  }
  onlyKnownFields(root, TOP_FIELDS_V2, '(root)');
  const references = root['references'] ?? [];
  if (!Array.isArray(references) || !references.every((r) => typeof r === 'string')) {
    fail('references', `expected an array of strings, got ${describe(references)}`);
  }
  const defaultTolerances =
    root['defaultTolerances'] === undefined
      ? {}
      : toleranceMapAt(root['defaultTolerances'], 'defaultTolerances');
  const defaultQuality =
    root['defaultQuality'] === undefined ? {} : qualityAt(root['defaultQuality'], 'defaultQuality');
  const seriesJson = root['series'];
  if (!Array.isArray(seriesJson)) fail('series', `expected an array, got ${describe(seriesJson)}`);
  if (seriesJson.length === 0) fail('series', 'expected at least one series');
  const series = seriesJson.map((s, i) =>
    seriesAt(s, `series[${i}]`, defaultTolerances, defaultQuality, schemaVersion),
  );
  const keys = new Map<string, number>();
  const numbers = new Map<number, number>();
  series.forEach((s, i) => {
    const sameKey = keys.get(s.key);
    if (sameKey !== undefined)
      fail(`series[${i}].key`, `duplicate "${s.key}" (also series[${sameKey}])`);
    keys.set(s.key, i);
    const sameNumber = numbers.get(s.seriesNumber);
    if (sameNumber !== undefined) {
      fail(`series[${i}].seriesNumber`, `duplicate ${s.seriesNumber} (also series[${sameNumber}])`);
    }
    numbers.set(s.seriesNumber, i);
  });
  const protocol: Protocol = {
    schemaVersion: PROTOCOL_SCHEMA_VERSION,
    name: stringAt(root, 'name', '(root)', /^[a-z0-9][a-z0-9._-]*$/),
    protocolVersion: stringAt(root, 'protocolVersion', '(root)'),
    description: stringAt(root, 'description', '(root)', undefined, 2000),
    references,
    scanner: scannerAt(root['scanner'], 'scanner'),
    defaultTolerances,
    series,
    region: protocolRegionAt(root['region'], 'region'),
    defaultQuality,
    normative: normativeAt(root['normative'], 'normative'),
    sites: sitesAt(root['sites'], 'sites', series),
  };
  checkResolved(protocol);
  return protocol;
}

/** Whether `path` names a YAML file (`.yaml` or `.yml`, any case). */
function isYamlPath(path: string): boolean {
  const ext = extname(path).toLowerCase();
  return ext === '.yaml' || ext === '.yml';
}

function parseText(text: string, path: string): unknown {
  if (isYamlPath(path)) {
    try {
      // YAML 1.2 core schema: `yes`/`no` stay strings; duplicate keys are errors.
      return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
    } catch (error) {
      if (error instanceof YAMLParseError) {
        const at = error.linePos?.[0];
        const where = at === undefined ? '' : ` at line ${at.line}, column ${at.col}`;
        // The pretty message repeats the position and adds a code excerpt: keep its first clause.
        const reason = (error.message.split('\n')[0] ?? '').replace(
          / at line \d+, column \d+:?$/,
          '',
        );
        throw new PlatformError('ERR_PROTOCOL_INVALID', `${path}: not YAML${where}: ${reason}`, {
          cause: error,
        });
      }
      throw new PlatformError('ERR_PROTOCOL_INVALID', `${path}: not YAML: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PlatformError('ERR_PROTOCOL_INVALID', `${path}: not JSON: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

/**
 * Reads and validates a protocol file: YAML when its name ends in `.yaml` or `.yml`, JSON
 * otherwise. Throws `ERR_IO` when it cannot be read and `ERR_PROTOCOL_INVALID` when it does not
 * parse (for YAML with the line and column) or is not a valid protocol (see {@link loadProtocol}).
 *
 * @param file - a path or `file:` URL; {@link DEFAULT_PROTOCOL_URL} when omitted.
 */
export async function readProtocolFile(
  file: string | URL = DEFAULT_PROTOCOL_URL,
): Promise<Protocol> {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PlatformError('ERR_IO', `cannot read protocol ${path}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  const json = parseText(text, path);
  try {
    return loadProtocol(json);
  } catch (error) {
    if (error instanceof PlatformError) {
      throw new PlatformError(error.code, `${path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
