/**
 * oxigraph in the same thread, no durability: for tests and for tools that build a store
 * from files. The embedded default wraps the same engine with a durable database and a
 * worker (see durable-store.ts).
 */
import * as ox from 'oxigraph';
import type { Quad } from '@rdfjs/types';
import { DatalyftError } from '../errors.ts';
import { factory } from '../rdf/parse.ts';
import type { BindingRow, CommitBatch, HubStore, QueryRequest, QueryResponse } from './types.ts';

/** Wraps an oxigraph error into ours: syntax errors keep oxigraph's position text. */
export function wrapOxigraphError(error: unknown): DatalyftError {
  const message = error instanceof Error ? error.message : String(error);
  if (/error at|expected|Unexpected|parse/i.test(message)) {
    return new DatalyftError('query-syntax', `The query could not be parsed: ${message}`, { status: 400, cause: error });
  }
  return new DatalyftError('engine-error', `The query engine failed: ${message}`, { status: 500, cause: error });
}

function toOx(q: Quad): ox.Quad {
  return ox.fromQuad(q as never) as ox.Quad;
}

export function graphNodes(graphs: string[]): ox.NamedNode[] {
  return graphs.map((g) => ox.namedNode(g));
}

/** Runs a query on an oxigraph store restricted to exactly the given graphs. */
export function runQuery(store: ox.Store, request: QueryRequest): QueryResponse {
  const options = {
    default_graph: graphNodes(request.defaultGraphs),
    named_graphs: graphNodes(request.namedGraphs),
    results_format: request.resultFormat === 'application/ld+json' ? 'application/n-triples' : request.resultFormat,
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
  const kind: QueryResponse['kind'] = /^\s*(ASK)\b/i.test(request.query) ? 'boolean' : /^(text\/turtle|application\/n-triples|application\/n-quads|application\/ld\+json)$/.test(request.resultFormat) ? 'graph' : 'bindings';
  return { kind, mediaType: request.resultFormat, body: result };
}

export function bindingsOf(store: ox.Store, query: string, graphs: { defaultGraphs: string[]; namedGraphs?: string[] }): BindingRow[] {
  const body = runQuery(store, { query, defaultGraphs: graphs.defaultGraphs, namedGraphs: graphs.namedGraphs ?? [], resultFormat: 'application/sparql-results+json' }).body;
  return (JSON.parse(body) as { results?: { bindings: BindingRow[] } }).results?.bindings ?? [];
}

export class MemoryStore implements HubStore {
  readonly engine = new ox.Store();

  async commit(batch: CommitBatch): Promise<void> {
    for (const g of batch.dropGraphs ?? []) for (const q of this.engine.match(null, null, null, ox.namedNode(g))) this.engine.delete(q);
    for (const q of batch.remove ?? []) this.engine.delete(toOx(q));
    for (const q of batch.add ?? []) this.engine.add(toOx(q));
  }

  async query(request: QueryRequest): Promise<QueryResponse> {
    return runQuery(this.engine, request);
  }

  async select(query: string, graphs: { defaultGraphs: string[]; namedGraphs?: string[] }): Promise<BindingRow[]> {
    return bindingsOf(this.engine, query, graphs);
  }

  async graphs(): Promise<string[]> {
    const rows = bindingsOf(this.engine, 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }', { defaultGraphs: [], namedGraphs: [] });
    // named_graphs: [] means "no named graphs"; list them through match instead.
    if (rows.length === 0) return [...new Set(this.engine.match().map((q) => q.graph.value).filter((g) => g !== ''))].sort();
    return rows.map((r) => r.g!.value).sort();
  }

  async size(graph?: string): Promise<number> {
    if (!graph) return this.engine.size;
    return this.engine.match(null, null, null, ox.namedNode(graph)).length;
  }

  async quadsOf(graph: string): Promise<Quad[]> {
    return this.engine.match(null, null, null, ox.namedNode(graph)).map((q) => factory.quad(q.subject as never, q.predicate as never, q.object as never, q.graph as never));
  }

  async close(): Promise<void> {}
}
