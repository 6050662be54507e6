/**
 * SPARQL 1.1 Protocol at the door: where the query and the other parameters come from
 * (GET ?query=, POST form-encoded, POST application/sparql-query), and the protocol errors
 * the W3C protocol tests expect (two `query` parameters, a query in the URL and the body,
 * a missing or wrong media type, a charset other than UTF-8, an update → 400).
 *
 * Parameters are read with URLSearchParams, from the raw URL and the raw form body, so a
 * repeated parameter is seen as sent: express's `qs` parsing would fold `query[0]=` or
 * `purpose[]=` into objects and arrays of its own making.
 */
import type { Request } from 'express';
import { DatalyftError } from '../errors.ts';

export const SPARQL_QUERY_TYPE = 'application/sparql-query';
export const SPARQL_UPDATE_TYPE = 'application/sparql-update';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

export const PURPOSE_HEADER = 'datalyft-purpose';
export const TRANSACTION_HEADER = 'datalyft-transaction';

export interface ProtocolRequest {
  /** The query text as sent; undefined for explain without a query. */
  query?: string;
  defaultGraphUris: string[];
  namedGraphUris: string[];
  /** Declared purpose (IRI or short id) from the parameter or the header. */
  purpose?: string;
  /** Regime (IRI, short id, or `both` for explain). */
  regime?: string;
  /** Transaction id to echo and log; generated when the client sends none. */
  transaction?: string;
  /** All other parameters, first value each (filters of /audit, `format`). */
  other: Map<string, string>;
}

/** Media type without parameters, lower case; undefined when there is none. */
export function mediaTypeOf(req: Request): string | undefined {
  const header = req.headers['content-type'];
  if (!header) return undefined;
  return header.split(';')[0]!.trim().toLowerCase() || undefined;
}

/** The charset parameter of Content-Type, lower case, if any. */
export function charsetOf(req: Request): string | undefined {
  const header = req.headers['content-type'];
  if (!header) return undefined;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(header);
  return match?.[1]?.toLowerCase();
}

/**
 * Checks the media type and charset of a POST before its body is read: only form-encoded
 * and application/sparql-query, only UTF-8. Called as middleware ahead of the body parser.
 */
export function checkPostBody(req: Request, options: { allowQueryBody: boolean }): void {
  const type = mediaTypeOf(req);
  if (type === SPARQL_UPDATE_TYPE) {
    throw new DatalyftError('update-not-allowed', 'The query endpoint answers queries only; application/sparql-update is an update. The hub is written to through ingest, never through SPARQL.', { status: 400, where: { header: 'Content-Type' } });
  }
  const accepted = options.allowQueryBody ? [FORM_TYPE, SPARQL_QUERY_TYPE] : [FORM_TYPE];
  if (!type || !accepted.includes(type)) {
    throw new DatalyftError('unsupported-media-type', `${type ? `Content-Type ${type} is not accepted here` : 'The POST has no Content-Type'}; send ${accepted.join(' or ')} (SPARQL 1.1 Protocol §2.1).`, { status: 400, where: { header: 'Content-Type' } });
  }
  const charset = charsetOf(req);
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new DatalyftError('unsupported-charset', `Charset "${charset}" is not supported; send the body as UTF-8.`, { status: 400, where: { header: 'Content-Type' } });
  }
}

function urlParams(req: Request): URLSearchParams {
  const url = req.originalUrl ?? req.url;
  const at = url.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
}

