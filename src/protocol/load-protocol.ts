import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PlatformError, errorMessage } from '../core/index.js';
import {
  CATEGORICAL_PARAMETERS,
  LANDMARKS,
  NUMERIC_PARAMETERS,
  ORIENTATIONS,
  PROTOCOL_MODULES,
  PROTOCOL_SCHEMA_VERSION,
  WEIGHTINGS,
} from './protocol.js';
import type {
  NumericParameter,
  Protocol,
  ProtocolScanner,
  ProtocolSeries,
  SeriesParameters,
  Tolerance,
  ToleranceMap,
} from './protocol.js';

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

const SERIES_FIELDS = [
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

function seriesAt(value: unknown, path: string, defaults: ToleranceMap): ProtocolSeries {
  const s = objectAt(value, path);
  onlyKnownFields(s, SERIES_FIELDS, path);
  const required = s['required'] ?? true;
  if (typeof required !== 'boolean')
    fail(`${path}.required`, `expected a boolean, got ${describe(required)}`);
  const parameters = parametersAt(s['parameters'], `${path}.parameters`);
  const own =
    s['tolerances'] === undefined ? {} : toleranceMapAt(s['tolerances'], `${path}.tolerances`);
  // Resolve now, so that every consumer sees one tolerance per parameter and none is forgotten.
  const tolerances: Partial<Record<NumericParameter, Tolerance>> = {};
  for (const name of NUMERIC_PARAMETERS) {
    if (parameters[name] === undefined) continue;
    const tolerance = own[name] ?? defaults[name];
    if (tolerance === undefined) {
      fail(`${path}.tolerances.${name}`, 'missing, and defaultTolerances has none');
    }
    tolerances[name] = tolerance;
  }
  return {
    key: stringAt(s, 'key', path, /^[a-z0-9][a-z0-9_-]*$/),
    seriesNumber: numberAt(s, 'seriesNumber', path, { integer: true, min: 1 }),
    seriesDescription: stringAt(s, 'seriesDescription', path),
    protocolName: stringAt(s, 'protocolName', path),
    module: oneOf(s, 'module', path, PROTOCOL_MODULES),
    bodyPartExamined: stringAt(s, 'bodyPartExamined', path, CS_PATTERN, 16),
    landmark: oneOf(s, 'landmark', path, LANDMARKS),
    orientation: oneOf(s, 'orientation', path, ORIENTATIONS),
    weighting: oneOf(s, 'weighting', path, WEIGHTINGS),
    required,
    parameters,
    tolerances,
  };
}

function scannerAt(value: unknown, path: string): ProtocolScanner {
  const s = objectAt(value, path);
  onlyKnownFields(s, ['manufacturer', 'manufacturerModelName', 'magneticFieldStrengthT'], path);
  return {
    manufacturer: stringAt(s, 'manufacturer', path),
    manufacturerModelName: stringAt(s, 'manufacturerModelName', path),
    magneticFieldStrengthT: numberAt(s, 'magneticFieldStrengthT', path, { positive: true }),
  };
}

const TOP_FIELDS = [
  'schemaVersion',
  'name',
  'protocolVersion',
  'description',
  'references',
  'scanner',
  'defaultTolerances',
  'series',
] as const;

/**
 * Validates a parsed protocol file and returns it typed, with every series' tolerances resolved.
 * Throws `ERR_PROTOCOL_INVALID` naming the path of the first bad field, e.g.
 * `series[3].parameters.echoTimeMs: expected a number, got "2.5"`.
 *
 * @remarks
 * Strict on purpose: unknown fields are errors (a misspelt parameter would otherwise go unchecked
 * in QA); fields starting with `$` are annotations and ignored. The schema is documented in
 * `examples/protocols/README.md`.
 *
 * @example
 * ```ts
 * const protocol = loadProtocol(JSON.parse(await readFile(path, 'utf8')));
 * protocol.series[0].tolerances.echoTimeMs; // { rel: 0.02 }
 * ```
 */
export function loadProtocol(json: unknown): Protocol {
  const root = objectAt(json, '(root)');
  const schemaVersion = root['schemaVersion'];
  if (schemaVersion !== PROTOCOL_SCHEMA_VERSION) {
    fail('schemaVersion', `expected ${PROTOCOL_SCHEMA_VERSION}, got ${describe(schemaVersion)}`);
  }
  onlyKnownFields(root, TOP_FIELDS, '(root)');
  const references = root['references'] ?? [];
  if (!Array.isArray(references) || !references.every((r) => typeof r === 'string')) {
    fail('references', `expected an array of strings, got ${describe(references)}`);
  }
  const defaultTolerances =
    root['defaultTolerances'] === undefined
      ? {}
      : toleranceMapAt(root['defaultTolerances'], 'defaultTolerances');
  const seriesJson = root['series'];
  if (!Array.isArray(seriesJson)) fail('series', `expected an array, got ${describe(seriesJson)}`);
  if (seriesJson.length === 0) fail('series', 'expected at least one series');
  const series = seriesJson.map((s, i) => seriesAt(s, `series[${i}]`, defaultTolerances));
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
  return {
    schemaVersion: PROTOCOL_SCHEMA_VERSION,
    name: stringAt(root, 'name', '(root)', /^[a-z0-9][a-z0-9._-]*$/),
    protocolVersion: stringAt(root, 'protocolVersion', '(root)'),
    description: stringAt(root, 'description', '(root)', undefined, 2000),
    references,
    scanner: scannerAt(root['scanner'], 'scanner'),
    defaultTolerances,
    series,
  };
}

/**
 * Reads and validates a protocol file. Throws `ERR_IO` when it cannot be read and
 * `ERR_PROTOCOL_INVALID` when it is not JSON or not a valid protocol.
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlatformError('ERR_PROTOCOL_INVALID', `${path}: not JSON: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  try {
    return loadProtocol(json);
  } catch (error) {
    if (error instanceof PlatformError) {
      throw new PlatformError(error.code, `${path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
