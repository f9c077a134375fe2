/**
 * `synth lv-echo`: synthetic apical 4- and 2-chamber echo clips of a truncated-ellipsoid left
 * ventricle over a cardiac cycle, as DICOM Ultrasound Multi-frame Images, with exact label
 * masks (label stacks) and analytic ground-truth volumes.
 */
export {
  LV_ECHO_LABELS,
  LV_ECHO_LAYOUT,
  LV_ECHO_VIEWS,
  synthesizeLvEcho,
} from './synthesize-lv-echo.js';
export type {
  LvEchoCaseTruth,
  LvEchoFrameTruth,
  LvEchoGroundTruth,
  LvEchoSummary,
  LvEchoView,
  SynthLvEchoOptions,
} from './synthesize-lv-echo.js';
export { LABEL_STACK_FORMAT, readLabelStack, writeLabelStack } from './label-stack.js';
export type { LabelStack, LabelStackSidecar } from './label-stack.js';
export { LV_ECHO_FIXED_CASES, bsaMosteller, lvEchoCase, lvEchoCaseId } from './lv-echo-cases.js';
export { cyclePhases, ellipsoidVolumeMl, lvShapeAt, lvVolumeAt } from './lv-cycle.js';
export type { CyclePhases, LvEchoCaseSpec, LvEllipsoid, LvShape } from './lv-cycle.js';
export { encodeEchoClip } from './us-dataset.js';
export type { EchoClipHeader } from './us-dataset.js';
