import { createServer } from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { Dataset, association, requests, responses } from 'dcmjs-dimse';
import { PlatformError, errorMessage } from '../../core/index.js';
import { dcmjsDimse } from './dcmjs-dimse-adapter.js';
import { sendFiles, storeRequestOf } from './dimse-client.js';
import type { SendOutcome } from './dimse-client.js';
import { DIMSE_STATUS, isStoreSuccess } from './dimse-status.js';
import { matchesIdentifier, projectMatch, QUERY_LEVELS } from './find-matching.js';
import type { FindDataset, QueryLevel } from './find-matching.js';
import { part10FromDimse } from './part10-from-dimse.js';
import {
  PATIENT_ROOT_FIND,
  PATIENT_ROOT_GET,
  PATIENT_ROOT_MOVE,
  STORAGE_SOP_CLASS_ROOT,
  STORAGE_TRANSFER_SYNTAXES,
  STUDY_ROOT_FIND,
  STUDY_ROOT_GET,
  STUDY_ROOT_MOVE,
  UNCOMPRESSED_TRANSFER_SYNTAXES,
  VERIFICATION_SOP_CLASS,
  chooseStorageSyntax,
  chooseTransferSyntax,
} from './transfer-syntaxes.js';

/** Who is calling: the association a request arrived on. */
export interface DimseCallContext {
  /** Calling AE title (PS3.8 §9.3.2), trimmed. */
  readonly callingAe: string;
  /** Called AE title, trimmed. */
  readonly calledAe: string;
  /** Site the calling AE title is registered for in `allowedCallers`, if any. */
  readonly site?: string;
  /** Peer IP address. */
  readonly remoteAddress?: string;
}

/** What a C-STORE SCP callback receives besides the Part 10 bytes. */
export interface DimseStoreContext extends DimseCallContext {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /** Transfer syntax the data set was received in (and is encoded in, in the Part 10 bytes). */
  readonly transferSyntaxUid: string;
}

/** The C-STORE response a store callback decides (PS3.4 B.2.3). */
export interface DimseStoreResult {
  /** DIMSE status: 0x0000 only once the instance is durable; 0xA700, 0xA900, 0xC000 otherwise. */
  readonly status: number;
  /** Error Comment (0000,0902), at most 64 characters (LO); longer ones are cut. */
  readonly errorComment?: string;
}

/** Matches for one C-FIND request, in any iterable form. */
export type FindResults =
  Iterable<FindDataset> | AsyncIterable<FindDataset> | Promise<Iterable<FindDataset>>;

/** One instance a C-MOVE or C-GET retrieves. */
export interface RetrieveItem {
  readonly sopInstanceUid: string;
  /** Reads the instance as a Part 10 file; its data set is sent unchanged where the peer accepts its syntax. */
  load(): Promise<Uint8Array>;
}

/** Where a C-MOVE destination AE title listens. */
export interface MoveDestination {
  readonly host: string;
  readonly port: number;
}

