/**
 * The only ways a template may write a value. Each returns a SafeString holding a
 * JSON literal, so no parameter can add YAML structure. Handlebars' strict mode does
 * not look at helper arguments, hence the explicit undefined checks.
 */
import Handlebars from "handlebars";
import { kubeletLiteral, pythonJsonObject, yamlJson } from "./quote.ts";

/** Names of the value helpers; the template checker allows no other mustache. */
export const VALUE_HELPERS = ["q", "envq", "json", "pybool", "gi", "pydict"] as const;
export type ValueHelper = (typeof VALUE_HELPERS)[number];

class HelperError extends Error {}

function needDefined(helper: string, value: unknown): void {
  if (value === undefined || value === null) throw new HelperError(`{{${helper}}}: argument is undefined`);
}

/** Joins strings and numbers; anything else (booleans, objects) is a template mistake. */
function joinParts(helper: string, parts: unknown[]): string {
  if (parts.length === 0) throw new HelperError(`{{${helper}}}: no argument`);
  let out = "";
  for (const part of parts) {
    needDefined(helper, part);
    if (typeof part === "string") out += part;
    else if (typeof part === "number" && Number.isFinite(part)) out += String(part);
    else throw new HelperError(`{{${helper}}}: cannot write a ${typeof part} as text`);
  }
  if (!out.isWellFormed()) throw new HelperError(`{{${helper}}}: lone UTF-16 surrogate`);
  return out;
}

function isJsonLeaf(v: unknown): boolean {
  return typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
}

type Safe = Handlebars.SafeString;
const safe = (text: string): Safe => new Handlebars.SafeString(text);

/** Helper bodies; the Handlebars options object is always the last argument and dropped. */
export const helperFunctions: Record<ValueHelper, (...args: unknown[]) => Safe> = {
  /** Text: `{{q "cray-ims-" id "-service"}}`. */
  q: (...args) => safe(yamlJson(joinParts("q", args.slice(0, -1)))),
  /** Text for container env values, command and args (see kubeletLiteral). */
  envq: (...args) => safe(yamlJson(kubeletLiteral(joinParts("envq", args.slice(0, -1))))),
  /** A typed value: boolean, number, string, or a list of those. */
  json: (value) => {
    needDefined("json", value);
    const ok = isJsonLeaf(value) || (Array.isArray(value) && value.every(isJsonLeaf));
    if (!ok) throw new HelperError("{{json}}: only booleans, numbers, strings and lists of them");
    if (typeof value === "string" && !value.isWellFormed()) throw new HelperError("{{json}}: lone UTF-16 surrogate");
    return safe(yamlJson(value));
  },
  /** A boolean as the Python text the job scripts compare against ("True"/"False"). */
  pybool: (value) => {
    if (typeof value !== "boolean") throw new HelperError("{{pybool}}: argument must be a boolean");
    return safe(yamlJson(value ? "True" : "False"));
  },
  /** A GiB count as a Kubernetes quantity: 60 -> "60Gi". */
  gi: (value) => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      throw new HelperError("{{gi}}: argument must be a non-negative integer");
    }
    return safe(yamlJson(`${value}Gi`));
  },
  /** A [{key, value}] list as the JSON object text upstream stores. */
  pydict: (value) => {
    const ok =
      Array.isArray(value) &&
      value.every((e) => typeof e === "object" && e !== null && typeof e.key === "string" && typeof e.value === "string");
    if (!ok) throw new HelperError("{{pydict}}: argument must be a list of {key, value} strings");
    return safe(yamlJson(pythonJsonObject(value)));
  },
};

export { HelperError };
