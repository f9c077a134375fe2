import type { ErrorCode, SeriesInstanceUid, StudyInstanceUid } from '../core/index.js';
import { errorMessage } from '../core/index.js';
import { DIMSE_STATUS, startDimseServer } from '../dicom/index.js';
import type {
  DimseServer,
  DimseStoreResult,
  FindDataset,
  MoveDestination,
  QueryLevel,
  RetrieveItem,
} from '../dicom/index.js';
import { Ingestor } from '../ingest/index.js';
import type { IngestOutcome } from '../ingest/index.js';
import { listInstances, listSeries, listStudies, listSubjects } from '../store/index.js';
import type { Workspace } from '../workspace/index.js';

/** Options of {@link startDimseService}. */
export interface DimseServiceOptions {
  /** Project the received instances are ingested into (keys the pseudonyms). */
  readonly project: string;
  /**
   * Address to listen on.
   * @defaultValue '127.0.0.1'
   */
  readonly host?: string;
  /**
   * TCP port; 0 picks a free one.
   * @defaultValue 11112
   */
  readonly port?: number;
  /**
   * This node's AE title.
   * @defaultValue 'MEDSCALE'
   */
  readonly aeTitle?: string;
  /** Calling AE titles allowed to send or query, each mapped to its site; absent: anyone, no site. */
  readonly allowedCallers?: Readonly<Record<string, string>>;
  /**
   * Ingest worker threads.
   * @defaultValue `os.availableParallelism()`
   */
  readonly workers?: number;
  /**
   * Longest a received instance waits for others to share its durable commit, in milliseconds.
   * Each association waits for one instance's C-STORE-RSP before sending the next, so any wait
   * bounds a single association's rate. When absent, an instance is committed as soon as no other
   * commit is running, and those received meanwhile share the next commit: no timer, and
   * concurrent associations still share commits.
   * @defaultValue undefined (commit when idle)
   */
  readonly maxBatchDelayMs?: number;
  /**
   * C-MOVE destinations by AE title (PS3.4 C.4.2); a C-MOVE to another title, or, when
   * `allowedCallers` is given, to a title not in it, is refused with 0xA801 and an Error Comment
   * saying which.
   */
  readonly moveDestinations?: Readonly<Record<string, MoveDestination>>;
  /**
   * Most matches returned by one C-FIND.
   * @defaultValue 10000
   */
  readonly maxFindResults?: number;
  /** Told about broken connections and refused instances, for logging. */
  readonly onEvent?: (event: DimseServiceEvent) => void;
}

/** Something worth logging that happened on the DIMSE service. */
export type DimseServiceEvent =
  | { readonly kind: 'network-error'; readonly message: string }
  | { readonly kind: 'stored'; readonly callingAe: string; readonly outcome: IngestOutcome }
  | { readonly kind: 'store-failed'; readonly callingAe: string; readonly message: string };

/** A running DIMSE node: the SCP and the ingestor behind it. */
export interface DimseService {
  readonly server: DimseServer;
  /** Stops listening, waits for instances being stored, then stops the ingest workers. */
  close(): Promise<void>;
}

/**
 * The C-STORE status for an ingest outcome (PS3.4 B.2.3): success once durable (a duplicate is
 * stored already), 0xA900 for an instance lacking the identity the SOP class requires, 0xC000 for
 * one that cannot be parsed.
 */
export function storeStatusOf(outcome: IngestOutcome): DimseStoreResult {
  if (outcome.status !== 'quarantined') return { status: DIMSE_STATUS.success };
  const mismatch: readonly ErrorCode[] = ['ERR_DICOM_MISSING_UID', 'ERR_DICOM_INVALID_UID'];
  return {
    status: mismatch.includes(outcome.code)
      ? DIMSE_STATUS.datasetDoesNotMatchSopClass
      : DIMSE_STATUS.cannotUnderstand,
    errorComment: `${outcome.code}: ${outcome.reason}`,
  };
}

/**
 * Starts medscale's DIMSE node on a workspace: C-STORE into the one ingest path (de-identified,
 * durable before the success status), C-FIND over the catalog (pseudonymized values only: the
 * catalog holds nothing else), C-GET and C-MOVE of the stored (pseudonymized) files, C-ECHO.
 */
