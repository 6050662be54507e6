/**
 * RFC 9457 problem details. Every error response of the hub is one of these, with our
 * error code in `code`, a reason a person can act on in `detail`, and `where`.
 */
import type { NextFunction, Request, Response } from 'express';
import { DatalyftError, describeError, isDatalyftError } from '../errors.ts';

export const PROBLEM_TYPE_BASE = 'https://w3id.org/datalyft/problem/';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  where?: Record<string, unknown>;
  [key: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 409: 'Conflict', 413: 'Content Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Content', 500: 'Internal Server Error', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function problemOf(error: DatalyftError, instance?: string): ProblemBody {
  return {
    type: PROBLEM_TYPE_BASE + error.code,
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...(error.where ? { where: error.where } : {}),
    ...(error.extra ?? {}),
  };
}

export function sendProblem(res: Response, error: DatalyftError, instance?: string): void {
  if (res.headersSent) return;
  if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="datalyft"');
  res.status(error.status).type('application/problem+json').send(JSON.stringify(problemOf(error, instance)));
}

/** Maps what express and body parsers throw onto our codes. */
export function toDatalyftError(error: unknown): DatalyftError {
  if (isDatalyftError(error)) return error;
  const e = error as { type?: string; status?: number; statusCode?: number; message?: string; limit?: number; charset?: string };
  const status = e.status ?? e.statusCode;
  switch (e.type) {
    case 'entity.too.large':
      return new DatalyftError('body-too-large', `The request body is larger than the limit of ${e.limit ?? '?'} bytes. Send a smaller body or split the batch.`, { status: 413 });
    case 'entity.parse.failed':
      return new DatalyftError('invalid-json', `The body is not valid JSON: ${e.message ?? ''}`.trim(), { status: 400 });
    case 'charset.unsupported':
      return new DatalyftError('unsupported-charset', `Charset "${e.charset ?? '?'}" is not supported; send UTF-8.`, { status: 400 });
    case 'encoding.unsupported':
      return new DatalyftError('unsupported-encoding', `Content encoding is not supported: ${e.message ?? ''}`, { status: 415 });
    default:
      break;
  }
  if (status && status >= 400 && status < 500) return new DatalyftError('bad-request', e.message ?? 'Bad request', { status });
  return new DatalyftError('internal-error', `Internal error: ${describeError(error)}`, { status: 500, cause: error });
}

export function problemMiddleware(log: (line: string) => void = () => {}) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const problem = toDatalyftError(error);
    if (problem.status >= 500) log(`${req.method} ${req.originalUrl}: ${describeError(error)}${error instanceof Error && error.stack ? `\n${error.stack}` : ''}`);
    sendProblem(res, problem, req.originalUrl);
  };
}
