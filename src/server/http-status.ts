import type { ErrorCode } from '../core/index.js';

/**
 * HTTP status of each domain error (STYLE.md §3.4: the domain knows nothing of HTTP). Codes not
 * named here, and errors without a code, answer 500 with a generic message.
 */
export const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  ERR_USAGE: 400,
  ERR_DICOM_NOT_DICOM: 400,
  ERR_DICOM_TRUNCATED: 400,
  ERR_DICOM_PARSE: 400,
  ERR_DICOM_MISSING_UID: 400,
  ERR_DICOM_INVALID_UID: 400,
  ERR_DICOM_UNSUPPORTED_TRANSFER_SYNTAX: 400,
  ERR_DICOM_NO_PIXEL_DATA: 400,
  ERR_DICOM_PIXEL_DECODE: 400,
  ERR_DICOM_WRITE: 400,
  ERR_CATALOG_NOT_FOUND: 404,
  ERR_STORE_NOT_FOUND: 404,
  ERR_SERIES_EMPTY: 404,
  ERR_AUTH_REQUIRED: 401,
  ERR_AUTH_FORBIDDEN: 403,
};

/** The status for an error code: the table's, else 500. */
export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code] ?? 500;
}
