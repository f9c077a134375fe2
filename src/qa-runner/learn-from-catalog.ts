import { learnProtocol } from '../qa/index.js';
import type { LearnedProtocol, LearnProtocolOptions } from '../qa/index.js';
import type { Workspace } from '../workspace/index.js';
import { loadSession } from './load-session.js';
import { selectStudies } from './run-qa.js';
import type { QaSelection } from './run-qa.js';

/**
 * Learns a reference protocol from catalogued sessions known to be good (headers only: no pixel
 * data is read); see `learnProtocol`.
 */
export async function learnProtocolFromCatalog(
  workspace: Workspace,
  selection: QaSelection,
  options: LearnProtocolOptions,
): Promise<LearnedProtocol> {
  const studies = await selectStudies(workspace, selection);
  const sessions = [];
  for (const study of studies) {
    sessions.push((await loadSession(workspace, study, { pixels: false })).observation);
  }
  return learnProtocol(sessions, options);
}
