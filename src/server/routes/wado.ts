import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PlatformError, parseBlobDigest } from '../../core/index.js';
import { decodePixelData, frameToDisplay, readPart10 } from '../../dicom/index.js';
import type { VoiWindow } from '../../dicom/index.js';
import { writePng } from '../../formats/index.js';
import type { App, AppContext } from '../app-context.js';
import {
  closingDelimiter,
  encodeMultipartRelated,
  newBoundary,
  partHead,
} from '../dicomweb/multipart-related.js';
import { findInstanceMetadata, findStoredInstances } from '../dicomweb/wado-query.js';
import type { StoredInstance, WadoTarget } from '../dicomweb/wado-query.js';
import {
  FrameParams,
  InstanceParams,
  RenderedQuerystring,
  SeriesParams,
  StudyParams,
} from '../schemas/dicomweb.js';
import { DICOMWEB_PREFIX, dicomwebBase, retrieveUrl } from './dicomweb-urls.js';

/** Explicit VR Little Endian: the transfer syntax of every frame WADO-RS returns decoded. */
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** Throws 406-worthy usage when the Accept header excludes what the route returns. */
function acceptable(request: FastifyRequest, mediaType: string): boolean {
  const accept = request.headers.accept;
  if (accept === undefined || accept.trim() === '') return true;
  const [type, subtype] = mediaType.split('/');
  return accept.split(',').some((entry) => {
    const range = (entry.split(';')[0] ?? '').trim().toLowerCase();
    return range === '*/*' || range === `${type}/*` || range === `${type}/${subtype}`;
  });
}

function notAcceptable(reply: FastifyReply, mediaType: string) {
  return reply
    .status(406)
    .send({ code: 'ERR_USAGE', message: `this resource is only available as ${mediaType}` });
}

