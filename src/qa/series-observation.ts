import {
  PlatformError,
  TAG,
  cross,
  dot,
  firstNumber,
  firstString,
  numbers,
} from '../core/index.js';
import type { DicomJson, Vec3 } from '../core/index.js';
import { NUMERIC_PARAMETERS, PARAMETER_TAGS } from '../protocol/index.js';
import type { NumericParameter } from '../protocol/index.js';
import type { QaMetricValues } from './qa-result.js';

/**
 * Where a series lies in patient coordinates (LPS, millimetres), measured from its headers.
 *
 * @remarks
 * The centre is the middle of the slab: halfway between the centres of the first and last
 * slice, each `ImagePositionPatient + row·(columns−1)/2·Δcol + column·(rows−1)/2·Δrow`
 * (PS3.3 C.7.6.2.1.1).
 */
export interface SeriesGeometryObservation {
  /** Direction cosines of a row (first three values of Image Orientation (Patient)). */
  readonly rowDirection: Vec3;
  /** Direction cosines of a column. */
  readonly columnDirection: Vec3;
  /** Slice normal, row × column. */
  readonly normal: Vec3;
  /** Centre of the slab, in mm (LPS). */
  readonly centreMm: Vec3;
  /** Extent along the normal, first to last slice position plus one slice thickness, in mm. */
  readonly extentMm: number;
  /** In-plane field of view `[rows·Δrow, columns·Δcol]`, in mm. */
  readonly fovMm: readonly [alongColumns: number, alongRows: number];
  /** Distances between neighbouring slice positions along the normal, sorted, in mm. */
  readonly sliceGapsMm: readonly number[];
}

/** What QA knows about one received series: its headers, its geometry and its image metrics. */
export interface SeriesObservation {
  readonly seriesInstanceUid: string;
  readonly seriesDescription: string;
  readonly protocolName?: string;
  readonly seriesNumber?: number;
  readonly modality: string;
  /** Series date and time `YYYYMMDDHHMMSS` (for ordering repeats), when known. */
  readonly acquired?: string;
  readonly scanningSequence: readonly string[];
  readonly sequenceVariant: readonly string[];
  readonly scanOptions: readonly string[];
  readonly mrAcquisitionType?: string;
  readonly phaseEncodingDirection?: string;
  /** Numeric parameters as the headers state them; `pixelSpacingMm` is `[row, column]`. */
  readonly numeric: Readonly<Partial<Record<NumericParameter, number | readonly number[]>>>;
  readonly manufacturer?: string;
  readonly manufacturerModelName?: string;
  /** Magnetic Field Strength (0018,0087), in tesla. */
  readonly magneticFieldStrengthT?: number;
  /** Number of slices: single-frame instances, or frames of a multi-frame instance. */
  readonly slices: number;
  /** Geometry, when every slice has position and orientation. */
  readonly geometry?: SeriesGeometryObservation;
  /** Image-quality metrics computed from the pixels (absent until computed). */
  readonly metrics?: QaMetricValues;
}

/** What QA knows about one session (one study). */
export interface SessionObservation {
  readonly studyInstanceUid: string;
  /** Pseudonymized Patient ID. */
  readonly subject: string;
  readonly site?: string;
  readonly visit?: string;
  /** Study Date, YYYYMMDD. */
  readonly studyDate?: string;
  /** Patient's Size (0010,1020), in metres (kept by the Retain Patient Characteristics option). */
  readonly patientSizeM?: number;
  readonly series: readonly SeriesObservation[];
}

const SCANNING_SEQUENCE = '00180020';
const SEQUENCE_VARIANT = '00180021';
const SCAN_OPTIONS = '00180022';
const MR_ACQUISITION_TYPE = '00180023';
const PHASE_ENCODING_DIRECTION = '00181312';
const SERIES_TIME = '00080031';

function strings(dataset: DicomJson, tag: string): readonly string[] {
  const values = dataset[tag]?.Value ?? [];
  return values
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim().toUpperCase())
    .filter((v) => v !== '');
}

function vec3(values: readonly number[], offset: number): Vec3 {
  return [values[offset] ?? NaN, values[offset + 1] ?? NaN, values[offset + 2] ?? NaN];
}

function add(a: Vec3, b: Vec3, s: number): Vec3 {
  return [a[0] + b[0] * s, a[1] + b[1] * s, a[2] + b[2] * s];
}

/**
 * Measures a series' geometry from its instances' headers, or returns undefined when a slice lacks
 * position, orientation or pixel spacing (QA then reports the region checks as not measurable).
 */
