import { readFile } from 'node:fs/promises';
import type { ErrorCode } from '../core/index.js';
import { PlatformError, errorMessage } from '../core/index.js';
import type { DeidentifyOptions } from '../dicom/index.js';
import type { InstanceRecord } from '../store/index.js';
import { listStudies, recordInstances, recordQuarantine } from '../store/index.js';
import type { Workspace } from '../workspace/index.js';
import { checkProjectName } from '../workspace/index.js';
import type { IngestWorkerInit, IngestWorkerTask } from './ingest-worker.js';
import type { PreparedInstance, PreparedOrRejected, RejectedInstance } from './prepare-instance.js';
import { WorkerPool } from './worker-pool.js';

/** What happened to one input, reported only once it is durable. */
export type IngestOutcome =
  | {
      readonly status: 'stored' | 'duplicate';
      readonly source: string;
      readonly sopInstanceUid: string;
      readonly seriesInstanceUid: string;
      readonly studyInstanceUid: string;
      readonly digest: string;
      /** Size of the file as received, in bytes. */
      readonly sizeBytes: number;
      readonly warnings: readonly string[];
    }
  | {
      readonly status: 'quarantined';
      readonly source: string;
      readonly code: ErrorCode;
      readonly reason: string;
      /** Size of the input as received, in bytes (0 when it could not be read). */
      readonly sizeBytes: number;
    };

/** Options of {@link Ingestor}. */
export interface IngestorOptions {
  /** Project the instances belong to; keys the pseudonyms. */
  readonly project: string;
  /**
   * Visit label for every study ingested (`baseline`, `follow-up-1`, …). When absent, a study is
   * labelled by the order of its date among the subject's studies already catalogued: the first
   * is `baseline`, a later one `follow-up-<n>`.
   */
  readonly visit?: string;
  /** Site to record when the files do not name one (Institution Name). */
  readonly site?: string;
  /**
   * Worker threads for parsing and de-identification.
   * @defaultValue `os.availableParallelism()`
   */
  readonly workers?: number;
  /**
   * Instances committed together: one fsync of each directory and one catalog transaction per
   * batch (group commit).
   * @defaultValue 64
   */
  readonly batchSize?: number;
  /**
   * Longest an instance waits for its batch to fill before it is committed anyway, in milliseconds.
   * @defaultValue 25
   */
  readonly maxBatchDelayMs?: number;
  /**
   * Commit as soon as no other commit is running, instead of waiting for the batch to fill or for
   * `maxBatchDelayMs`: a lone instance (one DIMSE association, waiting for each response) is
   * committed at once, while instances arriving during a commit are grouped into the next one
   * (group commit without a timer). `batchSize` still bounds a batch.
   * @defaultValue false
   */
  readonly commitWhenIdle?: boolean;
  /**
   * Keep a copy of rejected inputs in the quarantine store.
   * @defaultValue true
   */
  readonly keepRejected?: boolean;
}

interface Pending {
  readonly item: PreparedOrRejected;
  /** Site given by the caller for this input (a DIMSE calling AE's site); wins over the file's. */
  readonly site?: string | undefined;
  readonly original: Uint8Array | undefined;
  readonly resolve: (outcome: IngestOutcome) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The one ingest path (DESIGN.md §1): folder import, DIMSE C-STORE and STOW-RS all submit here.
 * Workers parse, validate and de-identify; the main thread commits in batches: blobs written and
 * fsynced, then one catalog transaction, then the outcomes resolve. A resolved `stored` outcome
 * is therefore durable, and a crash at any point leaves at most unreferenced blobs, never a row
 * without its blob.
 */
export class Ingestor {
  readonly #workspace: Workspace;
  readonly #options: IngestorOptions;
  readonly #pool: WorkerPool;
  readonly #batchSize: number;
  readonly #maxDelayMs: number;
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #committing: Promise<void> = Promise.resolve();
  /** Batches handed to `#commit` and not finished yet (`commitWhenIdle`). */
  #active = 0;
  readonly #whenIdle: boolean;
  /** Pseudonym → its studies already in the catalog when first seen in this run. */
  readonly #catalogued = new Map<string, ReturnType<typeof listStudies>>();
  /** Study UID → visit label, for studies labelled during this run. */
  readonly #visits = new Map<string, { label: string; pseudonym: string; date: string }>();

  private constructor(workspace: Workspace, options: IngestorOptions, pool: WorkerPool) {
    this.#workspace = workspace;
    this.#options = options;
    this.#pool = pool;
    this.#batchSize = Math.max(1, options.batchSize ?? 64);
    this.#maxDelayMs = options.maxBatchDelayMs ?? 25;
    this.#whenIdle = options.commitWhenIdle ?? false;
  }

