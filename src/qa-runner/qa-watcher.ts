import { errorMessage } from '../core/index.js';
import type { Protocol } from '../protocol/index.js';
import type { SessionQa } from '../qa/index.js';
import type { Workspace } from '../workspace/index.js';
import { runQa } from './run-qa.js';

/** Options of {@link startQaWatcher}. */
export interface QaWatcherOptions {
  readonly protocol: Protocol;
  /** A series is stable when no instance arrived for this long, in milliseconds. @defaultValue 10000 */
  readonly stableAfterMs?: number;
  /** How often to look for stable series, in milliseconds. @defaultValue 1000 */
  readonly pollMs?: number;
  /** A study whose QA failed is retried after this long, in milliseconds. @defaultValue 60000 */
  readonly retryAfterMs?: number;
  /** Called with each session checked. */
  readonly onChecked?: (session: SessionQa) => void;
  /** Called when a poll or a study's QA fails; the watcher goes on. */
  readonly onError?: (error: unknown, studyInstanceUid?: string) => void;
}

/** A running watcher. */
export interface QaWatcher {
  /** Stops polling and waits for a check in progress to finish. */
  close(): Promise<void>;
  /** Resolves after the next complete poll (for tests and orderly shutdown). */
  nextPoll(): Promise<void>;
}

/**
 * Real-time QA inside `medscale serve`: every `pollMs`, series that received no instance for
 * `stableAfterMs` become `stable`, and each study whose series are all stable (none still
 * receiving) is checked against the protocol; results land in the catalog and the series become
 * `qa_done`. A late instance puts its series back to `receiving` (the ingest path does that), so
 * the study is checked again once it settles.
 *
 * @remarks
 * It polls the catalog rather than listening to an ingestor, so it sees what every ingest path
 * commits (DICOMweb, DIMSE, another process on the same catalog) and survives restarts: state
 * lives in the catalog, not in memory.
 */
export function startQaWatcher(workspace: Workspace, options: QaWatcherOptions): QaWatcher {
  const stableAfterMs = options.stableAfterMs ?? 10_000;
  const pollMs = options.pollMs ?? 1000;
  const retryAfterMs = options.retryAfterMs ?? 60_000;
  const failedAt = new Map<string, number>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let waiters: (() => void)[] = [];

  async function poll(): Promise<void> {
    const db = workspace.catalog.db;
    const cutoff = new Date(Date.now() - stableAfterMs).toISOString();
    const settled = await db
      .selectFrom('series')
      .select('id')
      .where('state', '=', 'receiving')
      .where('updated_at', '<=', cutoff as never)
      .execute();
    if (settled.length > 0) {
      await db
        .updateTable('series')
        .set({ state: 'stable' })
        .where(
          'id',
          'in',
          settled.map((s) => s.id),
        )
        .where('state', '=', 'receiving')
        .where('updated_at', '<=', cutoff as never)
        .execute();
    }
    const ready = await db
      .selectFrom('study')
      .innerJoin('series', 'series.study_id', 'study.id')
      .select('study.study_instance_uid as uid')
      .groupBy('study.study_instance_uid')
      .having(
        (eb) =>
          eb.fn.sum<number>(eb.case().when('series.state', '=', 'stable').then(1).else(0).end()),
        '>',
        0,
      )
      .having(
        (eb) =>
          eb.fn.sum<number>(eb.case().when('series.state', '=', 'receiving').then(1).else(0).end()),
        '=',
        0,
      )
      .execute();
    for (const { uid } of ready) {
      if (stopped) return;
      const failed = failedAt.get(uid);
      if (failed !== undefined && Date.now() - failed < retryAfterMs) continue;
      try {
        const result = await runQa(workspace, {
          studies: [uid],
          protocol: options.protocol,
          actor: 'qa-watcher',
        });
        failedAt.delete(uid);
        for (const session of result.sessions) options.onChecked?.(session);
      } catch (error) {
        failedAt.set(uid, Date.now());
        options.onError?.(error, uid);
      }
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = poll()
        .catch((error: unknown) => {
          options.onError?.(
            new Error(`QA watcher poll failed: ${errorMessage(error)}`, { cause: error }),
          );
        })
        .finally(() => {
          const done = waiters;
          waiters = [];
          for (const w of done) w();
          schedule();
        });
    }, pollMs);
  }
  schedule();

  return {
    async close() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
      for (const w of waiters) w();
      waiters = [];
    },
    nextPoll() {
      return new Promise<void>((resolve) => {
        if (stopped) resolve();
        else waiters.push(resolve);
      });
    },
  };
}
