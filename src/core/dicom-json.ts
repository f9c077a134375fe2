/**
 * One attribute in the DICOM JSON model (PS3.18 Annex F.2): its VR plus exactly one of
 * `Value`, `InlineBinary` (base64) or `BulkDataURI`; none of them for an empty value.
 */
export interface DicomAttribute {
  readonly vr: string;
  readonly Value?: readonly unknown[];
  readonly InlineBinary?: string;
  readonly BulkDataURI?: string;
}

/**
 * A dataset in the DICOM JSON model (PS3.18 Annex F): keys are tags as eight upper-case hex
 * digits (`'0020000D'`). This is the stored and exchanged form of metadata in the platform.
 */
export type DicomJson = Readonly<Record<string, DicomAttribute>>;

/** Tags the platform reads by name, as eight upper-case hex digits (PS3.6). */
export const TAG = {
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  StudyDate: '00080020',
  SeriesDate: '00080021',
  AcquisitionDate: '00080022',
  ContentDate: '00080023',
  StudyTime: '00080030',
  AccessionNumber: '00080050',
  Modality: '00080060',
  Manufacturer: '00080070',
  InstitutionName: '00080080',
  StationName: '00081010',
  StudyDescription: '00081030',
  SeriesDescription: '0008103E',
  ManufacturerModelName: '00081090',
  PatientName: '00100010',
  PatientID: '00100020',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  PatientAge: '00101010',
  PatientSize: '00101020',
  PatientWeight: '00101030',
  BodyPartExamined: '00180015',
  SliceThickness: '00180050',
  RepetitionTime: '00180080',
  EchoTime: '00180081',
  MagneticFieldStrength: '00180087',
  SpacingBetweenSlices: '00180088',
  ProtocolName: '00181030',
  GantryDetectorTilt: '00181120',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  StudyID: '00200010',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  ImagePositionPatient: '00200032',
  ImageOrientationPatient: '00200037',
  FrameOfReferenceUID: '00200052',
  SliceLocation: '00201041',
  SamplesPerPixel: '00280002',
  PhotometricInterpretation: '00280004',
  NumberOfFrames: '00280008',
  Rows: '00280010',
  Columns: '00280011',
  PixelSpacing: '00280030',
  BitsAllocated: '00280100',
  BitsStored: '00280101',
  HighBit: '00280102',
  PixelRepresentation: '00280103',
  PlanarConfiguration: '00280006',
  WindowCenter: '00281050',
  WindowWidth: '00281051',
  RescaleIntercept: '00281052',
  RescaleSlope: '00281053',
  PatientIdentityRemoved: '00120062',
  DeidentificationMethod: '00120063',
  DeidentificationMethodCodeSequence: '00120064',
  LongitudinalTemporalInformationModified: '00280303',
  PixelData: '7FE00010',
} as const;

/** The first value of an attribute as a string, or `undefined` when absent or empty. */
export function firstString(dataset: DicomJson, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  let text: string | undefined;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') text = value.toString();
  else if (typeof value === 'object' && value !== null && 'Alphabetic' in value) {
    // Person names are `{ Alphabetic, Ideographic, Phonetic }` objects (PS3.18 F.2.2).
    const alphabetic = value.Alphabetic;
    if (typeof alphabetic === 'string') text = alphabetic;
  }
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** The first value of an attribute as a finite number, or `undefined`. */
export function firstNumber(dataset: DicomJson, tag: string): number | undefined {
  const value = dataset[tag]?.Value?.[0];
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** All values of a numeric attribute, or `undefined` when absent or any value is not a number. */
export function numbers(dataset: DicomJson, tag: string): readonly number[] | undefined {
  const values = dataset[tag]?.Value;
  if (values === undefined || values.length === 0) return undefined;
  const out: number[] = [];
  for (const v of values) {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    if (!Number.isFinite(n)) return undefined;
    out.push(n);
  }
  return out;
}
