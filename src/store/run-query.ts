/**
 * Running one SPARQL query on an oxigraph store restricted to exactly the given graphs.
 * Shared by the in-process MemoryStore and the query worker of the DurableStore, so both
 * backends serialise results and wrap engine errors the same way. Kept free of n3 and of
 * anything else heavy: the worker imports this file on every (re)start.
 */
import * as ox from 'oxigraph';
import { DatalyftError } from '../errors.ts';
import type { BindingRow, QueryRequest, QueryResponse, ResultMediaType } from './types.ts';

/**
 * True for the errors after which an oxigraph instance must not be used again: a WASM
 * trap (`unreachable`, `memory access out of bounds`) or a stack overflow inside the WASM
 * code (V8 raises RangeError and the Rust stack pointer is left wherever it was).
 */
export function isEngineTrap(error: unknown): boolean {
  return error instanceof WebAssembly.RuntimeError || error instanceof RangeError;
}

/** Wraps an oxigraph error into ours: syntax errors keep oxigraph's position text. */
export function wrapOxigraphError(error: unknown): DatalyftError {
  const message = error instanceof Error ? error.message : String(error);
  if (isEngineTrap(error)) {
    return new DatalyftError('engine-crashed', `The query engine crashed on this query (${message}). Simplify the query (less nesting, fewer nested groups) and try again.`, { status: 500, cause: error });
  }
  if (/error at|expected|Unexpected|parse/i.test(message)) {
    return new DatalyftError('query-syntax', `The query could not be parsed: ${message}`, { status: 400, cause: error });
  }
  return new DatalyftError('engine-error', `The query engine failed: ${message}`, { status: 500, cause: error });
}

export function graphNodes(graphs: string[]): ox.NamedNode[] {
  return graphs.map((g) => ox.namedNode(g));
}

const GRAPH_FORMATS = new Set<ResultMediaType>(['text/turtle', 'application/n-triples', 'application/n-quads', 'application/ld+json']);
/** Skips PREFIX / BASE declarations and comments to find the query form keyword. */
const ASK_FORM = /^(?:\s+|#[^\n]*\n|PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*ASK\b/i;

/**
 * The media type of the body the engine writes for a requested result format. oxigraph
 * has no JSON-LD writer: for `application/ld+json` the body is N-Triples and the response
 * says so, and the caller converts it (src/rdf/jsonld.ts).
 */
export function engineMediaType(requested: ResultMediaType): ResultMediaType {
  return requested === 'application/ld+json' ? 'application/n-triples' : requested;
}

/** Runs a query on an oxigraph store restricted to exactly the given graphs. */
export function runQuery(store: ox.Store, request: QueryRequest): QueryResponse {
  const mediaType = engineMediaType(request.resultFormat);
  const options = {
    default_graph: graphNodes(request.defaultGraphs),
    named_graphs: graphNodes(request.namedGraphs),
    results_format: mediaType,
  };
  let result: unknown;
  try {
    result = store.query(request.query, options as never);
  } catch (error) {
    throw wrapOxigraphError(error);
  }
  if (typeof result !== 'string') {
    throw new DatalyftError('engine-error', 'The engine returned no serialised result.', { status: 500 });
  }
  const kind: QueryResponse['kind'] = ASK_FORM.test(request.query) ? 'boolean' : GRAPH_FORMATS.has(request.resultFormat) ? 'graph' : 'bindings';
  return { kind, mediaType, body: result };
}

/** Parses a SPARQL JSON results body into binding rows. */
export function parseBindings(body: string): BindingRow[] {
  return (JSON.parse(body) as { results?: { bindings: BindingRow[] } }).results?.bindings ?? [];
}

export function bindingsOf(store: ox.Store, query: string, graphs: { defaultGraphs: string[]; namedGraphs?: string[] }): BindingRow[] {
  const body = runQuery(store, { query, defaultGraphs: graphs.defaultGraphs, namedGraphs: graphs.namedGraphs ?? [], resultFormat: 'application/sparql-results+json' }).body;
  return parseBindings(body);
}
