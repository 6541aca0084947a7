/**
 * Every problem of one import, gathered instead of stopping at the first, so an operator fixes
 * a data directory in one round. The first MAX_LISTED are kept; all are counted.
 */
import { ImsError } from "../errors.ts";
import { describeJsonError, locateJsonError } from "../json-error.ts";

export const MAX_LISTED = 100;

export class Problems {
  readonly listed: string[] = [];
  count = 0;

  add(message: string): void {
    if (this.count++ < MAX_LISTED) this.listed.push(message);
  }

  /** Runs `fn`; a validation ImsError it throws is recorded (and undefined returned). */
  catch<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof ImsError) || e.kind !== "validation") throw e;
      this.add(e.detail);
      return undefined;
    }
  }

  /**
   * Throws one validation ImsError when anything was recorded: its detail is the problem itself
   * when there is one, else a count, and `errors` lists them (at most MAX_LISTED).
   */
  throwIfAny(): void {
    if (this.count === 0) return;
    if (this.count === 1) throw new ImsError("validation", this.listed[0]!, this.listed);
    const shown = this.count > MAX_LISTED ? ` (the first ${MAX_LISTED} are listed)` : "";
    throw new ImsError("validation", `${this.count} problems in the input${shown}; nothing was written.`, this.listed);
  }
}

/** JSON.parse with the position of a syntax error, as Python's json module words it. */
export function parseJsonText(source: string, text: string, expected = "JSON"): unknown {
  if (text.trim() === "") throw new ImsError("validation", `${source}: the file is empty, not ${expected} (a write was probably interrupted).`);
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = locateJsonError(text);
    const where = at ? describeJsonError(text, at) : (e as Error).message;
    throw new ImsError("validation", `${source}: not valid JSON: ${where}.`);
  }
}
