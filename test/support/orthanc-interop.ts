// What test/support/orthanc-interop-child.ts (run in a private network namespace) reports to
// test/integration/orthanc-interop.test.ts, and how study-level QIDO-RS answers are compared.
import type { DicomJson } from '../../src/core/index.js';

export const PYDICOM_SENT = ['CT_small.dcm', 'MR_small.dcm', 'JPEG2000.dcm'] as const;
export const MR_SENT = 5;

/**
 * Study-level QIDO-RS attributes both servers should answer identically after medscale's
 * de-identification (PS3.15 Basic Profile): UIDs, patient identity and dates/times are replaced or
 * shifted by medscale, so only these are compared. StudyDescription survives medscale's Clean
 * Descriptors option for these files ("e+1", "Whole Body Bone", none).
 */
export const COMPARED_STUDY_TAGS = {
  '00080061': 'ModalitiesInStudy',
  '00201206': 'NumberOfStudyRelatedSeries',
  '00201208': 'NumberOfStudyRelatedInstances',
  '00100040': 'PatientSex',
  '00081030': 'StudyDescription',
} as const;

export interface InteropResult {
  /** (a) Orthanc → medscale: Orthanc's /modalities/medscale/store answer, medscale's counts. */
  readonly orthancToMedscale: {
    readonly uploaded: number;
    readonly storeAnswer: unknown;
    readonly medscale: { study: number; series: number; instance: number };
  };
  /** (b) medscale `sendFiles` → Orthanc. */
  readonly medscaleToOrthanc: {
    readonly sent: number;
    readonly failed: number;
    readonly errors: readonly string[];
    readonly orthancInstancesBefore: number;
    readonly orthancInstancesAfter: number;
  };
  /** (c) study-level QIDO-RS of each, reduced to {@link COMPARED_STUDY_TAGS}, sorted. */
  readonly qido: {
    readonly orthanc: readonly Record<string, unknown>[];
    readonly medscale: readonly Record<string, unknown>[];
    /** Each server's raw answers, for diagnosis. */
    readonly raw: {
      readonly orthanc: readonly DicomJson[];
      readonly medscale: readonly DicomJson[];
    };
  };
  readonly orthancPid: number;
}

function project(study: DicomJson): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [tag, name] of Object.entries(COMPARED_STUDY_TAGS)) {
    const values = (study[tag]?.Value ?? []).map((v) => (typeof v === 'number' ? v : String(v)));
    out[name] = tag === '00080061' ? values.sort() : values;
  }
  return out;
}

/** Each study reduced to {@link COMPARED_STUDY_TAGS}, in a stable order. */
export function reduceStudies(studies: readonly DicomJson[]): Record<string, unknown>[] {
  return studies.map(project).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
}
