import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { Client, Dataset, association, requests } from 'dcmjs-dimse';
import { PlatformError, errorMessage } from '../../core/index.js';
import { dcmjsDimse } from './dcmjs-dimse-adapter.js';
import { DIMSE_STATUS, isStoreSuccess } from './dimse-status.js';

/** Where and as whom an SCU associates. */
export interface DimsePeer {
  readonly host: string;
  readonly port: number;
  /**
   * Our AE title (calling AE title, PS3.8 §9.3.2).
   * @defaultValue 'MEDSCALE'
   */
  readonly callingAe?: string;
  /**
   * The peer's AE title (called AE title).
   * @defaultValue 'ANY-SCP'
   */
  readonly calledAe?: string;
  /**
   * Gives up when the peer does not answer for this long, in milliseconds.
   * @defaultValue 30000
   */
  readonly timeoutMs?: number;
}

/** Result of {@link echo}. */
export interface EchoResult {
  /** C-ECHO response status (0x0000 success, PS3.7 §9.1.5.1.4). */
  readonly status: number;
  /** Round trip from connect to the response, in milliseconds. */
  readonly elapsedMs: number;
}

/** C-STORE outcome of one instance sent by {@link sendFiles}. */
export interface SendOutcome {
  /** The file path, or `bytes[i]` for an in-memory input. */
  readonly source: string;
  readonly sopInstanceUid: string | null;
  /** C-STORE response status (PS3.4 B.2.3); null when no response came (not sent, association lost). */
  readonly status: number | null;
  /** Whether the peer holds the instance (success or a warning status). */
  readonly ok: boolean;
  /** Error Comment (0000,0902) of the response, or why it was not sent. */
  readonly error?: string;
}