export async function startDimseService(
  workspace: Workspace,
  options: DimseServiceOptions,
): Promise<DimseService> {
  const ingestor = await Ingestor.start(workspace, {
    project: options.project,
    ...(options.maxBatchDelayMs === undefined
      ? { commitWhenIdle: true }
      : { maxBatchDelayMs: options.maxBatchDelayMs }),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
  const onEvent = options.onEvent ?? (() => undefined);
  const catalog = workspace.catalog;
  const project = options.project;
  const limit = (options.maxFindResults ?? 10_000) + 1;

  async function* findCandidates(
    level: QueryLevel,
    identifier: FindDataset,
  ): AsyncIterable<FindDataset> {
    const studyUid = singleValue(identifier['StudyInstanceUID']) as StudyInstanceUid | undefined;
    const seriesUid = singleValue(identifier['SeriesInstanceUID']) as SeriesInstanceUid | undefined;
    const patientId = singleValue(identifier['PatientID']);
    const pseudonym = patientId !== undefined && !/[*?]/.test(patientId) ? patientId : undefined;
    if (level === 'PATIENT') {
      for (const s of await listSubjects(catalog, { project, limit, ...opt({ pseudonym }) })) {
        yield {
          PatientID: s.pseudonym,
          PatientName: s.pseudonym,
          PatientSex: s.sex ?? '',
          NumberOfPatientRelatedStudies: String(s.nStudies),
        };
      }
      return;
    }
    if (level === 'STUDY') {
      const studies = await listStudies(catalog, {
        project,
        limit,
        ...opt({ pseudonym, studyUid }),
      });
      for (const s of studies) {
        const wantsModalities = 'ModalitiesInStudy' in identifier;
        const modalities = wantsModalities
          ? [
              ...new Set(
                (await listSeries(catalog, { project, studyUid: s.studyInstanceUid })).map(
                  (r) => r.modality,
                ),
              ),
            ]
          : [];
        yield {
          PatientID: s.pseudonym,
          PatientName: s.pseudonym,
          StudyInstanceUID: s.studyInstanceUid,
          StudyDate: s.studyDateShifted ?? '',
          StudyDescription: s.description ?? '',
          InstitutionName: s.site ?? '',
          NumberOfStudyRelatedSeries: String(s.nSeries),
          NumberOfStudyRelatedInstances: String(s.nInstances),
          ...(wantsModalities ? { ModalitiesInStudy: modalities } : {}),
        };
      }
      return;
    }
    if (level === 'SERIES') {
      const series = await listSeries(catalog, { project, limit, ...opt({ pseudonym, studyUid }) });
      for (const s of series) {
        yield {
          PatientID: s.pseudonym,
          StudyInstanceUID: s.studyInstanceUid,
          SeriesInstanceUID: s.seriesInstanceUid,
          Modality: s.modality,
          SeriesDescription: s.seriesDescription ?? '',
          SeriesNumber: s.seriesNumber === null ? '' : String(s.seriesNumber),
          NumberOfSeriesRelatedInstances: String(s.nInstances),
        };
      }
      return;
    }
    // IMAGE: hierarchical search needs the series (PS3.4 C.4.1.3.1.1); without one, no match.
    if (seriesUid === undefined) return;
    for (const i of await listInstances(catalog, { seriesUid, limit })) {
      yield {
        ...(studyUid === undefined ? {} : { StudyInstanceUID: studyUid }),
        SeriesInstanceUID: i.seriesInstanceUid,
        SOPInstanceUID: i.sopInstanceUid,
        SOPClassUID: i.sopClassUid,
        InstanceNumber: i.instanceNumber === null ? '' : String(i.instanceNumber),
      };
    }
  }

  /**
   * The stored instances a C-MOVE or C-GET names by its unique keys (PS3.4 C.4.2.2.1, C.4.3.2.1):
   * the patient's, the studies', the series' or the SOP instances' (lists of UIDs allowed), within
   * the project; the higher-level keys are required down to the level's (hierarchical retrieve).
   */
  async function retrieveItems(
    level: QueryLevel,
    identifier: FindDataset,
  ): Promise<readonly RetrieveItem[]> {
    const patientIds = uidList(identifier['PatientID']);
    const studyUids = uidList(identifier['StudyInstanceUID']);
    const seriesUids = uidList(identifier['SeriesInstanceUID']);
    const sopUids = new Set(uidList(identifier['SOPInstanceUID']));
    const studies: StudyInstanceUid[] = [];
    if (level === 'PATIENT') {
      for (const pseudonym of patientIds) {
        for (const s of await listStudies(catalog, { project, pseudonym, limit: RETRIEVE_LIMIT })) {
          studies.push(s.studyInstanceUid);
        }
      }
    } else {
      for (const uid of studyUids) {
        const found = await listStudies(catalog, {
          project,
          studyUid: uid as StudyInstanceUid,
          limit: 1,
        });
        for (const s of found) studies.push(s.studyInstanceUid);
      }
    }
    const series: SeriesInstanceUid[] = [];
    for (const studyUid of studies) {
      for (const s of await listSeries(catalog, { project, studyUid, limit: RETRIEVE_LIMIT })) {
        if (level === 'PATIENT' || level === 'STUDY' || seriesUids.includes(s.seriesInstanceUid)) {
          series.push(s.seriesInstanceUid);
        }
      }
    }
    const items: RetrieveItem[] = [];
    for (const seriesUid of series) {
      for (const i of await listInstances(catalog, { seriesUid, limit: RETRIEVE_LIMIT })) {
        if (level === 'IMAGE' && !sopUids.has(i.sopInstanceUid)) continue;
        items.push({
          sopInstanceUid: i.sopInstanceUid,
          load: () => workspace.blobs.get(i.blobDigest, { verify: true }),
        });
      }
    }
    return items;
  }

  const server = await startDimseServer({
    aeTitle: options.aeTitle ?? 'MEDSCALE',
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.allowedCallers === undefined ? {} : { allowedCallers: options.allowedCallers }),
    ...(options.maxFindResults === undefined ? {} : { maxFindResults: options.maxFindResults }),
    onNetworkError: (error) => {
      onEvent({ kind: 'network-error', message: error.message });
    },
    onStore: async (bytes, context) => {
      try {
        const outcome = await ingestor.ingestBytes(
          bytes,
          `dimse:${context.callingAe}`,
          context.site,
        );
        onEvent({ kind: 'stored', callingAe: context.callingAe, outcome });
        return storeStatusOf(outcome);
      } catch (error) {
        // The commit failed (disk, catalog): nothing was acknowledged, the SCU may retry.
        onEvent({
          kind: 'store-failed',
          callingAe: context.callingAe,
          message: errorMessage(error),
        });
        return { status: DIMSE_STATUS.outOfResources, errorComment: errorMessage(error) };
      }
    },
    onFind: (level, identifier) => findCandidates(level, identifier),
    onRetrieve: (level, identifier) => retrieveItems(level, identifier),
    ...(options.moveDestinations === undefined
      ? {}
      : { moveDestinations: options.moveDestinations }),
  });

  return {
    server,
    async close() {
      await server.close();
      await ingestor.close();
    },
  };
}

/** Most rows read per catalog listing while resolving a C-MOVE or C-GET. */
const RETRIEVE_LIMIT = 1_000_000;

/** The values of a unique key, which may list several (PS3.4 C.4.2.2.1); empty when absent. */
function uidList(raw: unknown): string[] {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return list
    .flatMap((v) => (typeof v === 'string' ? v.split('\\') : []))
    .map((v) => v.replace(/\0/g, '').trim())
    .filter((v) => v !== '');
}

/** The value of a single-valued, wildcard-free key; undefined for universal or list matching. */
function singleValue(raw: unknown): string | undefined {
  const value = Array.isArray(raw) ? (raw.length === 1 ? (raw[0] as unknown) : undefined) : raw;
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/\0/g, '').trim();
  return text === '' || text.includes('\\') ? undefined : text;
}

/** Drops undefined fields, for `exactOptionalPropertyTypes`-style filters. */
function opt<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
