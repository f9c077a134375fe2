import type { FastifyRequest } from 'fastify';

/** Prefix of every DICOMweb route (DESIGN.md §4). */
export const DICOMWEB_PREFIX = '/dicom-web';

/** The absolute base of DICOMweb URLs as the client reached us, for RetrieveURL (0008,1190). */
export function dicomwebBase(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${DICOMWEB_PREFIX}`;
}

/** The WADO-RS URL of a study, series or instance. */
export function retrieveUrl(
  base: string,
  study: string,
  series?: string,
  instance?: string,
): string {
  let url = `${base}/studies/${study}`;
  if (series !== undefined) url += `/series/${series}`;
  if (series !== undefined && instance !== undefined) url += `/instances/${instance}`;
  return url;
}
