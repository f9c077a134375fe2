// The only module that imports dcmjs (STYLE.md 3.3): everything dcmjs-shaped stops here.
import dcmjs from 'dcmjs';
import type { DicomDataset } from './dicom-dataset.js';

const { DicomMessage, DicomDict, ReadBufferStream, WriteBufferStream } = dcmjs.data;

const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const EXPLICIT_BIG_ENDIAN = '1.2.840.10008.1.2.2';

/** Collected dcmjs log lines of the current call; dcmjs reports lenient fixes only through its logger. */
let captured: string[] | undefined;

// dcmjs logs through loglevel: the root logger and named children such as "validation.dcmjs"
// (which prints "Invalid vr type xs - using US"). Each child copied the root's method factory
// when it was created, so replacing the root's methods alone leaves the children printing to
// the console. Install one factory on every logger and rebuild them all: messages go into the
// current call's list, never to stdout.
function captureFactory(methodName: string): (...args: unknown[]) => void {
  return (...args: unknown[]): void => {
    if (captured !== undefined && methodName !== 'debug' && methodName !== 'trace') {
      captured.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    }
  };
}
for (const logger of [dcmjs.log, ...Object.values(dcmjs.log.getLoggers())]) {
  logger.methodFactory = captureFactory;
  // 'info' so that dcmjs's "Value exceeds max length" notes are kept too; persist: false keeps
  // loglevel away from localStorage in browsers.
  logger.setLevel('info', false);
}
dcmjs.log.rebuild();

function capturing<T>(read: () => T): { readonly value: T; readonly logLines: readonly string[] } {
  const lines: string[] = [];
  const outer = captured;
  captured = lines;
  try {
    return { value: read(), logLines: lines };
  } finally {
    captured = outer;
  }
}

/**
 * Reads a bare dataset (no preamble, no meta group) encoded in `transferSyntaxUid`, which must
 * be one of the three uncompressed element encodings (PS3.5 §A.1–A.3). Lenient: dcmjs stops at
 * the first element it cannot read and logs why; callers compare against a structural scan.
 */
export function dcmjsReadDataset(
  buffer: ArrayBuffer,
  transferSyntaxUid: string,
): { readonly dataset: DicomDataset; readonly logLines: readonly string[] } {
  const { value, logLines } = capturing(() => {
    const littleEndian = transferSyntaxUid !== EXPLICIT_BIG_ENDIAN;
    const stream = new ReadBufferStream(buffer, littleEndian, { noCopy: false });
    return DicomMessage._read(stream, transferSyntaxUid, { ignoreErrors: true });
  });
  return { dataset: value, logLines };
}

/** Writes meta and dataset as a Part 10 file; dcmjs computes the group length. */
export function dcmjsWriteFile(meta: DicomDataset, dataset: DicomDataset): ArrayBuffer {
  const dict = new DicomDict(meta as never);
  dict.dict = dataset as never;
  // Old-style values such as dates written `1994.01.30` otherwise make dcmjs throw (DESIGN.md §5).
  return capturing(() => dict.write({ allowInvalidVRLength: true })).value;
}

/**
 * Writes a bare dataset in explicit VR little endian, for callers that wrap it themselves
 * (deflate, PS3.5 §A.5). Pixel Data is written native.
 */
export function dcmjsWriteExplicitLittleEndian(dataset: DicomDataset): ArrayBuffer {
  const stream = new WriteBufferStream(4096, true);
  capturing(() =>
    DicomMessage.write(dataset as never, stream, EXPLICIT_LITTLE_ENDIAN, {
      allowInvalidVRLength: true,
    }),
  );
  return stream.getBuffer();
}

/** The VR the data dictionary gives a tag (PS3.6), or `undefined` for private and unknown tags. */
export function dictionaryVr(tag: string): string | undefined {
  const key = `(${tag.slice(0, 4)},${tag.slice(4)})`;
  return dcmjs.data.DicomMetaDictionary.dictionary[key]?.vr;
}