  /** Starts the worker threads for one project of a workspace. */
  static async start(workspace: Workspace, options: IngestorOptions): Promise<Ingestor> {
    checkProjectName(options.project);
    const project = workspace.project(options.project);
    const deidentify: DeidentifyOptions = {
      secret: await workspace.secret(options.project),
      ...(project.safePrivate === undefined ? {} : { safePrivate: project.safePrivate }),
      ...(project.maxDateShiftDays === undefined
        ? {}
        : { maxDateShiftDays: project.maxDateShiftDays }),
    };
    const init: IngestWorkerInit = { deidentify };
    const here = import.meta.url;
    const entry = new URL(here.endsWith('.ts') ? './ingest-worker.ts' : './ingest-worker.js', here);
    const pool = new WorkerPool(
      { entry, init },
      options.workers === undefined ? {} : { size: options.workers },
    );
    return new Ingestor(workspace, options, pool);
  }

  /** Number of worker threads. */
  get workers(): number {
    return this.#pool.size;
  }

  /** Ingests one file; resolves once the outcome is durable. */
  async ingestFile(path: string): Promise<IngestOutcome> {
    const item = await this.#prepare({ path }, path);
    return this.#enqueue(item, undefined);
  }

  /**
   * Ingests bytes received from the network (C-STORE, STOW-RS); resolves once durable.
   * @param site - Site to record for this instance whatever the file says (e.g. the site a DIMSE
   * calling AE title is registered for).
   */
  async ingestBytes(bytes: Uint8Array, source: string, site?: string): Promise<IngestOutcome> {
    // The worker gets a copy: the original stays here in case it must go to the quarantine.
    // new Uint8Array(view) copies into an exact-size buffer; Buffer#slice would share (and transfer) the pool.
    const copy = new Uint8Array(bytes);
    const item = await this.#prepare({ bytes: copy, source }, source, [copy.buffer]);
    return this.#enqueue(item, bytes, site);
  }

  /** Commits what is pending and stops the workers. */
  async close(): Promise<void> {
    this.#flush();
    await this.#committing;
    await this.#pool.close();
  }

  async #prepare(
    task: IngestWorkerTask,
    source: string,
    transfer: ArrayBuffer[] = [],
  ): Promise<PreparedOrRejected> {
    try {
      return await this.#pool.run<PreparedOrRejected>(task, transfer);
    } catch (error) {
      // A worker that died on this input (e.g. out of memory on a corrupt length) rejects the
      // input, not the run.
      return {
        kind: 'rejected',
        source,
        code: 'ERR_INTERNAL',
        reason: errorMessage(error),
        sizeBytes: 0,
      };
    }
  }

