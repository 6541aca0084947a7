/**
 * Writing values into YAML text. JSON is a subset of YAML 1.2 flow syntax, so a
 * JSON.stringify'd value can sit anywhere a YAML scalar can and cannot break out of it.
 */

/**
 * Characters JSON leaves raw but YAML treats specially (NEL, LS, PS count as line breaks
 * in YAML 1.1 readers; DEL, C1 controls, BOM and U+FFFE/U+FFFF are not "printable").
 * Escaping them keeps the output valid JSON and unambiguous YAML for any reader.
 */
const YAML_AWKWARD = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

function unicodeEscape(ch: string): string {
  return "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0");
}

/** A YAML flow scalar (or flow sequence) holding exactly `value`. */
export function yamlJson(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError("value has no JSON form");
  return json.replace(YAML_AWKWARD, unicodeEscape);
}

/**
 * Kubernetes expands `$(NAME)` in container env values, command and args, and turns
 * `$$` into `$`. Doubling every `$` makes the container see the text unchanged.
 */
export function kubeletLiteral(value: string): string {
  return value.replaceAll("$", "$$$$"); // "$$$$" in a replacement pattern is "$$"
}

/** Python's json.dumps text of a string (ensure_ascii): everything outside printable ASCII escaped. */
function pythonJsonString(value: string): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, unicodeEscape);
}

/**
 * The text upstream puts in the ConfigMap: json.dumps({key: value, ...}) of the recipe's
 * list, so later duplicates win but keep the first position, with ", " and ": " separators.
 */
export function pythonJsonObject(entries: readonly { key: string; value: string }[]): string {
  const merged = new Map<string, string>();
  for (const { key, value } of entries) merged.set(key, value);
  const items = [...merged].map(([k, v]) => `${pythonJsonString(k)}: ${pythonJsonString(v)}`);
  return `{${items.join(", ")}}`;
}
