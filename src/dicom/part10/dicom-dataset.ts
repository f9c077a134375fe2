import type { DicomAttribute } from '../../core/index.js';

/**
 * One attribute as held in memory while a file is read, edited and written: the DICOM JSON
 * model (PS3.18 Annex F) with binary values (OB, OW, OF, UN, pixel data fragments) kept as
 * `ArrayBuffer`s inside `Value` instead of base64. This is dcmjs's "dict" form.
 */
export interface DicomElement extends DicomAttribute {
  readonly Value?: readonly unknown[];
}

/**
 * A mutable dataset keyed by tag (eight upper-case hex digits). Sequences (VR SQ) hold nested
 * datasets in `Value`. Mutable on purpose: de-identification edits it in place before writing.
 */
export type DicomDataset = Record<string, DicomElement>;
