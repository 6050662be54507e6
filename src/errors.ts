/**
 * The one error type of the hub. Every failure a user can act on carries a stable
 * kebab-case `code`, a message that says what to do, the HTTP status it maps to, and
 * where it happened (file and line, record index and field, query position ...).
 * Library errors (oxigraph, n3, jsonld, ajv) are wrapped into this at their one home.
 */
export interface ErrorWhere {
  file?: string;
  line?: number;
  column?: number;
  record?: number;
  field?: string;
  parameter?: string;
  subject?: string;
  [key: string]: unknown;
}

export interface DatalyftErrorOptions {
  status?: number;
  where?: ErrorWhere;
  /** Extra members for the problem+json body (e.g. a list of violations). */
  extra?: Record<string, unknown>;
  cause?: unknown;
}

export class DatalyftError extends Error {
  readonly code: string;
  readonly status: number;
  readonly where: ErrorWhere | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: DatalyftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DatalyftError';
    this.code = code;
    this.status = options.status ?? 400;
    this.where = options.where;
    this.extra = options.extra;
  }
}

export function isDatalyftError(value: unknown): value is DatalyftError {
  return value instanceof DatalyftError;
}

/** A one-line description of any thrown value, for logs and CLI output. */
export function describeError(error: unknown): string {
  if (error instanceof DatalyftError) {
    const where = error.where ? ` (${formatWhere(error.where)})` : '';
    return `${error.code}: ${error.message}${where}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

export function formatWhere(where: ErrorWhere): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.line ? `${where.file}:${where.line}` : where.file);
  else if (where.line) parts.push(`line ${where.line}`);
  for (const [key, value] of Object.entries(where)) {
    if (key === 'file' || key === 'line' || value === undefined) continue;
    parts.push(`${key} ${String(value)}`);
  }
  return parts.join(', ');
}