function measureGeometry(instances: readonly DicomJson[]): SeriesGeometryObservation | undefined {
  const first = instances[0];
  if (first === undefined) return undefined;
  const iop = numbers(first, TAG.ImageOrientationPatient);
  const spacing = numbers(first, TAG.PixelSpacing);
  const rows = firstNumber(first, TAG.Rows);
  const columns = firstNumber(first, TAG.Columns);
  if (iop?.length !== 6 || spacing?.length !== 2 || rows === undefined || columns === undefined) {
    return undefined;
  }
  const row = vec3(iop, 0);
  const column = vec3(iop, 3);
  const normal = cross(row, column);
  const [dRow, dCol] = spacing as readonly [number, number];
  const positions: Vec3[] = [];
  for (const instance of instances) {
    const p = numbers(instance, TAG.ImagePositionPatient);
    if (p?.length !== 3) return undefined;
    positions.push(vec3(p, 0));
  }
  positions.sort((a, b) => dot(a, normal) - dot(b, normal));
  const firstPos = positions[0];
  const lastPos = positions[positions.length - 1];
  if (firstPos === undefined || lastPos === undefined) return undefined;
  const inPlane = (p: Vec3): Vec3 =>
    add(add(p, row, ((columns - 1) / 2) * dCol), column, ((rows - 1) / 2) * dRow);
  const a = inPlane(firstPos);
  const b = inPlane(lastPos);
  const gaps: number[] = [];
  for (let k = 1; k < positions.length; k++) {
    const p = positions[k];
    const q = positions[k - 1];
    if (p !== undefined && q !== undefined) gaps.push(dot(p, normal) - dot(q, normal));
  }
  const thickness = firstNumber(first, TAG.SliceThickness) ?? 0;
  return {
    rowDirection: row,
    columnDirection: column,
    normal,
    centreMm: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2],
    extentMm: dot(lastPos, normal) - dot(firstPos, normal) + thickness,
    fovMm: [rows * dRow, columns * dCol],
    sliceGapsMm: gaps,
  };
}

/**
 * Reads what QA needs from the headers of one series' instances (DICOM JSON, PS3.18 Annex F),
 * in any order.
 *
 * @throws PlatformError `ERR_QA_INPUT` when `instances` is empty.
 */
export function observeSeries(
  instances: readonly DicomJson[],
  metrics?: QaMetricValues,
): SeriesObservation {
  const first = instances[0];
  if (first === undefined) {
    throw new PlatformError('ERR_QA_INPUT', 'a series to check has no instances');
  }
  const numeric: Partial<Record<NumericParameter, number | readonly number[]>> = {};
  for (const [name, where] of Object.entries(PARAMETER_TAGS) as [
    string,
    { readonly tag: string } | undefined,
  ][]) {
    if (where === undefined || !(NUMERIC_PARAMETERS as readonly string[]).includes(name)) continue;
    if (name === 'pixelSpacingMm') {
      const ps = numbers(first, where.tag);
      if (ps !== undefined) numeric.pixelSpacingMm = ps;
      continue;
    }
    const value = firstNumber(first, where.tag);
    if (value !== undefined) numeric[name as NumericParameter] = value;
  }
  const frames = firstNumber(first, TAG.NumberOfFrames);
  const slices = instances.length === 1 && frames !== undefined ? frames : instances.length;
  const date = firstString(first, TAG.SeriesDate) ?? firstString(first, TAG.StudyDate);
  const time = firstString(first, SERIES_TIME);
  const geometry = measureGeometry(instances);
  const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
    value === undefined ? {} : ({ [key]: value } as Record<K, V>);
  return {
    seriesInstanceUid: firstString(first, TAG.SeriesInstanceUID) ?? '',
    seriesDescription: firstString(first, TAG.SeriesDescription) ?? '',
    ...optional('protocolName', firstString(first, TAG.ProtocolName)),
    ...optional('seriesNumber', firstNumber(first, TAG.SeriesNumber)),
    modality: firstString(first, TAG.Modality) ?? '',
    ...optional(
      'acquired',
      date === undefined ? undefined : `${date}${(time ?? '').slice(0, 6).padEnd(6, '0')}`,
    ),
    scanningSequence: strings(first, SCANNING_SEQUENCE),
    sequenceVariant: strings(first, SEQUENCE_VARIANT),
    scanOptions: strings(first, SCAN_OPTIONS),
    ...optional('mrAcquisitionType', firstString(first, MR_ACQUISITION_TYPE)?.toUpperCase()),
    ...optional(
      'phaseEncodingDirection',
      firstString(first, PHASE_ENCODING_DIRECTION)?.toUpperCase(),
    ),
    numeric,
    ...optional('manufacturer', firstString(first, TAG.Manufacturer)),
    ...optional('manufacturerModelName', firstString(first, TAG.ManufacturerModelName)),
    ...optional('magneticFieldStrengthT', firstNumber(first, TAG.MagneticFieldStrength)),
    slices,
    ...optional('geometry', geometry),
    ...optional('metrics', metrics),
  };
}
