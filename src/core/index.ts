/**
 * The shared kernel: types and helpers every stage speaks. Imports nothing else from `src/`.
 * @packageDocumentation
 */
export * from './brand.js';
export * from './errors.js';
export * from './ids.js';
export * from './json.js';
export * from './volume.js';
export * from './dicom-json.js';
export * from './mesh.js';
export * from './worker-jobs.js';