/** Options of {@link startDimseServer}. */
export interface DimseServerOptions {
  /**
   * Address to listen on.
   * @defaultValue '127.0.0.1'
   */
  readonly host?: string;
  /**
   * TCP port; 0 picks a free one, reported as {@link DimseServer.port}.
   * @defaultValue 11112
   */
  readonly port?: number;
  /** This SCP's AE title; associations calling another title are rejected (PS3.8 §9.3.4, reason 7). */
  readonly aeTitle: string;
  /**
   * Calling AE titles allowed to associate, each with the site it stands for. Absent: any caller
   * (no site). Others are rejected with A-ASSOCIATE-RJ, permanent, service-user, reason 3
   * "calling-AE-title-not-recognized" (PS3.8 §9.3.4).
   */
  readonly allowedCallers?: Readonly<Record<string, string>>;
  /**
   * Accept associations whatever called AE title they name.
   * @defaultValue false
   */
  readonly acceptAnyCalledAe?: boolean;
  /**
   * Receives each instance as a complete Part 10 file (meta group + data set as received); its
   * result is the C-STORE response, so resolve with 0x0000 only once the instance is durable. Never
   * called for a data set cut short by an abort or a dropped connection. A throw answers 0xA700.
   */
  readonly onStore: (bytes: Uint8Array, context: DimseStoreContext) => Promise<DimseStoreResult>;
  /**
   * Candidate matches for a C-FIND at `level`; may pre-filter on the identifier, and the SCP
   * applies PS3.4 C.2.2.2 matching and returns only the keys asked. Absent: C-FIND is not offered.
   */
  readonly onFind?: (
    level: QueryLevel,
    identifier: FindDataset,
    context: DimseCallContext,
  ) => FindResults;
  /**
   * The instances a C-MOVE or C-GET at `level` retrieves (PS3.4 C.4.2, C.4.3): those the
   * identifier's unique keys name. Absent: C-MOVE and C-GET are not offered.
   */
  readonly onRetrieve?: (
    level: QueryLevel,
    identifier: FindDataset,
    context: DimseCallContext,
  ) => Promise<readonly RetrieveItem[]>;
  /**
   * C-MOVE destinations by AE title; a C-MOVE naming another one is refused with 0xA801 "Move
   * Destination unknown" (PS3.4 C.4.2.1.5), and so is one naming a destination that is not in
   * `allowedCallers` when that is given: data leave only for peers both configured and allowed.
   */
  readonly moveDestinations?: Readonly<Record<string, MoveDestination>>;
  /**
   * Largest P-DATA PDU this SCP receives (PS3.8 §9.3.1), in bytes.
   * @defaultValue 262144
   */
  readonly maxPduLengthBytes?: number;
  /**
   * An association that sends no PDU for this long is aborted, in milliseconds.
   * @defaultValue 60000
   */
  readonly idleTimeoutMs?: number;
  /**
   * Most matches one C-FIND returns; beyond it the query is refused with 0xA700 (PS3.4 C.4.1.1.4).
   * @defaultValue 10000
   */
  readonly maxFindResults?: number;
  /** Told about connections that broke (malformed PDU, reset, timeout); the server keeps serving. */
  readonly onNetworkError?: (error: Error) => void;
}

/** A running DIMSE SCP. */
export interface DimseServer {
  /** Address it listens on. */
  readonly host: string;
  /** Port it listens on (the bound one when 0 was asked). */
  readonly port: number;
  readonly aeTitle: string;
  /** Open connections. */
  readonly connections: number;
  /** Stops listening, ends every association and waits for store callbacks in progress. */
  close(): Promise<void>;
}

/** What a C-GET or C-MOVE response needs (PS3.4 C.4.2.1.3, C.4.3.1.3). */
interface RetrieveResponse {
  setStatus(status: number): void;
  setRemaining(remaining: number): void;
  setCompleted(completed: number): void;
  setFailures(failures: number): void;
  setWarnings(warnings: number): void;
  setErrorComment(comment: string): void;
  /** The response's identifier (the Failed SOP Instance UID List). */
  setDataset(dataset: Dataset): void;
}

/** Collects one C-STORE data set's P-DATA fragments; handed to `cStoreRequest` in place of a parsed Dataset. */
class DatasetSink extends Writable {
  readonly chunks: Buffer[] = [];
  readonly transferSyntaxUid: string;

  constructor(transferSyntaxUid: string) {
    super();
    this.transferSyntaxUid = transferSyntaxUid;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk);
    callback();
  }
}

/**
 * Starts a DICOM upper-layer SCP (PS3.8) for Verification (C-ECHO, PS3.7 §9.1.5), Storage
 * (C-STORE, PS3.4 Annex B) and Query (C-FIND, PS3.4 Annex C, patient and study root), on
 * dcmjs-dimse's protocol machine with sockets medscale owns (bound to `host`, TCP_NODELAY set).
 *
 * @remarks
 * Received data sets are never parsed here: their fragments are collected raw and framed as
 * Part 10 by {@link part10FromDimse}, so pixel data reach `onStore` bit-identical, in any transfer
 * syntax. C-GET and C-MOVE (PS3.4 C.4.2, C.4.3) are offered with `onRetrieve`: their C-STORE
 * sub-operations send the stored data sets unchanged.
 *
 * @example
 * ```ts
 * const server = await startDimseServer({
 *   port: 0,
 *   aeTitle: 'MEDSCALE',
 *   onStore: async (bytes) => ({ status: 0 }),
 * });
 * console.log(server.port);
 * await server.close();
 * ```
 */
