import type { ErrorCode } from '../core/index.js';
import type { Workspace } from '../workspace/index.js';
import type { IngestOutcome, IngestorOptions } from './ingestor.js';
import { Ingestor } from './ingestor.js';
import { walkFiles } from './walk-files.js';

/** Progress of a running ingest, reported after each durable batch. */
export interface IngestProgress {
  /** Files whose outcome is durable. */
  readonly done: number;
  /** Files found so far (the walk runs ahead of the workers). */
  readonly found: number;
  /** Whether the walk has finished, so `found` is the total. */
  readonly walkFinished: boolean;
  readonly stored: number;
  readonly duplicate: number;
  readonly quarantined: number;
}

/** Options of {@link ingestPaths}. */
export interface IngestPathsOptions extends IngestorOptions {
  /** Called after each durable outcome, in commit order: the report lines. */
  readonly onOutcome?: (outcome: IngestOutcome) => void;
  /** Called as outcomes become durable. */
  readonly onProgress?: (progress: IngestProgress) => void;
  /**
   * Files in flight at once (read, de-identified or waiting for their batch).
   * @defaultValue 4 × the batch size
   */
  readonly maxInFlight?: number;
  /** Stops taking new files; what is in flight is still committed. */
  readonly signal?: AbortSignal;
  /**
   * File-name patterns to skip (`*` matches any run of characters), e.g. `['*.json', 'DICOMDIR']`.
   * @defaultValue []
   */
  readonly exclude?: readonly string[];
}

/** Compiles basename patterns with `*` wildcards into one test. */
function excluder(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  const regexes = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
  return (path) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return regexes.some((r) => r.test(name));
  };
}

/** The summary of an ingest run (DESIGN.md principle 4: partial failure is data). */
export interface IngestSummary {
  readonly files: number;
  readonly stored: number;
  readonly duplicate: number;
  readonly quarantined: number;
  /** Quarantined files counted by reason code. */
  readonly quarantinedByCode: Readonly<Partial<Record<ErrorCode, number>>>;
  /** Every quarantined file with its reason. */
  readonly failed: readonly {
    readonly item: string;
    readonly code: ErrorCode;
    readonly reason: string;
  }[];
  /** Bytes of the input files that were read. */
  readonly bytes: number;
  /** Wall-clock duration, in seconds. */
  readonly seconds: number;
  /** Files per second, all outcomes counted. */
  readonly filesPerSecond: number;
  readonly workers: number;
}

/**
 * Imports files and folders, recursively, in parallel across cores, idempotently: a file already
 * catalogued is reported as `duplicate` and not stored again. Returns once every outcome is durable.
 */
export async function ingestPaths(
  workspace: Workspace,
  paths: readonly string[],
  options: IngestPathsOptions,
): Promise<IngestSummary> {
  const started = performance.now();
  const ingestor = await Ingestor.start(workspace, options);
  const maxInFlight = options.maxInFlight ?? 4 * (options.batchSize ?? 64);
  let found = 0;
  let done = 0;
  let walkFinished = false;
  let stored = 0;
  let duplicate = 0;
  let bytes = 0;
  const failed: { item: string; code: ErrorCode; reason: string }[] = [];
  const quarantinedByCode: Partial<Record<ErrorCode, number>> = {};
  const inFlight = new Set<Promise<void>>();
  let firstError: Error | undefined;

  const record = (outcome: IngestOutcome): void => {
    done++;
    if (outcome.status === 'quarantined') {
      failed.push({ item: outcome.source, code: outcome.code, reason: outcome.reason });
      quarantinedByCode[outcome.code] = (quarantinedByCode[outcome.code] ?? 0) + 1;
    } else if (outcome.status === 'stored') stored++;
    else duplicate++;
    options.onOutcome?.(outcome);
    options.onProgress?.({
      done,
      found,
      walkFinished,
      stored,
      duplicate,
      quarantined: failed.length,
    });
  };

  const excluded = excluder(options.exclude ?? []);
  try {
    for await (const path of walkFiles(paths)) {
      if (options.signal?.aborted === true || firstError !== undefined) break;
      if (excluded(path)) continue;
      found++;
      const task = ingestor
        .ingestFile(path)
        .then((outcome) => {
          bytes += outcome.sizeBytes;
          record(outcome);
        })
        .catch((error: unknown) => {
          firstError ??= error instanceof Error ? error : new Error(String(error));
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    }
    walkFinished = true;
    await Promise.all(inFlight);
  } finally {
    await ingestor.close();
  }
  if (firstError !== undefined) throw firstError;
  const seconds = (performance.now() - started) / 1000;
  return {
    files: done,
    stored,
    duplicate,
    quarantined: failed.length,
    quarantinedByCode,
    failed,
    bytes,
    seconds,
    filesPerSecond: seconds > 0 ? done / seconds : 0,
    workers: ingestor.workers,
  };
}
