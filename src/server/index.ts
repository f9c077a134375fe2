/**
 * The HTTP server of `medscale serve`: DICOMweb (PS3.18: STOW-RS, QIDO-RS, WADO-RS) under
 * `/dicom-web` and a JSON API under `/api`, behind API tokens with roles. {@link buildApp}
 * never listens; the CLI does.
 * @packageDocumentation
 */
export { buildApp, routeTable } from './app.js';
export type { RouteEntry } from './app.js';
export type { App, AppContext, AppOptions } from './app-context.js';
export { HTTP_STATUS, httpStatusOf } from './http-status.js';
export {
  API_TOKEN_PREFIX,
  createApiToken,
  hashApiToken,
  isApiTokenRole,
} from './auth/api-token.js';
export type { CreateApiTokenOptions, CreatedApiToken } from './auth/api-token.js';
export { ROLE_ACCESS, authenticate, authorize } from './auth/access.js';
export type { Principal, RouteAccess } from './auth/access.js';
export {
  encodeMultipartRelated,
  newBoundary,
  parseMediaType,
  parseMultipartRelated,
} from './dicomweb/multipart-related.js';
export type {
  MediaType,
  MultipartPart,
  MultipartRelated,
  OutgoingPart,
  ParseMultipartOptions,
} from './dicomweb/multipart-related.js';
export { matchesAttribute, qidoTag, QIDO_KEYWORDS } from './dicomweb/qido-match.js';
export type { MatchKey } from './dicomweb/qido-match.js';
export { searchCatalog } from './dicomweb/qido-query.js';
export type { QidoLevel, QidoQuery, QidoResult, QidoRow } from './dicomweb/qido-query.js';
export { DICOMWEB_PREFIX } from './routes/dicomweb-urls.js';
export { ARTIFACT_CONTENT_TYPES, REST_PREFIX } from './routes/rest.js';
export { FAILURE_REASON } from './routes/stow.js';