function headerValue(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

const TRANSACTION_PATTERN = /^[A-Za-z0-9._:@\-/+=]{1,200}$/;

function single(all: { source: 'url' | 'body'; value: string }[], name: string): string | undefined {
  if (all.length === 0) return undefined;
  const distinct = [...new Set(all.map((a) => a.value))];
  if (distinct.length > 1) {
    throw new DatalyftError('duplicate-parameter', `The parameter ${name} is given ${all.length} times with different values; give it once.`, { status: 400, where: { parameter: name } });
  }
  return distinct[0];
}

/**
 * Reads the protocol parameters of /sparql and /sparql/explain. For POST the body has
 * been read as text by the route (express.text), after checkPostBody.
 */
export function readProtocolRequest(req: Request, options: { requireQuery: boolean }): ProtocolRequest {
  const fromUrl = urlParams(req);
  const type = req.method === 'POST' ? mediaTypeOf(req) : undefined;
  const body = typeof req.body === 'string' ? req.body : undefined;
  const fromBody = type === FORM_TYPE && body !== undefined ? new URLSearchParams(body) : new URLSearchParams();

  const values = (name: string): { source: 'url' | 'body'; value: string }[] => [
    ...fromUrl.getAll(name).map((value) => ({ source: 'url' as const, value })),
    ...fromBody.getAll(name).map((value) => ({ source: 'body' as const, value })),
  ];
  // An empty optional parameter (a form's unfilled field) is no parameter.
  const given = (name: string): { source: 'url' | 'body'; value: string }[] => values(name).filter((v) => v.value.trim() !== '').map((v) => ({ ...v, value: v.value.trim() }));

  if (values('update').length > 0 || values('using-graph-uri').length > 0 || values('using-named-graph-uri').length > 0) {
    throw new DatalyftError('update-not-allowed', 'The query endpoint answers queries only; an `update` parameter asks for an update. The hub is written to through ingest, never through SPARQL.', { status: 400, where: { parameter: 'update' } });
  }

  const queries = values('query');
  if (type === SPARQL_QUERY_TYPE && body !== undefined && body.trim() !== '') queries.push({ source: 'body', value: body });
  const sources = new Set(queries.map((q) => q.source));
  if (sources.size > 1) {
    throw new DatalyftError('query-in-url-and-body', 'The query is given both in the URL and in the body; send it in one place (SPARQL 1.1 Protocol §2.1).', { status: 400, where: { parameter: 'query' } });
  }
  if (queries.length > 1) {
    throw new DatalyftError('duplicate-parameter', `The parameter query is given ${queries.length} times; send exactly one query.`, { status: 400, where: { parameter: 'query' } });
  }
  const query = queries[0]?.value;
  if (options.requireQuery && (query === undefined || query.trim() === '')) {
    throw new DatalyftError('query-missing', 'No query: send it as the `query` parameter (GET or form-encoded POST) or as an application/sparql-query body.', { status: 400, where: { parameter: 'query' } });
  }

  // The purpose: a parameter or a header, once, or the same in both.
  const declared = [...given('purpose').map((v) => v.value), ...(headerValue(req, PURPOSE_HEADER)?.split(',').map((s) => s.trim()).filter(Boolean) ?? [])];
  const purposes = [...new Set(declared)];
  if (purposes.length > 1) {
    throw new DatalyftError('ambiguous-purpose', `More than one purpose is declared (${purposes.join(', ')}); declare exactly one, as the purpose parameter or the Datalyft-Purpose header.`, { status: 400, where: { parameter: 'purpose' } });
  }

  const transaction = headerValue(req, TRANSACTION_HEADER)?.trim();
  if (transaction !== undefined && !TRANSACTION_PATTERN.test(transaction)) {
    throw new DatalyftError('invalid-transaction-id', 'Datalyft-Transaction must be 1–200 characters of letters, digits and . _ : @ - / + =.', { status: 400, where: { header: 'Datalyft-Transaction' } });
  }

  const other = new Map<string, string>();
  for (const params of [fromUrl, fromBody]) for (const [k, v] of params) if (!other.has(k)) other.set(k, v);
  return {
    query,
    defaultGraphUris: values('default-graph-uri').map((v) => v.value),
    namedGraphUris: values('named-graph-uri').map((v) => v.value),
    purpose: purposes[0],
    regime: single(given('regime'), 'regime'),
    transaction,
    other,
  };
}