export async function startDimseServer(options: DimseServerOptions): Promise<DimseServer> {
  const d = dcmjsDimse();
  const { PresentationContextResult, RejectReason, RejectResult, RejectSource } = d.constants;
  const host = options.host ?? '127.0.0.1';
  const aeTitle = options.aeTitle.trim();
  if (aeTitle === '' || aeTitle.length > 16) {
    throw new PlatformError('ERR_USAGE', `an AE title has 1 to 16 characters, got "${aeTitle}"`);
  }
  const callers = new Map(
    Object.entries(options.allowedCallers ?? {}).map(([ae, site]) => [ae.trim(), site]),
  );
  const inflight = new Set<Promise<void>>();
  const sockets = new Set<Socket>();
  const onNetworkError = options.onNetworkError ?? (() => undefined);
  const idleMs = options.idleTimeoutMs ?? 60_000;
  const maxFindResults = options.maxFindResults ?? 10_000;
  const moveDestinations = new Map(
    Object.entries(options.moveDestinations ?? {}).map(([ae, where]) => [ae.trim(), where]),
  );
  const retrieveClasses = new Set<string>(
    options.onRetrieve === undefined
      ? []
      : [PATIENT_ROOT_MOVE, PATIENT_ROOT_GET, STUDY_ROOT_MOVE, STUDY_ROOT_GET],
  );

  class MedscaleScp extends d.Scp {
    context: DimseCallContext | undefined;
    readonly remoteAddress: string | undefined;
    readonly socketRef: Socket;
    readonly cancelled = new Set<number>();

    constructor(socket: Socket) {
      super(socket, { connectTimeout: idleMs * 3, associationTimeout: idleMs, pduTimeout: idleMs });
      this.socketRef = socket;
      this.remoteAddress = socket.remoteAddress;
    }

    override associationRequested(assoc: association.Association): void {
      const callingAe = assoc.getCallingAeTitle().trim();
      const calledAe = assoc.getCalledAeTitle().trim();
      if (options.allowedCallers !== undefined && !callers.has(callingAe)) {
        // PS3.8 §9.3.4: result 1 (rejected-permanent), source 1 (service-user), reason 3.
        this.sendAssociationReject(
          RejectResult.Permanent,
          RejectSource.ServiceUser,
          RejectReason.CallingAeNotRecognized,
        );
        return;
      }
      if (options.acceptAnyCalledAe !== true && calledAe !== aeTitle) {
        this.sendAssociationReject(
          RejectResult.Permanent,
          RejectSource.ServiceUser,
          RejectReason.CalledAeNotRecognized,
        );
        return;
      }
      const site = callers.get(callingAe);
      this.context = {
        callingAe,
        calledAe,
        ...(site === undefined ? {} : { site }),
        ...(this.remoteAddress === undefined ? {} : { remoteAddress: this.remoteAddress }),
      };
      assoc.setMaxPduLength(options.maxPduLengthBytes ?? 262_144);
      for (const { id } of assoc.getPresentationContexts()) {
        const pc = assoc.getPresentationContext(id);
        const abstract = pc.getAbstractSyntaxUid().replace(/\0/g, '').trim();
        const storage = abstract.startsWith(STORAGE_SOP_CLASS_ROOT);
        const offered =
          storage ||
          abstract === VERIFICATION_SOP_CLASS ||
          (options.onFind !== undefined &&
            (abstract === STUDY_ROOT_FIND || abstract === PATIENT_ROOT_FIND)) ||
          retrieveClasses.has(abstract);
        if (!offered) {
          pc.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
          continue;
        }
        // A storage context the SCU proposes with the SCP role (PS3.7 D.3.3.4) is for C-GET
        // sub-operations from medscale: little endian uncompressed first, which every stored
        // uncompressed instance is sent in unchanged; the others are sent unchanged where the SCU
        // proposes a context in their own syntax.
        const ts = storage
          ? pc.getProviderRole()
            ? chooseTransferSyntax(
                pc.getTransferSyntaxUids(),
                STORAGE_TRANSFER_SYNTAXES,
                'supported',
              )
            : chooseStorageSyntax(pc.getTransferSyntaxUids())
          : chooseTransferSyntax(
              pc.getTransferSyntaxUids(),
              UNCOMPRESSED_TRANSFER_SYNTAXES,
              'supported',
            );
        if (ts === undefined)
          pc.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
        else pc.setResult(PresentationContextResult.Accept, ts);
      }
      this.sendAssociationAccept();
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }

    override abort(): void {
      // A-ABORT (PS3.8 §7.3): drop the connection; a data set being received is discarded.
      this.socketRef.destroy();
    }

    override createStoreWritableStream(context: association.PresentationContext): Writable {
      return new DatasetSink(context.getAcceptedTransferSyntaxUid() ?? '1.2.840.10008.1.2');
    }

    override createDatasetFromStoreWritableStream(
      writable: Writable,
      _context: association.PresentationContext,
      callback: (dataset: Dataset) => void,
    ): void {
      // Only reached once the last fragment arrived (PS3.8 §9.3.5.1, message control header bit 1).
      callback(writable as unknown as Dataset);
    }

    override cEchoRequest(
      request: requests.CEchoRequest,
      callback: (response: responses.CEchoResponse) => void,
    ): void {
      const response = d.responses.CEchoResponse.fromRequest(request);
      response.setStatus(DIMSE_STATUS.success);
      callback(response);
    }

    override cStoreRequest(
      request: requests.CStoreRequest,
      callback: (response: responses.CStoreResponse) => void,
    ): void {
      const respond = (result: DimseStoreResult): void => {
        const response = d.responses.CStoreResponse.fromRequest(request);
        response.setStatus(result.status);
        if (result.errorComment !== undefined && result.status !== DIMSE_STATUS.success) {
          response.setErrorComment(result.errorComment.replace(/[\\\r\n]/g, ' ').slice(0, 64));
        }
        if (!this.socketRef.destroyed) callback(response);
      };
      const sink = request.getDataset() as unknown;
      const context = this.context;
      if (!(sink instanceof DatasetSink) || context === undefined) {
        respond({ status: DIMSE_STATUS.cannotUnderstand, errorComment: 'no data set' });
        return;
      }
      const dataset = Buffer.concat(sink.chunks);
      sink.chunks.length = 0;
      const storeContext: DimseStoreContext = {
        ...context,
        sopClassUid: request.getAffectedSopClassUid().replace(/\0/g, '').trim(),
        sopInstanceUid: request.getAffectedSopInstanceUid().replace(/\0/g, '').trim(),
        transferSyntaxUid: sink.transferSyntaxUid,
      };
      const task = (async () => {
        let result: DimseStoreResult;
        try {
          const bytes = part10FromDimse(dataset, {
            sopClassUid: storeContext.sopClassUid,
            sopInstanceUid: storeContext.sopInstanceUid,
            transferSyntaxUid: storeContext.transferSyntaxUid,
            sourceAeTitle: context.callingAe,
          });
          result = await options.onStore(bytes, storeContext);
        } catch (error) {
          result = { status: DIMSE_STATUS.outOfResources, errorComment: errorMessage(error) };
        }
        respond(result);
      })();
      track(task);
    }

    override cFindRequest(
      request: requests.CFindRequest,
      callback: (responses: responses.CFindResponse[]) => void,
    ): void {
      const messageId = request.getMessageId();
      // dcmjs-dimse's callback may be called once only: responses are gathered, then sent together.
      const out: responses.CFindResponse[] = [];
      const add = (status: number, dataset?: Record<string, unknown>, comment?: string): void => {
        const response = d.responses.CFindResponse.fromRequest(request);
        response.setStatus(status);
        if (dataset !== undefined) response.setDataset(new d.Dataset(dataset));
        if (comment !== undefined) response.setErrorComment(comment.slice(0, 64));
        out.push(response);
      };
      const finish = (): void => {
        this.cancelled.delete(messageId);
        if (!this.socketRef.destroyed) callback(out);
      };
      const context = this.context;
      const onFind = options.onFind;
      const identifier = (request.getDataset()?.getElements() ?? {}) as FindDataset;
      const rawLevel = identifier['QueryRetrieveLevel'];
      const level = (typeof rawLevel === 'string' ? rawLevel : '').trim().toUpperCase();
      const studyRoot = request.getAffectedSopClassUid().trim() === STUDY_ROOT_FIND;
      if (
        onFind === undefined ||
        context === undefined ||
        !(QUERY_LEVELS as readonly string[]).includes(level) ||
        (studyRoot && level === 'PATIENT')
      ) {
        // PS3.4 C.4.1.1.4: 0xA900 "identifier does not match SOP class".
        add(DIMSE_STATUS.datasetDoesNotMatchSopClass, undefined, `bad level "${level}"`);
        finish();
        return;
      }
      const task = (async () => {
        try {
          const results = await onFind(level as QueryLevel, identifier, context);
          let matches = 0;
          for await (const candidate of results as AsyncIterable<FindDataset>) {
            if (this.cancelled.has(messageId) || this.socketRef.destroyed) {
              add(DIMSE_STATUS.cancel); // C-CANCEL-RQ (PS3.7 §9.1.2.1.5): stop, say so
              finish();
              return;
            }
            if (!matchesIdentifier(identifier, candidate)) continue;
            if (++matches > maxFindResults) {
              out.length = 0;
              // PS3.4 C.4.1.1.4 0xA700 "refused: out of resources": too many matches to send.
              add(DIMSE_STATUS.outOfResources, undefined, `more than ${maxFindResults} matches`);
              finish();
              return;
            }
            add(DIMSE_STATUS.pending, projectMatch(identifier, candidate));
          }
          add(DIMSE_STATUS.success);
        } catch (error) {
          out.length = 0;
          add(DIMSE_STATUS.unableToProcess, undefined, errorMessage(error));
        }
        finish();
      })();
      track(task);
    }

    override cGetRequest(
      request: requests.CGetRequest,
      callback: (responses: responses.CGetResponse[]) => void,
    ): void {
      this.retrieve(request, undefined, () => {
        const response = d.responses.CGetResponse.fromRequest(request);
        return {
          response,
          send: (final) => {
            this.answer(request, response, final, callback);
          },
        };
      });
    }

    override cMoveRequest(
      request: requests.CMoveRequest,
      callback: (responses: responses.CMoveResponse[]) => void,
    ): void {
      const raw: unknown = request.getCommandDataset().getElement('MoveDestination');
      const destination = (typeof raw === 'string' ? raw : '').replace(/\0/g, '').trim();
      this.retrieve(request, destination, () => {
        const response = d.responses.CMoveResponse.fromRequest(request);
        return {
          response,
          send: (final) => {
            this.answer(request, response, final, callback);
          },
        };
      });
    }

    /**
     * Performs a C-GET (C-STORE sub-operations on this association, to the SCU in the SCP role it
     * negotiated, PS3.4 C.4.3) or a C-MOVE (sub-operations over a new association to
     * `destination`, PS3.4 C.4.2), with a pending response after each sub-operation and a final
     * one carrying the counts.
     *
     * @remarks
     * The final status follows PS3.4 C.4.2.1.5 and C.4.3.1.4: 0x0000 when every sub-operation
     * succeeded; 0xB000 when some failed or gave a warning; 0xA702 when every one that was tried
     * failed (dcmtk's choice for PS3.4 C.4.2.3.1 "all sub-operations failed"); 0xA701 when the
     * matches could not be worked out; 0xFE00 after a C-CANCEL. A final response other than
     * success names the failed instances in the Failed SOP Instance UID List (0008,0058) of its
     * identifier. A C-MOVE whose destination stops answering (association lost or refused) stops
     * there: the instances not yet sent count as failed.
     */
    retrieve(
      request: requests.CGetRequest | requests.CMoveRequest,
      destination: string | undefined,
      make: () => { response: RetrieveResponse; send: (final: boolean) => void },
    ): void {
      const messageId = request.getMessageId();
      const counts = { remaining: 0, completed: 0, failed: 0, warning: 0 };
      const failedUids: string[] = [];
      const respond = (status: number, comment?: string): void => {
        if (this.socketRef.destroyed) return;
        const { response, send } = make();
        response.setStatus(status);
        if (status === DIMSE_STATUS.pending) response.setRemaining(counts.remaining);
        response.setCompleted(counts.completed);
        response.setFailures(counts.failed);
        response.setWarnings(counts.warning);
        if (comment !== undefined) {
          response.setErrorComment(comment.replace(/[\\\r\n]/g, ' ').slice(0, 64));
        }
        if (status !== DIMSE_STATUS.pending && failedUids.length > 0) {
          // PS3.4 C.4.2.1.3.2, C.4.3.1.3.2: the identifier of a final response that is not a
          // success lists the instances whose sub-operation failed.
          response.setDataset(new d.Dataset({ FailedSOPInstanceUIDList: [...failedUids] }));
        }
        send(status !== DIMSE_STATUS.pending);
      };
      const count = (sopInstanceUid: string, status: number | null): void => {
        counts.remaining--;
        if (status === DIMSE_STATUS.success) counts.completed++;
        else if (status !== null && isStoreSuccess(status)) counts.warning++;
        else {
          counts.failed++;
          failedUids.push(sopInstanceUid);
        }
      };
      const finish = (comment?: string): void => {
        this.cancelled.delete(messageId);
        const status =
          counts.failed > 0 && counts.completed + counts.warning === 0
            ? DIMSE_STATUS.unableToPerformSubOperations
            : counts.failed + counts.warning > 0
              ? DIMSE_STATUS.subOperationsWarning
              : DIMSE_STATUS.success;
        respond(status, status === DIMSE_STATUS.success ? undefined : comment);
      };
      const context = this.context;
      const onRetrieve = options.onRetrieve;
      const identifier = (request.getDataset()?.getElements() ?? {}) as FindDataset;
      const rawLevel = identifier['QueryRetrieveLevel'];
      const level = (typeof rawLevel === 'string' ? rawLevel : '').trim().toUpperCase();
      const sopClass = request.getAffectedSopClassUid().replace(/\0/g, '').trim();
      const studyRoot = sopClass === STUDY_ROOT_GET || sopClass === STUDY_ROOT_MOVE;
      if (
        onRetrieve === undefined ||
        context === undefined ||
        !(QUERY_LEVELS as readonly string[]).includes(level) ||
        (studyRoot && level === 'PATIENT')
      ) {
        respond(DIMSE_STATUS.datasetDoesNotMatchSopClass, `bad level "${level}"`);
        return;
      }
      let peer: MoveDestination | undefined;
      if (destination !== undefined) {
        peer = moveDestinations.get(destination);
        if (peer === undefined) {
          respond(DIMSE_STATUS.moveDestinationUnknown, `unknown move destination "${destination}"`);
          return;
        }
        if (options.allowedCallers !== undefined && !callers.has(destination)) {
          // Data leave only for peers that are on the allow-list too, not merely configured.
          respond(
            DIMSE_STATUS.moveDestinationUnknown,
            `move destination "${destination}" is not an allowed AE`,
          );
          return;
        }
      }
      const stopped = (): boolean => this.cancelled.has(messageId) || this.socketRef.destroyed;
      const task = (async () => {
        let items: readonly RetrieveItem[];
        try {
          items = await onRetrieve(level as QueryLevel, identifier, context);
        } catch (error) {
          // PS3.4 C.4.2.1.5 0xA701 "refused: out of resources, unable to calculate number of matches".
          this.cancelled.delete(messageId);
          respond(DIMSE_STATUS.unableToCalculateMatches, errorMessage(error));
          return;
        }
        counts.remaining = items.length;
        let comment: string | undefined;
        if (peer === undefined) {
          // C-GET: one C-STORE sub-operation at a time on this association.
          for (const item of items) {
            if (stopped()) break;
            let status: number | null;
            try {
              status = await this.storeHere(await item.load());
            } catch {
              status = null;
            }
            if (status === null) comment ??= 'no presentation context accepted, or unreadable';
            count(item.sopInstanceUid, status);
            if (counts.remaining > 0) respond(DIMSE_STATUS.pending);
          }
        } else {
          // C-MOVE: sub-operations over associations to the destination, a batch each, so that
          // no more than a batch of instances is held in memory.
          let start = 0;
          for (; start < items.length && !stopped(); start += MOVE_BATCH) {
            const batch: RetrieveItem[] = [];
            const files: Uint8Array[] = [];
            for (const item of items.slice(start, start + MOVE_BATCH)) {
              try {
                files.push(await item.load());
                batch.push(item);
              } catch (error) {
                comment ??= `cannot read ${item.sopInstanceUid}: ${errorMessage(error)}`;
                count(item.sopInstanceUid, null);
                if (counts.remaining > 0) respond(DIMSE_STATUS.pending);
              }
            }
            if (batch.length === 0) continue;
            const bySop = new Map(batch.map((item) => [item.sopInstanceUid, item]));
            let lost = false;
            try {
              await sendFiles(
                { ...peer, callingAe: aeTitle, calledAe: destination ?? '' },
                files,
                (outcome: SendOutcome) => {
                  const item = bySop.get(outcome.sopInstanceUid ?? '');
                  if (item === undefined) return;
                  bySop.delete(item.sopInstanceUid);
                  if (!outcome.ok) comment ??= outcome.error;
                  count(item.sopInstanceUid, outcome.status);
                  if (counts.remaining > 0) respond(DIMSE_STATUS.pending);
                },
              );
            } catch (error) {
              comment = errorMessage(error);
              lost = true;
            }
            // Instances that got no response (not sent, association lost) failed.
            for (const item of bySop.values()) count(item.sopInstanceUid, null);
            if (lost) {
              start += MOVE_BATCH;
              break;
            }
          }
          if (!stopped()) {
            // The destination went away: what was not sent yet is not tried, and failed.
            for (const item of items.slice(start)) count(item.sopInstanceUid, null);
          }
        }
        if (stopped() && counts.remaining > 0 && !this.socketRef.destroyed) {
          this.cancelled.delete(messageId);
          respond(DIMSE_STATUS.cancel); // C-CANCEL-RQ (PS3.7 §9.1.3.1.5)
          return;
        }
        finish(comment);
      })();
      track(task);
    }

    /**
     * Sends a C-GET or C-MOVE response: dcmjs-dimse's callback may be called once only, so
     * pending responses go out directly and the final one through the callback.
     */
    answer<T extends responses.CGetResponse | responses.CMoveResponse>(
      request: requests.CGetRequest | requests.CMoveRequest,
      response: T,
      final: boolean,
      callback: (responses: T[]) => void,
    ): void {
      if (final) callback([response]);
      else this.sendResponse(request, response);
    }

    /**
     * Sends one instance to the SCU on this association (a C-GET sub-operation) and resolves with
     * its C-STORE response status; null when it could not be sent (no presentation context
     * accepted for its SOP class, association lost).
     */
    storeHere(file: Uint8Array): Promise<number | null> {
      const request = storeRequestOf(file);
      const assoc = (
        this as unknown as {
          association?: { getAcceptedPresentationContextFromRequest(r: unknown): unknown };
        }
      ).association;
      if (assoc?.getAcceptedPresentationContextFromRequest(request) === undefined) {
        return Promise.resolve(null);
      }
      return new Promise((resolve) => {
        let status: number | null = null;
        const done = (): void => {
          this.socketRef.off('close', done);
          resolve(status);
        };
        request.on('response', (response: { getStatus(): number }) => {
          status = response.getStatus();
        });
        request.on('done', done);
        this.socketRef.once('close', done);
        this.sendRequests([request]);
      });
    }

    override cCancelRequest(request: requests.CCancelRequest): void {
      this.cancelled.add(request.getMessageIdBeingRespondedTo());
    }
  }

  /** Instances a C-MOVE sends per association to its destination. */
  const MOVE_BATCH = 64;

  function track(task: Promise<void>): void {
    inflight.add(task);
    void task.finally(() => inflight.delete(task));
  }

  const server: NetServer = createServer((socket) => {
    // Without TCP_NODELAY, Nagle plus delayed ACKs stall each request/response turn 40–75 ms on
    // loopback (DESIGN.md §5).
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // dcmjs-dimse listens too; this one makes sure no socket error is ever unhandled.
    socket.on('error', () => undefined);
    try {
      const scp = new MedscaleScp(socket);
      // The library marks server-side sockets connected this way (it never sees a 'connect').
      (scp as unknown as { connected: boolean }).connected = true;
      scp.on('networkError', (error: Error) => {
        socket.destroy();
        onNetworkError(error);
      });
    } catch (error) {
      socket.destroy();
      onNetworkError(error instanceof Error ? error : new Error(String(error)));
    }
  });
  server.on('error', (error) => {
    onNetworkError(error);
  });

  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => {
      reject(
        new PlatformError(
          'ERR_DIMSE_ASSOCIATION',
          `cannot listen on ${host}:${options.port ?? 11112}: ${error.message}`,
          { cause: error },
        ),
      );
    };
    server.once('error', fail);
    server.listen(options.port ?? 11112, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    host,
    port,
    aeTitle,
    get connections() {
      return sockets.size;
    },
    async close() {
      const closed = new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      for (const socket of sockets) socket.destroy();
      await Promise.allSettled([...inflight]);
      await closed;
    },
  };
}
