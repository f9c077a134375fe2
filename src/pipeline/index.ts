/**
 * Pipeline engine: stages wired into workflows over a cohort, a provenance cache so nothing is
 * computed twice, and runners on worker threads (local) or BullMQ workers on Redis (distributed).
 * @packageDocumentation
 */
export type {
  PipelineTarget,
  Stage,
  StageContext,
  StageInput,
  StageLevel,
  TargetSeries,
  TargetStudy,
} from './stage.js';
export { cacheKey, canonicalJson } from './cache-key.js';
export { computeStage, runThroughCache, stageRunKey, workerName } from './execute-stage.js';
export type { ComputedStage, JobOutcome, StageEnvironment } from './execute-stage.js';
export { STAGE_REGISTRY, stageByName } from './registry.js';
export { parsePipeline, readPipelineFile } from './pipeline-spec.js';
export type { PipelineSpec, PipelineStageSpec, StageCondition } from './pipeline-spec.js';
export { planPipeline, upstreamAllows } from './plan-pipeline.js';
export type { CohortQuery, PipelinePlan, PlannedJob } from './plan-pipeline.js';
export { runPipeline } from './run-pipeline.js';
export type {
  JobDispatcher,
  JobEnd,
  RunEvent,
  RunPipelineOptions,
  RunSummary,
  StepSummary,
} from './run-pipeline.js';
export { LocalDispatcher } from './local/local-dispatcher.js';
export type { LocalDispatcherOptions } from './local/local-dispatcher.js';
export { BullmqDispatcher } from './bullmq/bullmq-dispatcher.js';
export type { BullmqDispatcherOptions, StageJobData } from './bullmq/bullmq-dispatcher.js';
export { startStageWorker } from './bullmq/stage-worker.js';
export type { StageWorker, StageWorkerOptions } from './bullmq/stage-worker.js';
export { redisOptions, STAGE_QUEUE } from './bullmq/redis-connection.js';
export { explainArtifact } from './explain-artifact.js';
export type { ArtifactExplanation } from './explain-artifact.js';
