import { createRequire } from 'node:module';
import type * as DcmjsDimseModule from 'dcmjs-dimse';

/** The dcmjs-dimse module, as its bundled typings describe it. */
export type DcmjsDimse = typeof DcmjsDimseModule;

let loaded: DcmjsDimse | undefined;

/**
 * Loads dcmjs-dimse on first use: the only place that touches the package.
 *
 * @remarks
 * The package is a webpack UMD bundle whose named exports Node's ESM loader cannot see, hence
 * `require`. Loading is lazy so that importing `dicom/` (as every ingest worker does) does not pay
 * for the DIMSE stack. Its loglevel logger starts at TRACE and would print every PDU: it is set to
 * silent once (and its dcmjs copy's to errors), and medscale reports what matters through its own results and errors.
 */
export function dcmjsDimse(): DcmjsDimse {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    const module = require('dcmjs-dimse') as DcmjsDimse;
    module.log.setLevel('silent');
    // Its own dcmjs copy warns on the console for every private attribute it cannot name.
    const dcmjs = createRequire(require.resolve('dcmjs-dimse'))('dcmjs') as {
      log?: { setLevel(level: string): void };
    };
    dcmjs.log?.setLevel('error');
    loaded = module;
  }
  return loaded;
}
