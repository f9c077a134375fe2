import Type from 'typebox';

const Limit = Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 }));
const Offset = Type.Optional(Type.Integer({ minimum: 0 }));
const Text = Type.Optional(Type.String({ minLength: 1, maxLength: 256 }));

/** GET /api/subjects */
export const SubjectQuery = Type.Object(
  { project: Text, pseudonym: Text, limit: Limit, offset: Offset },
  { additionalProperties: false },
);
/** GET /api/studies: the filters of `medscale ls studies`. */
export const StudyQuery = Type.Object(
  {
    project: Text,
    pseudonym: Text,
    site: Text,
    visit: Text,
    dateFrom: Text,
    dateTo: Text,
    studyUid: Text,
    limit: Limit,
    offset: Offset,
  },
  { additionalProperties: false },
);
/** GET /api/series: the filters of `medscale ls series`. */
export const SeriesQuery = Type.Object(
  {
    project: Text,
    pseudonym: Text,
    site: Text,
    visit: Text,
    modality: Text,
    description: Text,
    studyUid: Text,
    state: Type.Optional(
      Type.Union([Type.Literal('receiving'), Type.Literal('stable'), Type.Literal('qa_done')]),
    ),
    limit: Limit,
    offset: Offset,
  },
  { additionalProperties: false },
);
/** GET /api/quarantine */
export const QuarantineQuery = Type.Object(
  { reasonCode: Text, project: Text, limit: Limit, offset: Offset },
  { additionalProperties: false },
);
/** GET /api/audit */
export const AuditQuery = Type.Object(
  { actor: Text, action: Text, limit: Limit, offset: Offset },
  { additionalProperties: false },
);
/** `GET /api/series/:uid` */
export const SeriesUidParams = Type.Object({
  uid: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)*$', maxLength: 64 }),
});
