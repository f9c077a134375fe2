import { describe, expect, it } from 'vitest';
import { matchesIdentifier, projectMatch } from './find-matching.js';

const study = {
  PatientID: 'SUBJ-0001',
  PatientName: [{ Alphabetic: 'SUBJ-0001' }],
  StudyInstanceUID: '1.2.3.4',
  StudyDate: '20240315',
};

describe('matchesIdentifier (PS3.4 C.2.2.2)', () => {
  it('matches empty keys universally', () => {
    expect(
      matchesIdentifier({ QueryRetrieveLevel: 'STUDY', PatientID: '', StudyDate: '' }, study),
    ).toBe(true);
  });

  it('matches single values exactly and wildcards as patterns', () => {
    expect(matchesIdentifier({ PatientID: 'SUBJ-0001' }, study)).toBe(true);
    expect(matchesIdentifier({ PatientID: 'SUBJ-0002' }, study)).toBe(false);
    expect(matchesIdentifier({ PatientID: 'SUBJ*' }, study)).toBe(true);
    expect(matchesIdentifier({ PatientName: 'SUBJ-000?' }, study)).toBe(true);
  });

  it('matches a list of UIDs', () => {
    expect(matchesIdentifier({ StudyInstanceUID: '9.9\\1.2.3.4' }, study)).toBe(true);
    expect(matchesIdentifier({ StudyInstanceUID: ['9.9', '8.8'] }, study)).toBe(false);
  });

  it('matches date ranges, open on either side', () => {
    expect(matchesIdentifier({ StudyDate: '20240101-20241231' }, study)).toBe(true);
    expect(matchesIdentifier({ StudyDate: '20240316-' }, study)).toBe(false);
    expect(matchesIdentifier({ StudyDate: '-20240315' }, study)).toBe(true);
  });

  it('does not match a non-empty key the candidate lacks', () => {
    expect(matchesIdentifier({ AccessionNumber: 'A1' }, study)).toBe(false);
  });
});

describe('projectMatch', () => {
  it('returns exactly the keys asked, empty where the match has no value', () => {
    expect(
      projectMatch({ QueryRetrieveLevel: 'STUDY', PatientID: '', AccessionNumber: '' }, study),
    ).toEqual({
      QueryRetrieveLevel: 'STUDY',
      PatientID: 'SUBJ-0001',
      AccessionNumber: '',
    });
  });
});
