/**
 * The DICOM node: wires the DIMSE protocol layer (dicom/) to a workspace's ingest path and
 * catalog. Shell code, like cli/ and server/.
 * @packageDocumentation
 */
export { startDimseService, storeStatusOf } from './dimse-service.js';
export type { DimseService, DimseServiceEvent, DimseServiceOptions } from './dimse-service.js';
