// Real Orthanc (Debian's orthanc + orthanc-dicomweb) as a peer of medscale, both ways over DIMSE,
// and their QIDO-RS answers side by side. Orthanc cannot be told to listen on 127.0.0.1 only, so it
// runs in a private network namespace (`unshare -n`) together with the medscale side, in one child
// process (test/support/orthanc-interop-child.ts) that reports JSON.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DicomJson } from '../../src/core/index.js';
import { orthancUnavailable, runInNetns } from '../support/orthanc.js';
import { MR_SENT, PYDICOM_SENT } from '../support/orthanc-interop.js';
import type { InteropResult } from '../support/orthanc-interop.js';
import { HAVE_PYDICOM } from '../support/pydicom-files.js';

const unavailable = HAVE_PYDICOM
  ? orthancUnavailable()
  : 'pydicom test files not installed (scripts/install-system-deps.sh)';
if (unavailable !== null) console.warn(`orthanc-interop skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('Orthanc as a DICOM / DICOMweb peer', () => {
  let result: InteropResult;

  beforeAll(async () => {
    result = await runInNetns<InteropResult>(
      join(import.meta.dirname, '../support/orthanc-interop-child.ts'),
    );
  }, 60_000);

  it('Orthanc C-STOREs REST-uploaded pydicom files to medscale, which catalogues them all', () => {
    const { uploaded, storeAnswer, medscale } = result.orthancToMedscale;
    expect(uploaded).toBe(PYDICOM_SENT.length);
    expect(storeAnswer).toMatchObject({
      InstancesCount: PYDICOM_SENT.length,
      FailedInstancesCount: 0,
      RemoteAet: 'MEDSCALE',
    });
    expect(medscale).toEqual({ study: 3, series: 3, instance: PYDICOM_SENT.length });
  });

  it('medscale sendFiles (medscale send) C-STOREs to Orthanc, which then holds them', () => {
    const { sent, failed, errors, orthancInstancesBefore, orthancInstancesAfter } =
      result.medscaleToOrthanc;
    expect(errors).toEqual([]);
    expect({ sent, failed }).toEqual({ sent: MR_SENT, failed: 0 });
    expect(orthancInstancesAfter - orthancInstancesBefore).toBe(MR_SENT);
  });

  it('QIDO-RS /dicom-web/studies agrees on what de-identification keeps', () => {
    // Compared (COMPARED_STUDY_TAGS): ModalitiesInStudy, NumberOfStudyRelatedSeries/Instances,
    // PatientSex (Retain Patient Characteristics option), StudyDescription (survives the Clean
    // Descriptors option for these files). Not compared: Study Instance UID (replaced),
    // PatientName/ID (pseudonym), StudyDate (shifted), StudyID/AccessionNumber/ReferringPhysician
    // (emptied), SpecificCharacterSet (medscale writes ISO_IR 192), RetrieveURL (host and UID).
    const { orthanc, medscale } = result.qido;
    expect(orthanc).toHaveLength(3);
    expect(medscale).toEqual(orthanc);
    expect(medscale.map((s) => s['ModalitiesInStudy'])).toEqual([['CT'], ['MR'], ['NM']]);
    expect(medscale.map((s) => s['StudyDescription'])).toEqual([['e+1'], [], ['Whole Body Bone']]);
    // and medscale's answer is de-identified while Orthanc's is not
    const uids = (studies: readonly DicomJson[]): unknown[] =>
      studies.map((s) => s['0020000D']?.Value?.[0]).sort();
    const orthancUids = uids(result.qido.raw.orthanc);
    for (const uid of uids(result.qido.raw.medscale)) expect(orthancUids).not.toContain(uid);
  });
});
