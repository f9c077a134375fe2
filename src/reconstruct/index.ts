/**
 * Reconstruction stage: label volumes and masks become geometry a model can run on (surfaces,
 * the carotid bifurcation, the left ventricle, finite-element meshes). Pure: data in, data out.
 */
export * from './surface/index.js';
export * from './carotid/index.js';
export * from './lv/index.js';
export * from './fe/index.js';
