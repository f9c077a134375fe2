// The only module that imports dcmjs (STYLE.md 3.3): everything dcmjs-shaped stops here.
import dcmjs from 'dcmjs';
import type { DicomDataset } from './dicom-dataset.js';

const { DicomMessage, DicomDict, ReadBufferStream } = dcmjs.data;

/** Collected dcmjs log lines of the current call; dcmjs reports lenient fixes only through its logger. */
let captured: string[] | undefined;

// dcmjs logs through loglevel; route warnings into the current read's warning list instead of stdout.
const logger = dcmjs.log as unknown as Record<string, unknown>;
for (const level of ['warn', 'error', 'info', 'log', 'debug', 'trace']) {
  logger[level] = (...args: unknown[]): void => {
    if (captured !== undefined && (level === 'warn' || level === 'error')) {
      captured.push(args.map(String).join(' '));
    }
  };
}

/** What dcmjs returns for one file, plus the log lines it emitted while reading. */
export interface DcmjsReadResult {
  readonly meta: DicomDataset;
  readonly dataset: DicomDataset;
  readonly logLines: readonly string[];
}

/** Reads a Part 10 file (preamble, `DICM`, meta group) with dcmjs in lenient mode. */
export function dcmjsReadFile(buffer: ArrayBuffer): DcmjsReadResult {
  captured = [];
  try {
    const dict = DicomMessage.readFile(buffer, {
      ignoreErrors: true,
      untilTag: null,
      includeUntilTagValue: false,
      noCopy: false,
      forceStoreRaw: false,
    });
    return { meta: dict.meta as DicomDataset, dataset: dict.dict as DicomDataset, logLines: captured };
  } finally {
    captured = undefined;
  }
}

/** Reads a bare dataset (no preamble, no meta group) encoded in `transferSyntaxUid`. */
export function dcmjsReadDataset(
  buffer: ArrayBuffer,
  transferSyntaxUid: string,
): { readonly dataset: DicomDataset; readonly logLines: readonly string[] } {
  captured = [];
  try {
    const littleEndian = transferSyntaxUid !== '1.2.840.10008.1.2.2';
    const stream = new ReadBufferStream(buffer, littleEndian, { noCopy: false });
    const dataset = DicomMessage._read(stream, transferSyntaxUid, { ignoreErrors: true });
    return { dataset: dataset as DicomDataset, logLines: captured };
  } finally {
    captured = undefined;
  }
}

/** Writes meta and dataset as a Part 10 file; dcmjs computes the group length. */
export function dcmjsWriteFile(meta: DicomDataset, dataset: DicomDataset): ArrayBuffer {
  const dict = new DicomDict(meta as never);
  dict.dict = dataset as never;
  // Old-style values such as dates written `1994.01.30` otherwise make dcmjs throw (DESIGN.md §5).
  return dict.write({ allowInvalidVRLength: true });
}

/** The VR the data dictionary gives a tag (PS3.6), or `undefined` for private and unknown tags. */
export function dictionaryVr(tag: string): string | undefined {
  const key = `(${tag.slice(0, 4)},${tag.slice(4)})`;
  return dcmjs.data.DicomMetaDictionary.dictionary[key]?.vr;
}
