import { NUMERIC_PARAMETERS, isWithinTolerance } from '../protocol/index.js';
import type { NumericParameter, Protocol, ProtocolSeries, Tolerance } from '../protocol/index.js';
import type { QaCheck } from './qa-result.js';
import type { SeriesObservation } from './series-observation.js';

/** Units of the numeric parameters, for reports. */
export const PARAMETER_UNITS: Readonly<Record<NumericParameter, string>> = {
  repetitionTimeMs: 'ms',
  echoTimeMs: 'ms',
  inversionTimeMs: 'ms',
  flipAngleDeg: 'deg',
  sliceThicknessMm: 'mm',
  spacingBetweenSlicesMm: 'mm',
  pixelSpacingMm: 'mm',
  rows: '1',
  columns: '1',
  slices: '1',
  numberOfAverages: '1',
  pixelBandwidthHz: 'Hz/pixel',
  echoTrainLength: '1',
};

/** `±1 %`, `±0.05 mm`, `±0.05 mm + 1 %`, or `exact`. */
export function formatTolerance(tolerance: Tolerance, unit: string): string {
  const parts: string[] = [];
  if ((tolerance.abs ?? 0) > 0) parts.push(`${tolerance.abs} ${unit === '1' ? '' : unit}`.trim());
  if ((tolerance.rel ?? 0) > 0)
    parts.push(`${Number(((tolerance.rel ?? 0) * 100).toPrecision(6))} %`);
  return parts.length === 0 ? 'exact' : `±${parts.join(' + ')}`;
}

function formatValue(value: number | readonly number[]): string {
  return typeof value === 'number' ? String(value) : value.join('\\');
}