function numberOfFrames(dataset: Readonly<Record<string, { Value?: readonly unknown[] }>>): number {
  const n = Number(dataset['00280008']?.Value?.[0] ?? 1);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

function frameBytes(frame: ArrayBufferView): Uint8Array {
  // Typed arrays are host-endian; every platform Node supports here is little endian, which is
  // what Explicit VR Little Endian frames must be (PS3.5 §A.2).
  return new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
}

/**
 * WADO-RS (PS3.18 §10.4): studies, series and instances as
 * `multipart/related; type="application/dicom"` (the stored de-identified Part 10 files, in their stored transfer
 * syntax), their metadata as DICOM JSON, frames as decoded native pixel data
 * (`application/octet-stream`, Explicit VR Little Endian) and rendered frames as PNG.
 *
 * @remarks
 * Transcoding is not offered: an instance is served as stored, its part labelled with its
 * transfer syntax; frames are always decoded. Bulk data is not offered as BulkDataURI; viewers
 * fetch pixels through `/frames`.
 */
export function registerWado(app: App, context: AppContext): void {
  const { workspace } = context;
  const dicomType = 'multipart/related';

  const retrieve = async (request: FastifyRequest, reply: FastifyReply, target: WadoTarget) => {
    if (!acceptable(request, dicomType))
      return notAcceptable(reply, 'multipart/related; type="application/dicom"');
    const instances = await findStoredInstances(workspace.catalog, target);
    await context.audit(request, 'wado', request.url, { instances: instances.length });
    const boundary = newBoundary();
    const base = dicomwebBase(request);
    async function* parts(list: readonly StoredInstance[]) {
      for (const [i, instance] of list.entries()) {
        yield partHead(
          boundary,
          {
            contentType: `application/dicom; transfer-syntax=${instance.transferSyntaxUid}`,
            headers: {
              'Content-Location': retrieveUrl(
                base,
                instance.studyInstanceUid,
                instance.seriesInstanceUid,
                instance.sopInstanceUid,
              ),
            },
          },
          i === 0,
        );
        yield await workspace.blobs.get(parseBlobDigest(instance.blobDigest));
      }
      yield closingDelimiter(boundary);
    }
    // Streamed one blob at a time, so retrieving a 3,000-instance study holds one file in memory.
    return reply
      .type(`multipart/related; type="application/dicom"; boundary=${boundary}`)
      .send(Readable.from(parts(instances)));
  };

  const metadata = async (request: FastifyRequest, reply: FastifyReply, target: WadoTarget) => {
    const json = await findInstanceMetadata(workspace.catalog, target);
    await context.audit(request, 'wado', request.url, { instances: json.length });
    return reply.type('application/dicom+json').send(json);
  };

  const readInstance = async (target: Required<WadoTarget>) => {
    const [instance] = await findStoredInstances(workspace.catalog, target);
    if (instance === undefined)
      throw new PlatformError(
        'ERR_CATALOG_NOT_FOUND',
        `instance ${target.instance} is not in the catalog`,
      );
    return readPart10(await workspace.blobs.get(parseBlobDigest(instance.blobDigest)));
  };

  const frameIndices = (list: string, count: number): number[] =>
    list.split(',').map((text) => {
      const n = Number(text);
      if (n < 1 || n > count) {
        throw new PlatformError(
          'ERR_USAGE',
          `frame ${text} is out of range: the instance has ${count} frame(s)`,
        );
      }
      return n - 1;
    });

  const frames = async (
    request: FastifyRequest,
    reply: FastifyReply,
    target: Required<WadoTarget>,
    list: string,
  ) => {
    if (!acceptable(request, dicomType))
      return notAcceptable(reply, 'multipart/related; type="application/octet-stream"');
    const part10 = await readInstance(target);
    const indices = frameIndices(list, numberOfFrames(part10.dataset));
    const pixels = await decodePixelData(part10, { frames: indices });
    await context.audit(request, 'wado', request.url, { frames: indices.length });
    const boundary = newBoundary();
    const body = encodeMultipartRelated(
      boundary,
      pixels.frames.map((frame) => ({
        contentType: `application/octet-stream; transfer-syntax=${EXPLICIT_VR_LITTLE_ENDIAN}`,
        body: frameBytes(frame),
      })),
    );
    return reply
      .type(`multipart/related; type="application/octet-stream"; boundary=${boundary}`)
      .send(body);
  };

  const rendered = async (
    request: FastifyRequest<{ Querystring: { window?: string } }>,
    reply: FastifyReply,
    target: Required<WadoTarget>,
    list: string | undefined,
  ) => {
    if (!acceptable(request, 'image/png')) return notAcceptable(reply, 'image/png');
    const part10 = await readInstance(target);
    const [index = 0] =
      list === undefined ? [0] : frameIndices(list, numberOfFrames(part10.dataset));
    const pixels = await decodePixelData(part10, { frames: [index] });
    const window = request.query.window;
    let voi: VoiWindow | undefined;
    if (window !== undefined) {
      const [center, width, fn = 'linear'] = window.split(',');
      const name = fn.toUpperCase();
      if (name !== 'LINEAR' && name !== 'LINEAR_EXACT' && name !== 'SIGMOID') {
        throw new PlatformError(
          'ERR_USAGE',
          `window function must be linear, linear_exact or sigmoid, got "${fn}"`,
        );
      }
      voi = { center: Number(center), width: Math.max(1, Number(width)), function: name };
    }
    const display = frameToDisplay(pixels, 0, voi === undefined ? {} : { window: voi });
    await context.audit(request, 'wado', request.url, { rendered: true });
    return reply.type('image/png').send(
      Buffer.from(
        writePng({
          width: display.columns,
          height: display.rows,
          channels: display.samplesPerPixel,
          bitDepth: 8,
          data: display.data,
        }),
      ),
    );
  };

  const read = { access: 'read' as const };
  const studyUrl = `${DICOMWEB_PREFIX}/studies/:study`;
  const seriesUrl = `${studyUrl}/series/:series`;
  const instanceUrl = `${seriesUrl}/instances/:instance`;
  app.get(studyUrl, { schema: { params: StudyParams }, config: read }, (request, reply) =>
    retrieve(request, reply, { study: request.params.study }),
  );
  app.get(seriesUrl, { schema: { params: SeriesParams }, config: read }, (request, reply) =>
    retrieve(request, reply, request.params),
  );
  app.get(instanceUrl, { schema: { params: InstanceParams }, config: read }, (request, reply) =>
    retrieve(request, reply, request.params),
  );
  app.get(
    `${studyUrl}/metadata`,
    { schema: { params: StudyParams }, config: read },
    (request, reply) => metadata(request, reply, { study: request.params.study }),
  );
  app.get(
    `${seriesUrl}/metadata`,
    { schema: { params: SeriesParams }, config: read },
    (request, reply) => metadata(request, reply, request.params),
  );
  app.get(
    `${instanceUrl}/metadata`,
    { schema: { params: InstanceParams }, config: read },
    (request, reply) => metadata(request, reply, request.params),
  );
  app.get(
    `${instanceUrl}/frames/:frames`,
    { schema: { params: FrameParams }, config: read },
    (request, reply) => frames(request, reply, request.params, request.params.frames),
  );
  app.get(
    `${instanceUrl}/rendered`,
    { schema: { params: InstanceParams, querystring: RenderedQuerystring }, config: read },
    (request, reply) => rendered(request, reply, request.params, undefined),
  );
  app.get(
    `${instanceUrl}/frames/:frames/rendered`,
    { schema: { params: FrameParams, querystring: RenderedQuerystring }, config: read },
    (request, reply) => rendered(request, reply, request.params, request.params.frames),
  );
}
