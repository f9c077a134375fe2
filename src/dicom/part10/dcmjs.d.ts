// The slice of dcmjs 0.51 the adapter calls. dcmjs ships no types (there is no @types/dcmjs);
// nothing outside dcmjs-adapter.ts imports it.
declare module 'dcmjs' {
  interface DcmjsElement {
    vr: string;
    Value?: unknown[];
    _rawValue?: unknown;
  }
  type DcmjsDict = Record<string, DcmjsElement>;

  interface ReadOptions {
    ignoreErrors?: boolean;
    untilTag?: string | null;
    includeUntilTagValue?: boolean;
    noCopy?: boolean;
    forceStoreRaw?: boolean;
  }

  interface WriteOptions {
    allowInvalidVRLength?: boolean;
    fragmentMultiframe?: boolean;
  }

  class DicomDict {
    constructor(meta: DcmjsDict);
    meta: DcmjsDict;
    dict: DcmjsDict;
    write(options?: WriteOptions): ArrayBuffer;
  }

  class ReadBufferStream {
    constructor(buffer: ArrayBuffer, littleEndian: boolean | null, options?: { noCopy?: boolean });
    offset: number;
    reset(): void;
    end(): boolean;
  }

  const data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: ReadOptions): DicomDict;
      _read(stream: ReadBufferStream, syntax: string, options?: ReadOptions): DcmjsDict;
    };
    DicomDict: typeof DicomDict;
    ReadBufferStream: typeof ReadBufferStream;
    DicomMetaDictionary: {
      dictionary: Record<string, { tag: string; vr: string; name: string; vm: string }>;
      nameMap: Record<string, { tag: string; vr: string; name: string; vm: string }>;
    };
  };

  const log: { setLevel(level: string): void; getLogger(name: string): { setLevel(level: string): void } };

  const dcmjs: { data: typeof data; log: typeof log };
  export default dcmjs;
}
