/**
 * DIMSE networking (PS3.7, PS3.8): a C-ECHO/C-STORE/C-FIND/C-GET/C-MOVE SCP that hands received
 * instances to a callback as Part 10 bytes and retrieves what a callback resolves, and a
 * C-ECHO/C-STORE SCU. Knows nothing of the store.
 * @packageDocumentation
 */
export { startDimseServer } from './dimse-server.js';
export type {
  DimseCallContext,
  DimseServer,
  DimseServerOptions,
  DimseStoreContext,
  DimseStoreResult,
  FindResults,
  MoveDestination,
  RetrieveItem,
} from './dimse-server.js';
export { echo, sendFiles, storeRequestOf } from './dimse-client.js';
export type { DimsePeer, EchoResult, SendOutcome, SendResult } from './dimse-client.js';
export { DIMSE_STATUS, isStoreSuccess } from './dimse-status.js';
export { matchesIdentifier, projectMatch, QUERY_LEVELS } from './find-matching.js';
export type { FindDataset, QueryLevel } from './find-matching.js';
export { part10FromDimse } from './part10-from-dimse.js';
export type { ReceivedInstanceMeta } from './part10-from-dimse.js';
export {
  STORAGE_TRANSFER_SYNTAXES,
  UNCOMPRESSED_TRANSFER_SYNTAXES,
  chooseStorageSyntax,
  chooseTransferSyntax,
} from './transfer-syntaxes.js';
