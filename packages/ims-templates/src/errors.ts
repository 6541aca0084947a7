/**
 * The one error type of this package.
 * "bad_input": a parameter value is unusable (the caller or the user supplied it).
 * "template": a template (usually an operator's replacement) is broken or produced the wrong object.
 */
export type TemplateErrorKind = "bad_input" | "template";

export interface TemplateErrorDetails {
  /** Parameter at fault (bad_input). */
  field?: string;
  /** Template file at fault (template). */
  file?: string;
  cause?: unknown;
}

export class TemplateError extends Error {
  override readonly name = "TemplateError";
  readonly kind: TemplateErrorKind;
  readonly field?: string;
  readonly file?: string;

  constructor(kind: TemplateErrorKind, message: string, details: TemplateErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    if (details.field !== undefined) this.field = details.field;
    if (details.file !== undefined) this.file = details.file;
  }
}

export function badInput(field: string, message: string): TemplateError {
  return new TemplateError("bad_input", `${field}: ${message}`, { field });
}

export function templateFault(file: string, message: string, cause?: unknown): TemplateError {
  return new TemplateError("template", `${file}: ${message}`, { file, cause });
}
