import type { JsonObject, JsonValue } from '../core/index.js';
import type { ArtifactKind } from '../store/index.js';
import type { Workspace } from '../workspace/index.js';

/** The level of the catalog a stage runs on: once per subject, per study or per series. */
export type StageLevel = 'subject' | 'study' | 'series';

/**
 * A series as a stage sees it: headers summarized, instances by blob digest. Only data that
 * never change after ingest belong here (no QA-assigned protocol key): the target is part of the
 * cache key, and derived data in it would invalidate every cached result once QA runs.
 */
export interface TargetSeries {
  readonly uid: string;
  readonly modality: string | null;
  readonly description: string | null;
  /** Blob digests of the instances, in instance-number order. */
  readonly instances: readonly string[];
}

/** A study as a stage sees it. */
export interface TargetStudy {
  readonly uid: string;
  readonly site: string | null;
  readonly visit: string | null;
  readonly series: readonly TargetSeries[];
}

/**
 * What one job of a stage runs on. It names the subject by pseudonym (never by catalog row id),
 * so the same data give the same cache key in any catalog.
 */
export interface PipelineTarget {
  readonly level: StageLevel;
  readonly project: string;
  readonly subject: string;
  /** Non-imaging variables of the subject (`clinical` table), latest value per variable. */
  readonly clinical: Readonly<Record<string, string>>;
  /** The study, for study- and series-level jobs. */
  readonly study?: Omit<TargetStudy, 'series'>;
  /** The series, for series-level jobs. */
  readonly series?: TargetSeries;
  /** Every study of the subject (with its series), for subject-level jobs. */
  readonly studies?: readonly TargetStudy[];
}

/** What a stage's `run` receives: JSON only, blobs by digest. */
export interface StageInput {
  /** The stage's parameters from the pipeline file, defaults filled in. */
  readonly params: JsonObject;
  readonly target: PipelineTarget;
  /**
   * Outputs of the stages this one needs, by stage id: one output object, or an array of them
   * when the needed stage ran once per series or study of the subject.
   */
  readonly upstream: Readonly<Record<string, JsonValue>>;
}

/** What a stage may do besides computing: read and write blobs, log, notice cancellation. */
export interface StageContext {
  readonly signal: AbortSignal;
  /** Reads a blob by `sha256:` digest. */
  readonly getBlob: (digest: string) => Promise<Uint8Array>;
  /**
   * Stores a blob durably and records it as an artifact of this run; returns its digest. The
   * same bytes give the same digest, so a repeated run creates no new blob.
   */
  readonly putArtifact: (bytes: Uint8Array, kind: ArtifactKind, format: string) => Promise<string>;
  readonly log: (message: string) => void;
  /** The workspace, for stages that declare `needsCatalog` (they run where a catalog is open). */
  readonly workspace?: Workspace;
}

/**
 * One step of a pipeline (STYLE.md 3.5). JSON in, JSON out, blobs by digest, so the same stage
 * runs in a worker thread or in a BullMQ worker on another host. `version` goes into the cache
 * key: raise it whenever a change alters the stage's output.
 */
export interface Stage {
  /** Stable name, used as the BullMQ job name and in logs: `'simulate.lv'`. */
  readonly name: string;
  readonly version: number;
  readonly description: string;
  /** The catalog level the stage runs on unless the pipeline file says otherwise. */
  readonly level: StageLevel;
  /** Parameters used when the pipeline file gives none. */
  readonly defaults: JsonObject;
  /** Whether the stage reads or writes the catalog itself (QA does): it then runs beside it. */
  readonly needsCatalog?: boolean;
  run(input: StageInput, ctx: StageContext): Promise<JsonObject>;
}
