// Starts a TypeScript worker entry when medscale runs from source (tsx, Vitest): Node 20 cannot
// load `.ts` in a worker, so register tsx's loader first, then import the real entry.
// Built code (dist/) starts its .js workers directly and never loads this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
