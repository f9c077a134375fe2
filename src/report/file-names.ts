/**
 * File name of a session's report: `session-<studyInstanceUid>.html`, which the cohort report
 * links to, so both pages must sit in the same folder.
 *
 * @remarks
 * A Study Instance UID holds digits and dots only (PS3.5 §9.1), but the value comes from stored
 * data, so any other character is replaced by `_`: the name can then never leave its folder
 * (`../`) or need escaping in a link.
 *
 * @example
 * ```ts
 * sessionReportFileName('2.25.1234'); // 'session-2.25.1234.html'
 * ```
 */
export function sessionReportFileName(studyInstanceUid: string): string {
  const safe = studyInstanceUid.replace(/[^0-9A-Za-z._-]/g, '_');
  return `session-${safe}.html`;
}
