import type { CachedStageRun, CatalogHandle } from '../store/index.js';
import { stageRunsProducing } from '../store/index.js';

/** How an artifact was made: the stage run, and recursively how each of its input blobs was. */
export interface ArtifactExplanation {
  readonly digest: string;
  /** The run that produced it; absent for a blob that entered from outside (an ingested instance). */
  readonly run?: Omit<CachedStageRun, 'inputs' | 'output'>;
  /** Explanations of the digests the run's inputs name. */
  readonly inputs: readonly ArtifactExplanation[];
}

const DIGEST = /sha256:[0-9a-f]{64}/g;

/**
 * Follows an artifact back to its sources: the stage run that made it (stage, version,
 * parameters, worker, time), then every blob digest in that run's inputs, down to ingested
 * instances. `maxDepth` bounds the walk; shared inputs are explained once.
 */
export async function explainArtifact(
  catalog: CatalogHandle,
  digest: string,
  maxDepth = 8,
): Promise<ArtifactExplanation> {
  const seen = new Set<string>();
  const walk = async (d: string, depth: number): Promise<ArtifactExplanation> => {
    seen.add(d);
    const [run] = await stageRunsProducing(catalog, d);
    if (run === undefined || depth >= maxDepth) return { digest: d, inputs: [] };
    const { inputs, ...rest } = run;
    const summary: Omit<CachedStageRun, 'inputs' | 'output'> = {
      cacheKey: rest.cacheKey,
      stage: rest.stage,
      stageVersion: rest.stageVersion,
      params: rest.params,
      subjectId: rest.subjectId,
      seconds: rest.seconds,
      worker: rest.worker,
      createdAt: rest.createdAt,
    };
    const named = [...new Set(JSON.stringify(inputs).match(DIGEST) ?? [])].filter(
      (x) => !seen.has(x),
    );
    const explained: ArtifactExplanation[] = [];
    for (const x of named) {
      const e = await walk(x, depth + 1);
      // Ingested instances (no run) are listed by digest only when few: a series has hundreds.
      if (e.run !== undefined || named.length <= 16) explained.push(e);
    }
    return { digest: d, run: summary, inputs: explained };
  };
  return walk(digest, 0);
}
