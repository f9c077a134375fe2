import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DicomAttribute, DicomJson, ErrorCode } from '../../core/index.js';
import { PlatformError, errorMessage } from '../../core/index.js';
import { readPart10 } from '../../dicom/index.js';
import type { IngestOutcome } from '../../ingest/index.js';
import type { App, AppContext } from '../app-context.js';
import { parseMediaType, parseMultipartRelated } from '../dicomweb/multipart-related.js';
import type { MultipartPart } from '../dicomweb/multipart-related.js';
import { StudyParams } from '../schemas/dicomweb.js';
import { DICOMWEB_PREFIX, dicomwebBase, retrieveUrl } from './dicomweb-urls.js';

/**
 * Failure Reason (0008,1197) values of STOW-RS (PS3.18 §10.5.3, codes from PS3.4 Annex B.2):
 * processing failure 0x0110, data set does not match SOP class 0xA900, cannot understand 0xC000,
 * transfer syntax not supported 0xC122.
 */
export const FAILURE_REASON = {
  processingFailure: 0x0110,
  doesNotMatch: 0xa900,
  cannotUnderstand: 0xc000,
  transferSyntaxNotSupported: 0xc122,
} as const;

/** Failure Reason by error code; codes not named are processing failures. */
const FAILURE_BY_CODE: Partial<Record<ErrorCode, number>> = {
  ERR_DICOM_NOT_DICOM: FAILURE_REASON.cannotUnderstand,
  ERR_DICOM_PARSE: FAILURE_REASON.cannotUnderstand,
  ERR_DICOM_TRUNCATED: FAILURE_REASON.cannotUnderstand,
  ERR_DICOM_MISSING_UID: FAILURE_REASON.doesNotMatch,
  ERR_DICOM_INVALID_UID: FAILURE_REASON.doesNotMatch,
  ERR_DICOM_UNSUPPORTED_TRANSFER_SYNTAX: FAILURE_REASON.transferSyntaxNotSupported,
};

function failureReasonOf(code: ErrorCode): number {
  return FAILURE_BY_CODE[code] ?? FAILURE_REASON.processingFailure;
}

type PartResult =
  | {
      readonly ok: true;
      readonly outcome: Extract<IngestOutcome, { status: 'stored' | 'duplicate' }>;
    }
  | {
      readonly ok: false;
      readonly reason: number;
      readonly code: string;
      readonly message: string;
    };

const STUDY_INSTANCE_UID = '0020000D';

/**
 * STOW-RS (PS3.18 §10.5): `POST /dicom-web/studies[/{study}]` with a
 * `multipart/related; type="application/dicom"` body. Each part goes through the one ingest path, so it is
 * de-identified, stored durably and catalogued before the response is sent; the response is 200
 * when every instance was stored (or already was), 202 when some failed, 409 when all failed,
 * with the Store Instances Response Module as DICOM JSON (PS3.18 §10.5.3).
 *
 * @remarks
 * The references name the stored, pseudonymized UIDs: those are what WADO-RS serves, the
 * originals are never kept.
 */
