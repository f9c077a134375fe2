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

  class WriteBufferStream {
    constructor(defaultSize?: number, littleEndian?: boolean);
    size: number;
    getBuffer(): ArrayBuffer;
  }

  class ReadBufferStream {
    constructor(buffer: ArrayBuffer, littleEndian: boolean | null, options?: { noCopy?: boolean });
    offset: number;
    reset(): void;
    end(): boolean;
  }

  interface DcmjsData {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: ReadOptions): DicomDict;
      _read(stream: ReadBufferStream, syntax: string, options?: ReadOptions): DcmjsDict;
      write(
        dataset: DcmjsDict,
        stream: WriteBufferStream,
        syntax: string,
        options?: WriteOptions,
      ): number;
    };
    DicomDict: typeof DicomDict;
    ReadBufferStream: typeof ReadBufferStream;
    WriteBufferStream: typeof WriteBufferStream;
    DicomMetaDictionary: {
      dictionary: Record<string, { tag: string; vr: string; name: string; vm: string }>;
      nameMap: Record<string, { tag: string; vr: string; name: string; vm: string }>;
    };
  }

  /** A loglevel logger (loglevel 1.9, bundled in dcmjs). */
  interface Logger {
    methodFactory: (
      methodName: string,
      level: number,
      loggerName: string | symbol,
    ) => (...args: unknown[]) => void;
    setLevel(level: string, persist?: boolean): void;
    rebuild(): void;
  }

  interface RootLogger extends Logger {
    getLogger(name: string): Logger;
    getLoggers(): Record<string, Logger>;
  }

  const dcmjs: { data: DcmjsData; log: RootLogger };
  export default dcmjs;
}
