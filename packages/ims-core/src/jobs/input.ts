/** Job create body: schema (api.md §7.1) then the ssh container rules (jobs.md §2 step 3). */
import { ImsError } from "../errors.ts";
import { JOB } from "../texts.ts";
import { JobCreate } from "../schemas.ts";
import { validateBody } from "../validate.ts";
import type { JobType, SshContainer } from "../records.ts";

export interface JobInput {
  job_type: JobType;
  artifact_id: string;
  public_key_id: string;
  image_root_archive_name: string;
  enable_debug: boolean;
  build_env_size?: number;
  job_mem_size?: number;
  kernel_file_name?: string;
  initrd_file_name: string;
  kernel_parameters_file_name: string;
  ssh_containers?: SshContainer[] | null;
  /** Present only when the body carried it (the DKMS table depends on that). */
  require_dkms?: boolean;
}

/** The containers the job gets, or a 400 when the request asks for ones it cannot have. */
export function resolveSshContainers(
  jobType: JobType,
  enableDebug: boolean,
  given: SshContainer[] | null | undefined,
): SshContainer[] | null {
  let out: SshContainer[] | null = given ?? null;
  if (jobType === "create") {
    if (given?.length) throw new ImsError("bad_request", JOB.sshOnCreate);
    if (enableDebug) out = [{ name: "debug", jail: false }];
  } else if (!given?.length) {
    out = [{ name: "customize", jail: false }];
  }
  if (out && out.length > 1) {
    throw new ImsError("bad_request", JOB.oneSshContainer);
  }
  return out;
}

/** 400 empty body, 422 schema, then 400 for the container rules; returns the checked input. */
export function parseJobCreate(body: unknown): JobInput {
  const input = validateBody<JobInput>(JobCreate, body);
  return { ...input, ssh_containers: resolveSshContainers(input.job_type, input.enable_debug, input.ssh_containers) };
}
