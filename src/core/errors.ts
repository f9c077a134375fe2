/**
 * Every error the platform raises on purpose. Codes are stable strings: they cross worker
 * threads (structured clone drops `name` and own properties), job queues (which keep only
 * `err.message`) and HTTP. Each code has an entry in docs/errors.md; a unit test keeps the two
 * in step, as Fastify's does.
 */
export const ERROR_CODES = [
  'ERR_CONFIG',
  'ERR_USAGE',
  'ERR_IO',
  'ERR_DICOM_NOT_DICOM',
  'ERR_DICOM_TRUNCATED',
  'ERR_DICOM_PARSE',
  'ERR_DICOM_MISSING_UID',
  'ERR_DICOM_INVALID_UID',
  'ERR_DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
  'ERR_DICOM_NO_PIXEL_DATA',
  'ERR_DICOM_PIXEL_DECODE',
  'ERR_DICOM_WRITE',
  'ERR_DEID',
  'ERR_SERIES_EMPTY',
  'ERR_SERIES_INCONSISTENT',
  'ERR_SERIES_GEOMETRY',
  'ERR_VOLUME_SHAPE',
  'ERR_QA_METRIC_INPUT',
  'ERR_STORE_INVALID_DIGEST',
  'ERR_STORE_NOT_FOUND',
  'ERR_STORE_DIGEST_MISMATCH',
  'ERR_CATALOG',
  'ERR_CATALOG_MIGRATION',
  'ERR_CATALOG_NOT_FOUND',
  'ERR_EXPORT',
  'ERR_SYNTH',
  'ERR_PROTOCOL_INVALID',
  'ERR_QA_INPUT',
  'ERR_DIMSE_ASSOCIATION',
  'ERR_DIMSE_REJECTED',
  'ERR_DIMSE_FAILED',
  'ERR_AUTH_REQUIRED',
  'ERR_AUTH_FORBIDDEN',
  'ERR_FORMAT',
  'ERR_SEGMENT_INPUT',
  'ERR_SEGMENT_MODEL',
  'ERR_SEGMENT_TRAIN',
  'ERR_RECONSTRUCT_INPUT',
  'ERR_MESH_INPUT',
  'ERR_MESH_QUALITY',
  'ERR_SIMULATE_INPUT',
  'ERR_SIMULATE_FIT',
  'ERR_SIMULATE_NOT_STEADY',
  'ERR_DRUG_UNKNOWN',
  'ERR_PIPELINE_INVALID',
  'ERR_PIPELINE_STAGE',
  'ERR_PIPELINE_CANCELLED',
  'ERR_QUEUE',
  'ERR_INTERNAL',
] as const;

/** A stable error code; see docs/errors.md for what each means and what to do about it. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Options of {@link PlatformError}. */
export interface PlatformErrorOptions {
  /** The lower-level error this one wraps. */
  readonly cause?: unknown;
  /**
   * Whether running the same job again may succeed.
   * @defaultValue false
   */
  readonly retryable?: boolean;
}

/** The one error class of the platform: a stable {@link ErrorCode} plus a message a person can act on. */
export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Whether running the same job again may succeed. */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: PlatformErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

const CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);

/** Whether `value` is one of the platform's {@link ErrorCode}s. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODE_SET.has(value);
}

/** Structural check, because `instanceof` fails on errors that crossed a thread. */
export function isPlatformError(error: unknown): error is PlatformError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    isErrorCode(error.code) &&
    'message' in error
  );
}

/** The JSON form posted between threads and recorded in job rows. */
export interface SerializedError {
  readonly name: string;
  readonly code: ErrorCode | 'ERR_UNKNOWN';
  readonly message: string;
  readonly retryable: boolean;
  readonly stack?: string;
}

/** Turns anything thrown into its JSON form, keeping the code when there is one. */
export function serializeError(error: unknown): SerializedError {
  if (isPlatformError(error)) {
    return {
      name: 'PlatformError',
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  }
  if (error instanceof Error) {
    return {
      name: error.name,
      code: 'ERR_UNKNOWN',
      message: error.message,
      retryable: false,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  }
  return { name: 'Error', code: 'ERR_UNKNOWN', message: String(error), retryable: false };
}

/** Rebuilds a {@link PlatformError} from its JSON form (the inverse of {@link serializeError}). */
export function deserializeError(serialized: SerializedError): PlatformError {
  const code: ErrorCode = serialized.code === 'ERR_UNKNOWN' ? 'ERR_INTERNAL' : serialized.code;
  const error = new PlatformError(code, serialized.message, { retryable: serialized.retryable });
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}

/** The message of anything thrown, for reasons shown to people. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