function checkNumeric(
  series: ProtocolSeries,
  observed: SeriesObservation,
  name: Exclude<NumericParameter, 'slices'>,
): QaCheck | undefined {
  const expected = series.parameters[name];
  if (expected === undefined) return undefined;
  const tolerance = series.tolerances[name] ?? {};
  const unit = PARAMETER_UNITS[name];
  const base = {
    check: `param.${name}`,
    seriesKey: series.key,
    seriesInstanceUid: observed.seriesInstanceUid,
    expected: formatValue(expected),
    tolerance: formatTolerance(tolerance, unit),
    unit,
  };
  const actual = observed.numeric[name];
  if (actual === undefined) {
    return {
      ...base,
      status: 'fail',
      value: null,
      reason: `${name} is missing from the headers of ${series.key}; the protocol says ${formatValue(expected)} ${unit}`,
    };
  }
  const want: readonly number[] = typeof expected === 'number' ? [expected] : expected;
  const got: readonly number[] = typeof actual === 'number' ? [actual] : actual;
  const ok =
    want.length === got.length &&
    want.every((w, i) => isWithinTolerance(got[i] ?? NaN, w, tolerance));
  return {
    ...base,
    status: ok ? 'pass' : 'fail',
    value: typeof actual === 'number' ? actual : [...actual],
    reason: ok
      ? `${name} ${formatValue(actual)} ${unit} conforms`
      : `${name} is ${formatValue(actual)} ${unit} in ${series.key}; the protocol says ${formatValue(expected)} ${unit} (${base.tolerance})`,
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const norm = (x: readonly string[]): string =>
    [...new Set(x.map((v) => v.trim().toUpperCase()))].sort().join('\\');
  return norm(a) === norm(b);
}

function checkCategorical(
  key: string,
  name: string,
  expected: string | readonly string[],
  actual: string | readonly string[] | undefined,
  observed: SeriesObservation,
): QaCheck {
  const shown = (v: string | readonly string[]): string =>
    typeof v === 'string' ? v : v.join('\\');
  const base = {
    check: `param.${name}`,
    seriesKey: key,
    seriesInstanceUid: observed.seriesInstanceUid,
    expected: shown(expected),
    tolerance: typeof expected === 'string' ? 'exact' : 'same set',
  };
  if (actual === undefined) {
    return {
      ...base,
      status: 'fail',
      value: null,
      reason: `${name} is missing from the headers of ${key}; the protocol says ${shown(expected)}`,
    };
  }
  const ok =
    typeof expected === 'string' || typeof actual === 'string'
      ? shown(expected).trim().toUpperCase() === shown(actual).trim().toUpperCase()
      : sameSet(expected, actual);
  return {
    ...base,
    status: ok ? 'pass' : 'fail',
    value: shown(actual),
    reason: ok
      ? `${name} ${shown(actual)} conforms`
      : `${name} is ${shown(actual)} in ${key}; the protocol says ${shown(expected)}`,
  };
}

/**
 * Parameter conformity of one series (mrQA's horizontal audit, with per-parameter tolerances):
 * every numeric parameter the protocol series states, compared as
 * `|actual − expected| ≤ abs + rel·|expected|`; categorical ones exactly (as sets for multi-valued attributes, upper-cased and
 * trimmed); and the scanner's field strength. Manufacturer and model differences are warnings:
 * a site may run another model under the same protocol (give it a site override).
 */
export function checkParameters(
  protocol: Protocol,
  series: ProtocolSeries,
  observed: SeriesObservation,
): QaCheck[] {
  const checks: QaCheck[] = [];
  for (const name of NUMERIC_PARAMETERS) {
    if (name === 'slices') continue; // completeness.slices
    const check = checkNumeric(series, observed, name);
    if (check !== undefined) checks.push(check);
  }
  const p = series.parameters;
  checks.push(
    checkCategorical(
      series.key,
      'scanningSequence',
      p.scanningSequence,
      observed.scanningSequence,
      observed,
    ),
    checkCategorical(
      series.key,
      'sequenceVariant',
      p.sequenceVariant,
      observed.sequenceVariant,
      observed,
    ),
    checkCategorical(series.key, 'scanOptions', p.scanOptions, observed.scanOptions, observed),
    checkCategorical(
      series.key,
      'mrAcquisitionType',
      p.mrAcquisitionType,
      observed.mrAcquisitionType,
      observed,
    ),
    checkCategorical(
      series.key,
      'phaseEncodingDirection',
      p.phaseEncodingDirection,
      observed.phaseEncodingDirection,
      observed,
    ),
  );
  const field = observed.magneticFieldStrengthT;
  const wantField = protocol.scanner.magneticFieldStrengthT;
  const fieldOk = field !== undefined && isWithinTolerance(field, wantField, { abs: 0.05 });
  checks.push({
    check: 'param.scanner.magneticFieldStrengthT',
    status: fieldOk ? 'pass' : 'fail',
    seriesKey: series.key,
    seriesInstanceUid: observed.seriesInstanceUid,
    value: field ?? null,
    expected: String(wantField),
    tolerance: '±0.05 T',
    unit: 'T',
    reason: fieldOk
      ? `field strength ${field} T conforms`
      : `field strength is ${field ?? 'missing'} T in ${series.key}; the protocol says ${wantField} T`,
  });
  for (const [name, want, got] of [
    ['manufacturer', protocol.scanner.manufacturer, observed.manufacturer],
    [
      'manufacturerModelName',
      protocol.scanner.manufacturerModelName,
      observed.manufacturerModelName,
    ],
  ] as const) {
    const ok = got?.trim().toUpperCase() === want.trim().toUpperCase();
    checks.push({
      check: `param.scanner.${name}`,
      status: ok ? 'pass' : 'warn',
      seriesKey: series.key,
      seriesInstanceUid: observed.seriesInstanceUid,
      value: got ?? null,
      expected: want,
      tolerance: 'exact',
      reason: ok
        ? `${name} ${got} conforms`
        : `${name} is ${got ?? 'missing'} in ${series.key}; the protocol names ${want} (add a site override if this site's scanner differs)`,
    });
  }
  return checks;
}