export function registerStow(app: App, context: AppContext): void {
  app.addContentTypeParser('multipart/related', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });
  const handler = async (request: FastifyRequest, reply: FastifyReply, study?: string) => {
    const ingestor = context.ingestor;
    if (ingestor === undefined) {
      return reply
        .status(503)
        .send({ code: 'ERR_CONFIG', message: 'this server was started without STOW-RS' });
    }
    const contentType = request.headers['content-type'] ?? '';
    const body = request.body;
    if (!(body instanceof Uint8Array)) {
      throw new PlatformError(
        'ERR_USAGE',
        'STOW-RS needs a multipart/related; type="application/dicom" body',
      );
    }
    const message = parseMultipartRelated(body, contentType, { maxParts: context.maxParts });
    if (message.type !== undefined && message.type !== 'application/dicom') {
      // PS3.18 §10.5.1.1: metadata-and-bulk-data STOW is not supported here, only Part 10 files.
      return reply.status(415).send({
        code: 'ERR_USAGE',
        message: `only type="application/dicom" is accepted, got "${message.type}"`,
      });
    }
    if (message.parts.length === 0)
      throw new PlatformError('ERR_USAGE', 'the request has no parts');
    const source = `stow:${request.principal?.tokenName ?? 'unknown'}`;
    const results = await Promise.all(message.parts.map((part) => storePart(part, source, study)));
    const base = dicomwebBase(request);
    const stored = results.filter((r) => r.ok);
    const classes = await sopClassesOf(
      context,
      stored.map((r) => r.outcome.sopInstanceUid),
    );
    const referenced: DicomJson[] = stored.map(({ outcome }) => ({
      '00081150': { vr: 'UI', Value: [classes.get(outcome.sopInstanceUid) ?? ''] },
      '00081155': { vr: 'UI', Value: [outcome.sopInstanceUid] },
      '00081190': {
        vr: 'UR',
        Value: [
          retrieveUrl(
            base,
            outcome.studyInstanceUid,
            outcome.seriesInstanceUid,
            outcome.sopInstanceUid,
          ),
        ],
      },
    }));
    const failed: DicomJson[] = results
      .filter((r) => !r.ok)
      .map((r) => ({ '00081197': { vr: 'US', Value: [r.reason] } }));
    const studies = [...new Set(stored.map((r) => r.outcome.studyInstanceUid))];
    const response: Record<string, DicomAttribute> = {};
    if (studies.length === 1 && studies[0] !== undefined) {
      response['00081190'] = { vr: 'UR', Value: [retrieveUrl(base, studies[0])] };
    }
    if (failed.length > 0) response['00081198'] = { vr: 'SQ', Value: failed };
    if (referenced.length > 0) response['00081199'] = { vr: 'SQ', Value: referenced };
    await context.audit(
      request,
      'stow',
      studies.length > 0 ? studies.join(',') : (study ?? 'studies'),
      {
        parts: results.length,
        stored: stored.filter((r) => r.outcome.status === 'stored').length,
        duplicate: stored.filter((r) => r.outcome.status === 'duplicate').length,
        failed: results.filter((r) => !r.ok).map((r) => ({ code: r.code, reason: r.message })),
      },
    );
    const status = failed.length === 0 ? 200 : stored.length === 0 ? 409 : 202;
    return reply.status(status).type('application/dicom+json').send(response);
  };

  async function storePart(
    part: MultipartPart,
    source: string,
    study: string | undefined,
  ): Promise<PartResult> {
    const type = part.headers['content-type'];
    if (type !== undefined && parseMediaType(type).type !== 'application/dicom') {
      return {
        ok: false,
        reason: FAILURE_REASON.cannotUnderstand,
        code: 'ERR_USAGE',
        message: `part of type ${type} is not application/dicom`,
      };
    }
    if (study !== undefined) {
      // The path names the study as the sender knows it (its original UID): check before
      // de-identification remaps it (PS3.18 §10.5.1: instances of another study fail).
      let sent: unknown;
      try {
        sent = readPart10(part.body).dataset[STUDY_INSTANCE_UID]?.Value?.[0];
      } catch {
        sent = undefined; // unreadable parts are left to the ingestor, which quarantines them
      }
      if (typeof sent === 'string' && sent !== study) {
        return {
          ok: false,
          reason: FAILURE_REASON.doesNotMatch,
          code: 'ERR_USAGE',
          message: `instance of study ${sent} sent to study ${study}`,
        };
      }
    }
    try {
      const outcome = await ingestor().ingestBytes(part.body, source);
      if (outcome.status === 'quarantined') {
        return {
          ok: false,
          reason: failureReasonOf(outcome.code),
          code: outcome.code,
          message: outcome.reason,
        };
      }
      return { ok: true, outcome };
    } catch (error) {
      return {
        ok: false,
        reason: FAILURE_REASON.processingFailure,
        code: 'ERR_INTERNAL',
        message: errorMessage(error),
      };
    }
  }

  function ingestor() {
    if (context.ingestor === undefined) throw new PlatformError('ERR_INTERNAL', 'no ingestor');
    return context.ingestor;
  }

  app.post(`${DICOMWEB_PREFIX}/studies`, { config: { access: 'write' } }, (request, reply) =>
    handler(request, reply),
  );
  app.post(
    `${DICOMWEB_PREFIX}/studies/:study`,
    { schema: { params: StudyParams }, config: { access: 'write' } },
    (request, reply) => handler(request, reply, request.params.study),
  );
}

async function sopClassesOf(
  context: AppContext,
  uids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < uids.length; i += 500) {
    const chunk = uids.slice(i, i + 500);
    if (chunk.length === 0) break;
    const rows = await context.workspace.catalog.db
      .selectFrom('instance')
      .select(['sop_instance_uid', 'sop_class_uid'])
      .where('sop_instance_uid', 'in', chunk as never[])
      .execute();
    for (const row of rows) out.set(row.sop_instance_uid, row.sop_class_uid);
  }
  return out;
}
