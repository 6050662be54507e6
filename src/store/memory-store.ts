/**
 * oxigraph in the same thread, no durability: for tests and for tools that build a store
 * from files. The embedded default wraps the same engine with a durable database and a
 * worker (see durable-store.ts).
 */
import * as ox from 'oxigraph';
import type { Quad } from '@rdfjs/types';
import { factory } from '../rdf/parse.ts';
import { bindingsOf, runQuery } from './run-query.ts';
import type { BindingRow, CommitBatch, HubStore, QueryRequest, QueryResponse } from './types.ts';

// The query helpers moved to run-query.ts (the query worker imports them without n3).
export { bindingsOf, graphNodes, runQuery, wrapOxigraphError } from './run-query.ts';

function toOx(q: Quad): ox.Quad {
  return ox.fromQuad(q as never) as ox.Quad;
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
