/**
 * The built-in templates as text imports, so they travel inside a `bun build --compile`
 * executable (a file read at run time would resolve under /$bunfs/ there and be missing).
 * builtin.test.ts checks this table against the templates/ directory.
 */
import createKiwiConfigmap from "../templates/create/kiwi-ng/configmap.yaml.hbs" with { type: "text" };
import createKiwiDestinationRule from "../templates/create/kiwi-ng/destinationrule.yaml.hbs" with { type: "text" };
import createKiwiJob from "../templates/create/kiwi-ng/job.yaml.hbs" with { type: "text" };
import createKiwiPvc from "../templates/create/kiwi-ng/pvc.yaml.hbs" with { type: "text" };
import createKiwiService from "../templates/create/kiwi-ng/service.yaml.hbs" with { type: "text" };
import createPackerConfigmap from "../templates/create/packer/configmap.yaml.hbs" with { type: "text" };
import createPackerDestinationRule from "../templates/create/packer/destinationrule.yaml.hbs" with { type: "text" };
import createPackerJob from "../templates/create/packer/job.yaml.hbs" with { type: "text" };
import createPackerPvc from "../templates/create/packer/pvc.yaml.hbs" with { type: "text" };
import createPackerService from "../templates/create/packer/service.yaml.hbs" with { type: "text" };
import customizeConfigmap from "../templates/customize/configmap.yaml.hbs" with { type: "text" };
import customizeDestinationRule from "../templates/customize/destinationrule.yaml.hbs" with { type: "text" };
import customizeJob from "../templates/customize/job.yaml.hbs" with { type: "text" };
import customizePvc from "../templates/customize/pvc.yaml.hbs" with { type: "text" };
import customizeService from "../templates/customize/service.yaml.hbs" with { type: "text" };
import type { JobKind } from "./params.ts";
import type { ObjectName } from "./files.ts";

export const BUILTIN_TEMPLATES: Readonly<Record<JobKind, Readonly<Record<ObjectName, string>>>> = {
  "create-kiwi-ng": {
    configmap: createKiwiConfigmap,
    service: createKiwiService,
    job: createKiwiJob,
    pvc: createKiwiPvc,
    destinationRule: createKiwiDestinationRule,
  },
  "create-packer": {
    configmap: createPackerConfigmap,
    service: createPackerService,
    job: createPackerJob,
    pvc: createPackerPvc,
    destinationRule: createPackerDestinationRule,
  },
  customize: {
    configmap: customizeConfigmap,
    service: customizeService,
    job: customizeJob,
    pvc: customizePvc,
    destinationRule: customizeDestinationRule,
  },
};
