import type { Command } from 'commander';
import { registerSimulateCarotid } from './simulate-carotid.js';
import { registerSimulateDrugs, registerSimulateLv, registerSimulateTrial } from './simulate-lv.js';

/**
 * `medscale simulate lv|trial|drugs|carotid`: personalized models and in-silico trials
 * (the `simulate` stage, issue 7). Each subcommand lives in its own file.
 */
export function registerSimulate(program: Command): void {
  const simulate = program
    .command('simulate')
    .description(
      'personalized models: left-ventricle pressure-volume loops and drugs, in-silico trials, carotid hemodynamics',
    );
  registerSimulateLv(simulate);
  registerSimulateTrial(simulate);
  registerSimulateDrugs(simulate);
  registerSimulateCarotid(simulate);
}
