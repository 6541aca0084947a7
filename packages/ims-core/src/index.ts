/** @ims/core public API. Adapters are separate entry points (@ims/core/sqlite, /s3, ...). */
export { createIms, systemClock, randomIds, type Ims, type ImsDeps } from "./service.ts";
export type {
  WriteOptions,
  ArtifactWaitOptions,
  ArtifactWork,
  CreateOptions,
  IdempotencyOptions,
  DeleteMode,
  LiveResource,
  PatchableResource,
  DeletedResource,
  RemoteBuildNodes,
  JobsResource,
  JobDryRun,
  Operations,
  ImsService,
} from "./service-types.ts";
export type {
  Clock,
  IdGenerator,
  Stored,
  StoredJson,
  RecordReader,
  RecordTx,
  RecordStore,
  IdempotentResult,
  ObjectRef,
  ObjectHead,
  ArtifactStore,
  ArtifactStep,
  OperationState,
  NewOperation,
  OperationJournal,
  JournalSummary,
} from "./ports.ts";
export type * from "./cluster.ts";
export type { ArtifactLink, Deleted, JobType, SshConnection, SshContainer, Collections, Collection } from "./records.ts";
export { COLLECTIONS, JOB_STATUSES, ARCHES } from "./records.ts";
export { ImsError, isImsError, badRequestTitle, type ErrorKind, type FieldErrors } from "./errors.ts";
export { DEFAULT_CORE_CONFIG, silentLogger, type CoreConfig, type Logger } from "./context.ts";
export { createWorker, type ArtifactWorker, type WorkerOptions } from "./operations/worker.ts";
export { operationView } from "./operations/view.ts";
export * from "./changes.ts";
export type { Events, EventStream, EventFilter, SubscribeOptions, ImsEvent, GapEvent } from "./events/types.ts";
export type { FeedOptions } from "./events/feed.ts";
export { noKeyProbe, statusFrom, initialStatus, type NodeProbe } from "./remote-nodes/probe.ts";
export { isoNaive, isoMicros, parseNaive, systemEpochMicros } from "./time.ts";
export { normaliseUuid } from "./uuid.ts";
export { sortKeys } from "./canonical.ts";
export { asciiOnly, canonicalJson, pyDumps } from "./python-json.ts";
export { pyRepr } from "./python-repr.ts";
export * from "./texts.ts";
export { locateJsonError, describeJsonError, type JsonErrorAt } from "./json-error.ts";
export { refOf, pathOf } from "./links.ts";
export { linkedArtifacts, type ManifestArtifact } from "./manifest.ts";
export * as schemas from "./schemas.ts";
export * from "./schemas.ts";
export * from "./migrate/index.ts";
export {
  jobs,
  DEFAULT_JOBS_CONFIG,
  jobsConfig,
  dkmsFlag,
  parseAge,
  decideDkms,
  securitySettings,
  startJobWatcher,
  jobIdOf,
  type JobsConfig,
  type JobsDeps,
  type JobRenderer,
  type ObjectCheck,
  type JobSpecParams,
  type JobKind,
  type JobArch,
  type JobImages,
  type ContainerImage,
  type PullPolicy,
  type TemplateDictionaryEntry,
  type JobDeleteFilters,
  type JobWatcher,
  type JobWatcherOptions,
} from "./jobs/index.ts";
