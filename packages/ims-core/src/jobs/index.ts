/** Jobs: public pieces for the service, the HTTP edge and the templates adapter. */
export { jobs } from "./resource.ts";
export { DEFAULT_JOBS_CONFIG, jobsConfig, dkmsFlag, type JobsConfig } from "./config.ts";
export type { JobsDeps } from "./deps.ts";
export type { ContainerImage, JobArch, JobImages, JobKind, JobRenderer, JobSpecParams, ObjectCheck, PullPolicy, TemplateDictionaryEntry } from "./params.ts";
export type { JobDeleteFilters } from "./filters.ts";
export { parseAge } from "./filters.ts";
export { decideDkms, securitySettings } from "./security.ts";
export { startJobWatcher, jobIdOf, type JobWatcher, type JobWatcherOptions } from "./watcher.ts";
