/**
 * Reads declared variables (variables.ts) from one environment: empty values count as unset,
 * defaults come from the declaration, and every bad value is collected so one start-up failure
 * names them all.
 */
import { resolve } from "node:path";
import { variable } from "./variables.ts";

export type Env = Record<string, string | undefined>;

export class EnvReader {
  readonly problems: string[] = [];

  constructor(
    private readonly env: Env,
    /** Relative paths in values are taken from here: where the user ran the command. */
    readonly cwd: string,
    /** Relative paths in defaults (./var/...) are taken from here: the process's directory. */
    readonly defaultsDir: string = cwd,
  ) {}

  /** The trimmed value, or undefined when unset or blank. */
  raw(name: string): string | undefined {
    variable(name);
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  /** The untrimmed value as set (for settings where surrounding spaces are the user's). */
  untrimmed(name: string): string | undefined {
    variable(name);
    return this.env[name];
  }

  /** The value, else the declared default (a declaration without one is a programming error). */
  text(name: string): string {
    return this.raw(name) ?? this.default(name);
  }

  /** The declared default. */
  default(name: string): string {
    const value = variable(name).default;
    if (value === undefined) throw new Error(`${name} has no declared default`);
    return value;
  }

  /** A path value made absolute against cwd, or the default against defaultsDir. */
  path(name: string): string {
    const raw = this.raw(name);
    return raw === undefined ? this.defaultPath(name) : resolve(this.cwd, raw);
  }

  /** The declared default of a path variable, made absolute against defaultsDir. */
  defaultPath(name: string): string {
    return resolve(this.defaultsDir, this.default(name));
  }

  /** A decimal integer within [min, max]; a bad value is a problem and the default is used. */
  int(name: string, min: number, max: number): number {
    const fallback = Number(variable(name).default);
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    this.problem(`${name} must be an integer ${min}-${max}, got ${JSON.stringify(raw)}`);
    return fallback;
  }

  /** A positive decimal number (fractions allowed) up to max, e.g. seconds or hours. */
  positive(name: string, max: number, unit: string): number {
    const fallback = Number(variable(name).default);
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
    if (n > 0 && n <= max) return n;
    this.problem(`${name} must be a number of ${unit} above 0 and at most ${max}, got ${JSON.stringify(raw)}`);
    return fallback;
  }

  /** The value (or default) when it matches `pattern`, else a problem naming `what` it must be. */
  matching(name: string, pattern: RegExp, what: string): string {
    const value = this.text(name);
    if (!pattern.test(value)) this.problem(`${name} must be ${what}, got ${JSON.stringify(value)}`);
    return value;
  }

  problem(message: string): void {
    this.problems.push(message);
  }
}