/** Result of {@link sendFiles}. */
export interface SendResult {
  readonly outcomes: readonly SendOutcome[];
  /** Instances the peer holds now. */
  readonly sent: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

const CALLING_AE = 'MEDSCALE';
const CALLED_AE = 'ANY-SCP';

/**
 * Verifies a DICOM peer with C-ECHO (Verification SOP Class, PS3.4 Annex A; PS3.7 §9.1.5).
 * Throws `ERR_DIMSE_REJECTED` when the association is rejected and `ERR_DIMSE_ASSOCIATION` when
 * the peer cannot be reached.
 */
export async function echo(peer: DimsePeer): Promise<EchoResult> {
  const d = dcmjsDimse();
  const request = new d.requests.CEchoRequest();
  const start = performance.now();
  let status: number | undefined;
  request.on('response', (response: { getStatus(): number }) => {
    status = response.getStatus();
  });
  await runAssociation(peer, [request]);
  if (status === undefined) {
    throw new PlatformError('ERR_DIMSE_ASSOCIATION', `${describe(peer)} sent no C-ECHO response`);
  }
  if (status !== DIMSE_STATUS.success) {
    throw new PlatformError(
      'ERR_DIMSE_FAILED',
      `C-ECHO to ${describe(peer)} failed with status 0x${hex(status)}`,
    );
  }
  return { status, elapsedMs: performance.now() - start };
}

/**
 * Sends instances with C-STORE (PS3.4 Annex B) over one association, each in the transfer syntax
 * it is encoded in, and reports each one's status: a refused instance does not stop the others.
 * Inputs that cannot be read are reported as failed and not sent. Throws `ERR_DIMSE_REJECTED` or
 * `ERR_DIMSE_ASSOCIATION` when no association could be made.
 *
 * @param inputs - Part 10 file paths, or Part 10 files in memory.
 * @param onOutcome - Told each instance's outcome as its C-STORE response arrives.
 */
export async function sendFiles(
  peer: DimsePeer,
  inputs: readonly (string | Uint8Array)[],
  onOutcome?: (outcome: SendOutcome) => void,
): Promise<SendResult> {
  const d = dcmjsDimse();
  const start = performance.now();
  const outcomes: SendOutcome[] = [];
  const pending: { index: number; request: requests.CStoreRequest }[] = [];
  /** `<SOP class>\0<transfer syntax>` of every instance to send. */
  const syntaxes = new Set<string>();
  for (const [index, input] of inputs.entries()) {
    const source = typeof input === 'string' ? input : `bytes[${index}]`;
    try {
      const bytes = typeof input === 'string' ? await readFile(input) : Buffer.from(input);
      const dataset = fromPart10(bytes);
      sendAsStored(dataset, bytes);
      const request = new d.requests.CStoreRequest(dataset);
      const transferSyntax = dataset.getTransferSyntaxUid();
      if (transferSyntax) {
        syntaxes.add(`${request.getAffectedSopClassUid()}\0${transferSyntax}`);
      }
      outcomes.push({
        source,
        sopInstanceUid: request.getAffectedSopInstanceUid() || null,
        status: null,
        ok: false,
        error: 'no response',
      });
      pending.push({ index, request });
    } catch (error) {
      outcomes.push({
        source,
        sopInstanceUid: null,
        status: null,
        ok: false,
        error: `not sent: ${errorMessage(error)}`,
      });
    }
  }
  for (const { index, request } of pending) {
    request.on('response', (response: { getStatus(): number; getErrorComment(): string }) => {
      const previous = outcomes[index];
      if (previous === undefined) return;
      const status = response.getStatus();
      const comment = response.getErrorComment();
      const outcome: SendOutcome = {
        source: previous.source,
        sopInstanceUid: previous.sopInstanceUid,
        status,
        ok: isStoreSuccess(status),
        ...(isStoreSuccess(status)
          ? {}
          : { error: comment ? `0x${hex(status)}: ${comment}` : `status 0x${hex(status)}` }),
      };
      outcomes[index] = outcome;
      onOutcome?.(outcome);
    });
  }
  if (pending.length > 0) {
    // Besides the context dcmjs-dimse proposes per SOP class (Implicit and Explicit VR Little
    // Endian, plus the file's syntax), one context per SOP class and syntax that offers that
    // syntax alone: a peer accepting it gets the data set as stored, not transcoded.
    // An association holds at most 128 contexts (odd IDs 1–255, PS3.8 §9.3.2.2): beyond a
    // budget, instances fall back to the contexts dcmjs-dimse proposes.
    const contexts = [...syntaxes].slice(0, MAX_EXTRA_CONTEXTS).map((key) => {
      const [sopClass = '', syntax = ''] = key.split('\0');
      return new d.association.PresentationContext(1, sopClass, syntax);
    });
    await runAssociation(
      peer,
      pending.map((p) => p.request),
      contexts,
    );
  }
  const sent = outcomes.filter((o) => o.ok).length;
  return { outcomes, sent, failed: outcomes.length - sent, elapsedMs: performance.now() - start };
}

/**
 * A C-STORE request for a Part 10 file that sends its data set byte for byte when the accepted
 * presentation context has the file's transfer syntax (see {@link sendFiles}); for C-STORE
 * sub-operations of a C-GET, sent on the SCP's own association.
 */
export function storeRequestOf(file: Uint8Array): requests.CStoreRequest {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const dataset = fromPart10(bytes);
  sendAsStored(dataset, bytes);
  return new (dcmjsDimse().requests.CStoreRequest)(dataset);
}

/**
 * Parses a Part 10 file into dcmjs-dimse's Dataset. Its public `Dataset.fromFile` only takes a
 * path and `new Dataset(buffer)` expects a bare data set, so this calls the helper `fromFile` uses.
 */
function fromPart10(bytes: Buffer): Dataset {
  const DatasetClass = dcmjsDimse().Dataset as unknown as {
    _fromP10Buffer?: (buffer: Buffer, readOptions?: Record<string, unknown>) => Dataset;
  };
  if (DatasetClass._fromP10Buffer === undefined) {
    throw new PlatformError(
      'ERR_INTERNAL',
      'this dcmjs-dimse version lacks Dataset._fromP10Buffer',
    );
  }
  return DatasetClass._fromP10Buffer(bytes);
}

/**
 * Makes dcmjs-dimse send the data set exactly as it is stored in the file (after the meta group)
 * instead of re-encoding its parsed form, which drops the private attributes it cannot name and
 * may alter others. Only while the data set is to be sent in the file's own transfer syntax: when
 * the peer accepted another one, dcmjs-dimse transcodes into a new Dataset, serialised as before.
 */
function sendAsStored(dataset: Dataset, file: Buffer): void {
  const meta = splitPart10(file);
  // Undefined: not the usual Part 10 layout; another syntax: dcmjs-dimse re-encodes as before.
  if (meta === undefined) return;
  if (meta.transferSyntax !== dataset.getTransferSyntaxUid()) return;
  const raw = file.subarray(meta.datasetOffset);
  const target = dataset as unknown as {
    getDenaturalizedDataset(options?: unknown, nameMap?: unknown): Buffer;
  };
  const reencode = target.getDenaturalizedDataset.bind(dataset);
  target.getDenaturalizedDataset = (options?: unknown, nameMap?: unknown): Buffer =>
    dataset.getTransferSyntaxUid() === meta.transferSyntax ? raw : reencode(options, nameMap);
}

/** Most extra presentation contexts {@link sendFiles} proposes (see there). */
const MAX_EXTRA_CONTEXTS = 48;

/** VRs whose explicit-VR length field is 4 bytes after 2 reserved ones (PS3.5 §7.1.2). */
const LONG_VRS: ReadonlySet<string> = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'SV',
  'UC',
  'UN',
  'UR',
  'UT',
  'UV',
]);