  #enqueue(
    item: PreparedOrRejected,
    original: Uint8Array | undefined,
    site?: string,
  ): Promise<IngestOutcome> {
    return new Promise<IngestOutcome>((resolve, reject) => {
      this.#pending.push({ item, original, site, resolve, reject });
      if (this.#pending.length >= this.#batchSize || (this.#whenIdle && this.#active === 0))
        this.#flush();
      else if (this.#whenIdle)
        return; // the running commit flushes what waits when it ends
      else
        this.#timer ??= setTimeout(() => {
          this.#flush();
        }, this.#maxDelayMs);
    });
  }

  #flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    // Batches commit one after another, so outcomes resolve in commit order.
    this.#active++;
    this.#committing = this.#committing.then(async () => {
      try {
        await this.#commit(batch);
      } finally {
        this.#active--;
      }
      // Whatever arrived during this commit forms the next batch, without waiting for a timer.
      if (this.#whenIdle && this.#active === 0) this.#flush();
    });
  }

  async #commit(batch: readonly Pending[]): Promise<void> {
    try {
      const outcomes = await this.#commitBatch(batch);
      batch.forEach((pending, i) => {
        const outcome = outcomes[i];
        if (outcome === undefined)
          pending.reject(new PlatformError('ERR_INTERNAL', 'no outcome for input'));
        else pending.resolve(outcome);
      });
    } catch (error) {
      // Nothing in this batch is acknowledged: the caller reports the failure (a C-STORE
      // failure status, a non-zero exit) and a retry starts cleanly, since writes are idempotent.
      const wrapped =
        error instanceof PlatformError
          ? error
          : new PlatformError('ERR_CATALOG', `commit failed: ${errorMessage(error)}`, {
              cause: error,
              retryable: true,
            });
      for (const pending of batch) pending.reject(wrapped);
    }
  }

  async #commitBatch(batch: readonly Pending[]): Promise<IngestOutcome[]> {
    const project = this.#options.project;
    const accepted = batch.filter(
      (p): p is Pending & { item: PreparedInstance } => p.item.kind === 'instance',
    );
    const rejected = batch.filter(
      (p): p is Pending & { item: RejectedInstance } => p.item.kind === 'rejected',
    );

    // 1. Blobs first, fsynced: a catalog row must never point at a blob that is not durable.
    const blobs = this.#workspace.blobsFor(project);
    await blobs.putMany(accepted.map((p) => p.item.bytes));

    // 2. Rejected inputs: keep their bytes aside, then record why.
    const quarantineDigests: (string | null)[] = [];
    if (this.#options.keepRejected ?? true) {
      const originals = await Promise.all(rejected.map((p) => this.#originalBytes(p)));
      const present = originals.filter((b): b is Uint8Array => b !== undefined);
      const results = await this.#workspace.quarantine.putMany(present);
      let k = 0;
      for (const bytes of originals)
        quarantineDigests.push(bytes === undefined ? null : (results[k++]?.digest ?? null));
    }
    const receivedAt = new Date().toISOString();
    if (rejected.length > 0) {
      await recordQuarantine(
        this.#workspace.catalog,
        rejected.map((p, i) => ({
          project,
          source: p.item.source,
          reasonCode: p.item.code,
          reason: p.item.reason,
          blobDigest: quarantineDigests[i] ?? null,
          sizeBytes: p.item.sizeBytes,
          receivedAt,
        })),
      );
    }

    // 3. One transaction for every accepted instance of the batch.
    const records: InstanceRecord[] = [];
    for (const { item, site } of accepted) {
      records.push({
        project,
        pseudonym: item.pseudonym,
        sex: item.sex ?? null,
        birthYear: item.birthYear ?? null,
        visitLabel: await this.#visitLabel(item),
        site: site ?? item.site ?? this.#options.site ?? null,
        study: {
          uid: item.study.uid,
          dateShifted: item.study.dateShifted ?? null,
          description: item.study.description ?? null,
          dicomJson: item.study.dicomJson,
        },
        series: {
          uid: item.series.uid,
          modality: item.series.modality,
          description: item.series.description ?? null,
          number: item.series.number ?? null,
          dicomJson: item.series.dicomJson,
        },
        instance: {
          sopInstanceUid: item.instance.sopInstanceUid,
          sopClassUid: item.instance.sopClassUid,
          transferSyntaxUid: item.instance.transferSyntaxUid,
          instanceNumber: item.instance.instanceNumber ?? null,
          blobDigest: item.digest,
          originalDigest: item.originalDigest,
          sizeBytes: item.bytes.length,
          dicomJson: item.instance.dicomJson,
        },
        receivedAt,
      });
    }
    const statuses =
      records.length === 0 ? [] : await recordInstances(this.#workspace.catalog, records);

    let a = 0;
    return batch.map((pending): IngestOutcome => {
      const { item } = pending;
      if (item.kind === 'rejected') {
        return {
          status: 'quarantined',
          source: item.source,
          code: item.code,
          reason: item.reason,
          sizeBytes: item.sizeBytes,
        };
      }
      const status = statuses[a++] ?? 'stored';
      return {
        status,
        source: item.source,
        sopInstanceUid: item.instance.sopInstanceUid,
        seriesInstanceUid: item.series.uid,
        studyInstanceUid: item.study.uid,
        digest: item.digest,
        sizeBytes: item.originalSizeBytes,
        warnings: item.warnings.map((w) => w.message),
      };
    });
  }

  async #originalBytes(pending: Pending): Promise<Uint8Array | undefined> {
    if (pending.original !== undefined) return pending.original;
    try {
      return await readFile(pending.item.source);
    } catch {
      return undefined; // unreadable source: the quarantine row still records why
    }
  }

  async #visitLabel(item: PreparedInstance): Promise<string> {
    if (this.#options.visit !== undefined) return this.#options.visit;
    const known = this.#visits.get(item.study.uid);
    if (known !== undefined) return known.label;
    // The subject's catalogued studies are looked up once per run: studies this run adds are in
    // #visits, so a later new study of the same subject needs no catalog query.
    let lookup = this.#catalogued.get(item.pseudonym);
    if (lookup === undefined) {
      lookup = listStudies(this.#workspace.catalog, {
        project: this.#options.project,
        pseudonym: item.pseudonym,
        limit: 1000,
      });
      this.#catalogued.set(item.pseudonym, lookup);
      lookup.catch(() => this.#catalogued.delete(item.pseudonym));
    }
    const catalogued = await lookup;
    const existing = catalogued.find((s) => s.studyInstanceUid === item.study.uid);
    let label: string;
    if (existing !== undefined) {
      label = existing.visit;
    } else {
      // Studies of this subject seen so far: catalogued ones and those labelled earlier in this
      // run (not yet committed). Labels follow date order at first sight; they are not rewritten
      // if an earlier study arrives later.
      const date = item.study.dateShifted ?? '';
      const earlier = new Set<string>();
      for (const s of catalogued)
        if ((s.studyDateShifted ?? '') < date) earlier.add(s.studyInstanceUid);
      for (const [uid, v] of this.#visits)
        if (v.pseudonym === item.pseudonym && v.date < date) earlier.add(uid);
      label = earlier.size === 0 ? 'baseline' : `follow-up-${earlier.size}`;
    }
    this.#visits.set(item.study.uid, {
      label,
      pseudonym: item.pseudonym,
      date: item.study.dateShifted ?? '',
    });
    return label;
  }
}
