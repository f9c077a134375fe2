import { fileURLToPath } from 'node:url';
import { PlatformError } from '../../core/index.js';
import { DEFAULT_PROTOCOL_URL, readProtocolFile } from '../../protocol/index.js';
import { runQa } from '../../qa-runner/index.js';
import type { Stage } from '../stage.js';

/**
 * `qa.session`: protocol and image-quality QA of one study (completeness, parameters, scan
 * region, image quality with normative ranges), stored in the catalog as `medscale qa run` does.
 * It reads the cohort's metric history, so it runs beside the catalog (`needsCatalog`).
 *
 * Parameters: `protocol`, the path of a protocol file (JSON or YAML); the embedded default
 * protocol when absent.
 */
export const qaSessionStage: Stage = {
  name: 'qa.session',
  version: 1,
  description: 'protocol and image-quality QA of one session',
  level: 'study',
  defaults: {},
  needsCatalog: true,
  async run(input, ctx) {
    const study = input.target.study;
    if (study === undefined)
      throw new PlatformError('ERR_PIPELINE_INVALID', 'qa.session runs on studies');
    if (ctx.workspace === undefined)
      throw new PlatformError('ERR_PIPELINE_STAGE', 'qa.session needs the catalog');
    const path = input.params['protocol'];
    const protocol = await readProtocolFile(
      typeof path === 'string' ? path : fileURLToPath(DEFAULT_PROTOCOL_URL),
    );
    const result = await runQa(ctx.workspace, {
      protocol,
      studies: [study.uid],
      actor: 'pipeline',
    });
    const [session] = result.sessions;
    if (session === undefined)
      throw new PlatformError('ERR_QA_INPUT', `study ${study.uid} was not found for QA`);
    return {
      study: study.uid,
      status: session.status,
      protocol: `${session.protocolName} ${session.protocolVersion}`,
      failed: session.checks.filter((c) => c.status === 'fail').map((c) => c.check),
      warned: session.checks.filter((c) => c.status === 'warn').map((c) => c.check),
    };
  },
};
