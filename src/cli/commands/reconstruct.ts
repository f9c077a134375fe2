import type { Command } from 'commander';
import { registerReconstructCarotid } from './reconstruct-carotid.js';
import { registerReconstructLv } from './reconstruct-lv.js';
import { registerReconstructSurface } from './reconstruct-surface.js';

/**
 * `medscale reconstruct surface|carotid|lv`: geometry from segmentations (the `reconstruct`
 * stage, issue 6). Each subcommand lives in its own file.
 */
export function registerReconstruct(program: Command): void {
  const reconstruct = program
    .command('reconstruct')
    .description(
      'geometry from segmentations: surfaces from label volumes, the carotid bifurcation, the left ventricle',
    );
  registerReconstructSurface(reconstruct);
  registerReconstructLv(reconstruct);
  registerReconstructCarotid(reconstruct);
}