/**
 * Where a Part 10 file's data set starts (after the preamble, `DICM` and the File Meta Information
 * group, always Explicit VR Little Endian: PS3.10 §7.1) and the transfer syntax it names.
 * Undefined when the file does not have that layout.
 */
function splitPart10(file: Buffer): { datasetOffset: number; transferSyntax: string } | undefined {
  if (file.length < 132 || file.toString('latin1', 128, 132) !== 'DICM') return undefined;
  let offset = 132;
  let transferSyntax: string | undefined;
  while (offset + 8 <= file.length && file.readUInt16LE(offset) === 0x0002) {
    const element = file.readUInt16LE(offset + 2);
    const vr = file.toString('latin1', offset + 4, offset + 6);
    let length: number;
    let header: number;
    if (LONG_VRS.has(vr)) {
      if (offset + 12 > file.length) return undefined;
      length = file.readUInt32LE(offset + 8);
      header = 12;
    } else {
      length = file.readUInt16LE(offset + 6);
      header = 8;
    }
    if (length === 0xffffffff || offset + header + length > file.length) return undefined;
    if (element === 0x0010) {
      transferSyntax = file
        .toString('latin1', offset + header, offset + header + length)
        .replace(/[\0 ]+$/, '');
    }
    offset += header + length;
  }
  return transferSyntax === undefined ? undefined : { datasetOffset: offset, transferSyntax };
}

/** Opens one association, runs the requests, releases it; resolves once the connection closed. */
function runAssociation(
  peer: DimsePeer,
  requestList: readonly requests.Request[],
  contexts: readonly association.PresentationContext[] = [],
): Promise<void> {
  const d = dcmjsDimse();
  const client: Client = new d.Client();
  for (const request of requestList) client.addRequest(request);
  for (const context of contexts) client.addAdditionalPresentationContext(context, true);
  return new Promise<void>((resolve, reject) => {
    let failure: PlatformError | undefined;
    const timer = setTimeout(() => {
      failure ??= new PlatformError('ERR_DIMSE_ASSOCIATION', `${describe(peer)} timed out`, {
        retryable: true,
      });
      network()?.socket.destroy();
    }, peer.timeoutMs ?? 30_000);
    const network = (): { socket: Socket } | undefined =>
      (client as unknown as { network?: { socket: Socket } }).network;
    client.on(
      'associationRejected',
      (reject: { result: number; source: number; reason: number }) => {
        failure ??= new PlatformError(
          'ERR_DIMSE_REJECTED',
          `${describe(peer)} rejected the association (result ${reject.result}, source ${reject.source}, reason ${reject.reason}; PS3.8 §9.3.4)`,
        );
      },
    );
    client.on('networkError', (error: Error) => {
      failure ??= new PlatformError(
        'ERR_DIMSE_ASSOCIATION',
        `${describe(peer)}: ${error.message}`,
        { cause: error, retryable: true },
      );
    });
    client.on('closed', () => {
      clearTimeout(timer);
      if (failure !== undefined) reject(failure);
      else resolve();
    });
    client.send(peer.host, peer.port, peer.callingAe ?? CALLING_AE, peer.calledAe ?? CALLED_AE, {
      associationLingerTimeout: 0,
      connectTimeout: peer.timeoutMs ?? 30_000,
    });
    // The client opens its socket inside send() and keeps its network object: set TCP_NODELAY
    // (DESIGN.md §5) before the first PDU goes out.
    network()?.socket.setNoDelay(true);
    // A-ABORT from the peer: close the transport connection (PS3.8 §9.2 AA-3). dcmjs-dimse's
    // client does not, and a dcmtk peer then waits in Sta13 for us to close until its ARTIM
    // timer expires, while we wait for it: the association hung until `timeoutMs`.
    (network() as unknown as NodeJS.EventEmitter | undefined)?.on(
      'abort',
      (abort: { source: number; reason: number }) => {
        failure ??= new PlatformError(
          'ERR_DIMSE_ASSOCIATION',
          `${describe(peer)} aborted the association (source ${abort.source}, reason ${abort.reason}; PS3.8 §9.3.8)`,
          { retryable: true },
        );
        network()?.socket.destroy();
      },
    );
  });
}

function describe(peer: DimsePeer): string {
  return `${peer.calledAe ?? CALLED_AE}@${peer.host}:${peer.port}`;
}

function hex(status: number): string {
  return status.toString(16).toUpperCase().padStart(4, '0');
}
