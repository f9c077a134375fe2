import Type from 'typebox';

/** A DICOM UID in a path segment (PS3.5 §9.1: digits and dots, at most 64 characters). */
export const UidParam = Type.String({ pattern: '^[0-9]+(\\.[0-9]+)*$', maxLength: 64 });

/** `/studies/{study}` */
export const StudyParams = Type.Object({ study: UidParam });
/** `/studies/{study}/series/{series}` */
export const SeriesParams = Type.Object({ study: UidParam, series: UidParam });
/** `/studies/{study}/series/{series}/instances/{instance}` */
export const InstanceParams = Type.Object({
  study: UidParam,
  series: UidParam,
  instance: UidParam,
});
/** `.../instances/{instance}/frames/{frames}`: a comma-separated list of 1-based frame numbers. */
export const FrameParams = Type.Object({
  study: UidParam,
  series: UidParam,
  instance: UidParam,
  frames: Type.String({ pattern: '^[1-9][0-9]*(,[1-9][0-9]*)*$', maxLength: 4096 }),
});

/**
 * QIDO-RS query parameters (PS3.18 §8.3.4): `limit`, `offset`, `includefield`, `fuzzymatching`
 * and any attribute matching key, by keyword or tag; repeated keys arrive as arrays.
 */
export const QidoQuerystring = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Array(Type.String())]),
);

/** `.../rendered` query parameters (PS3.18 §8.3.5.1): `window=center,width,function`. */
export const RenderedQuerystring = Type.Object({
  window: Type.Optional(Type.String({ pattern: '^-?[0-9.eE+-]+,[0-9.eE+-]+(,[A-Za-z_]+)?$' })),
  quality: Type.Optional(Type.String()),
  viewport: Type.Optional(Type.String()),
});
