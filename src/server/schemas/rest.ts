import Type from 'typebox';
import { ARTIFACT_KINDS, JOB_STATES, QA_STATUSES } from '../../store/index.js';

const Limit = Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 }));
const Offset = Type.Optional(Type.Integer({ minimum: 0 }));
const Text = Type.Optional(Type.String({ minLength: 1, maxLength: 256 }));

/** One of the given strings, from the catalog's own list so that the two cannot drift apart. */
function oneOf<const T extends string>(values: readonly T[]) {
  return Type.Optional(Type.Union(values.map((value) => Type.Literal(value))));
}

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
/** GET /api/visits */
export const VisitQuery = Type.Object(
  { project: Text, pseudonym: Text, limit: Limit, offset: Offset },
  { additionalProperties: false },
);
/** GET /api/qa-results: `checkPrefix` matches the start of the check name (`param.`). */
export const QaResultQuery = Type.Object(
  {
    studyUid: Text,
    seriesUid: Text,
    status: oneOf(QA_STATUSES),
    checkPrefix: Text,
    limit: Limit,
    offset: Offset,
  },
  { additionalProperties: false },
);
/** GET /api/artifacts */
export const ArtifactQuery = Type.Object(
  {
    kind: oneOf(ARTIFACT_KINDS),
    project: Text,
    pseudonym: Text,
    seriesUid: Text,
    limit: Limit,
    offset: Offset,
  },
  { additionalProperties: false },
);
/** `GET /api/artifacts/:id/download` */
export const ArtifactIdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});
/** GET /api/jobs */
export const JobQuery = Type.Object(
  {
    state: oneOf(JOB_STATES),
    stage: Text,
    limit: Limit,
    offset: Offset,
  },
  { additionalProperties: false },
);
/** GET /api/clinical */
export const ClinicalQuery = Type.Object(
  { project: Text, pseudonym: Text, variable: Text, visit: Text, limit: Limit, offset: Offset },
  { additionalProperties: false },
);
