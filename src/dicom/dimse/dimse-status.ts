/**
 * DIMSE status codes medscale sends or interprets (PS3.7 Annex C; C-STORE statuses PS3.4 B.2.3,
 * C-FIND statuses PS3.4 C.4.1.1.4).
 */
export const DIMSE_STATUS = {
  success: 0x0000,
  /** C-FIND: one more match follows (PS3.4 C.4.1.1.4); C-MOVE, C-GET: sub-operations continue. */
  pending: 0xff00,
  /** C-FIND, C-MOVE, C-GET: cancelled by C-CANCEL-RQ. */
  cancel: 0xfe00,
  /** Refused: out of resources (PS3.4 B.2.3): the SCU may retry later. */
  outOfResources: 0xa700,
  /** Error: data set does not match SOP class (PS3.4 B.2.3). */
  datasetDoesNotMatchSopClass: 0xa900,
  /** Error: cannot understand (PS3.4 B.2.3). */
  cannotUnderstand: 0xc000,
  /** C-FIND failure: unable to process (PS3.4 C.4.1.1.4). */
  unableToProcess: 0xc001,
  /** C-MOVE refused: move destination unknown (PS3.4 C.4.2.1.5). */
  moveDestinationUnknown: 0xa801,
  /** C-MOVE/C-GET refused: out of resources, unable to calculate number of matches (PS3.4 C.4.2.1.5). */
  unableToCalculateMatches: 0xa701,
  /**
   * C-MOVE/C-GET refused: out of resources, unable to perform sub-operations (PS3.4 C.4.2.1.5);
   * also the final status when every sub-operation failed.
   */
  unableToPerformSubOperations: 0xa702,
  /** C-MOVE/C-GET: sub-operations complete, one or more failures or warnings (PS3.4 C.4.2.1.5). */
  subOperationsWarning: 0xb000,
  /** Refused: SOP class not supported (PS3.7 C.5.20). */
  sopClassNotSupported: 0x0122,
} as const;

/**
 * Whether a C-STORE status means the peer now holds the instance: success, or a warning
 * (0xB000, 0xB007, 0xB006; PS3.4 B.2.3), which also stores it.
 */
export function isStoreSuccess(status: number): boolean {
  return status === 0x0000 || (status & 0xf000) === 0xb000 || status === 0x0107;
}
