/** Verification SOP Class (PS3.4 Annex A). */
export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';
/** Patient Root Query/Retrieve Information Model - FIND (PS3.4 C.6.1.1). */
export const PATIENT_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.1.1';
/** Study Root Query/Retrieve Information Model - FIND (PS3.4 C.6.2.1). */
export const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
/** Patient Root Query/Retrieve Information Model - MOVE (PS3.4 C.6.1.2). */
export const PATIENT_ROOT_MOVE = '1.2.840.10008.5.1.4.1.2.1.2';
/** Patient Root Query/Retrieve Information Model - GET (PS3.4 C.6.1.3). */
export const PATIENT_ROOT_GET = '1.2.840.10008.5.1.4.1.2.1.3';
/** Study Root Query/Retrieve Information Model - MOVE (PS3.4 C.6.2.2). */
export const STUDY_ROOT_MOVE = '1.2.840.10008.5.1.4.1.2.2.2';
/** Study Root Query/Retrieve Information Model - GET (PS3.4 C.6.2.3). */
export const STUDY_ROOT_GET = '1.2.840.10008.5.1.4.1.2.2.3';
/**
 * Root of every standard storage SOP class UID (PS3.4 Annex B, PS3.6 Annex A): medscale accepts
 * any of them, present and future, since it stores instances as received.
 */
export const STORAGE_SOP_CLASS_ROOT = '1.2.840.10008.5.1.4.1.1.';

/** Transfer syntaxes in which query and verification messages are accepted (PS3.5 §10). */
export const UNCOMPRESSED_TRANSFER_SYNTAXES = [
  '1.2.840.10008.1.2.1', // explicit VR little endian: preferred, it keeps VRs
  '1.2.840.10008.1.2', // implicit VR little endian: the default every peer supports
] as const;

/**
 * Transfer syntaxes accepted for storage, as proposed, never transcoded (PS3.5 §10 and Annex A):
 * the instance is stored as the modality encoded it.
 */
export const STORAGE_TRANSFER_SYNTAXES = [
  ...UNCOMPRESSED_TRANSFER_SYNTAXES,
  '1.2.840.10008.1.2.2', // explicit VR big endian (retired, still sent by old devices)
  '1.2.840.10008.1.2.1.99', // deflated explicit VR little endian
  '1.2.840.10008.1.2.4.50', // JPEG baseline (process 1)
  '1.2.840.10008.1.2.4.51', // JPEG extended (processes 2 & 4)
  '1.2.840.10008.1.2.4.57', // JPEG lossless (process 14)
  '1.2.840.10008.1.2.4.70', // JPEG lossless, first-order prediction (process 14, SV1)
  '1.2.840.10008.1.2.4.80', // JPEG-LS lossless
  '1.2.840.10008.1.2.4.81', // JPEG-LS near-lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 lossless only
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.4.201', // HTJ2K lossless
  '1.2.840.10008.1.2.4.202', // HTJ2K lossless RPCL
  '1.2.840.10008.1.2.4.203', // HTJ2K
  '1.2.840.10008.1.2.5', // RLE lossless
] as const;

/**
 * The transfer syntax to accept from those proposed for one presentation context (PS3.8 §9.3.3.2:
 * exactly one is chosen); undefined when none is supported.
 *
 * @param order - `'proposed'`: the peer's first supported proposal, so that an SCU holding a
 * compressed file sends it as-is rather than transcoding it (storage); `'supported'`: medscale's
 * first preference the peer proposed (queries).
 */
export function chooseTransferSyntax(
  proposed: readonly string[],
  supported: readonly string[],
  order: 'proposed' | 'supported',
): string | undefined {
  const clean = proposed.map((uid) => uid.replace(/\0/g, '').trim());
  if (order === 'proposed') return clean.find((uid) => supported.includes(uid));
  const offered = new Set(clean);
  return supported.find((uid) => offered.has(uid));
}

/**
 * The transfer syntax to accept for a storage presentation context: the first proposed one that
 * is neither little endian uncompressed syntax, since an SCU proposing a compressed (or deflated,
 * or big endian) syntax holds the instance encoded so and sends it as-is; otherwise explicit VR
 * little endian, which keeps the VRs; otherwise implicit.
 */
export function chooseStorageSyntax(proposed: readonly string[]): string | undefined {
  const uncompressed: readonly string[] = UNCOMPRESSED_TRANSFER_SYNTAXES;
  const special = STORAGE_TRANSFER_SYNTAXES.filter((uid) => !uncompressed.includes(uid));
  return (
    chooseTransferSyntax(proposed, special, 'proposed') ??
    chooseTransferSyntax(proposed, UNCOMPRESSED_TRANSFER_SYNTAXES, 'supported')
  );
}
