/**
 * The store contract every backend fulfils: the embedded default (oxigraph + a durable
 * database) and a remote SPARQL 1.1 Protocol + Graph Store Protocol engine. The gate only
 * ever calls `query` with explicit graph lists; ingest and erasure only call `commit`.
 */
import type { Quad } from '@rdfjs/types';

export type ResultMediaType =
  | 'application/sparql-results+json'
  | 'application/sparql-results+xml'
  | 'text/csv'
  | 'text/tab-separated-values'
  | 'text/turtle'
  | 'application/n-triples'
  | 'application/n-quads'
  | 'application/ld+json';

export interface QueryRequest {
  /** The query text, as re-serialised by the gate (never the raw request text). */
  query: string;
  /** Graphs whose union is the default graph. Empty array = an empty default graph. */
  defaultGraphs: string[];
  /** Graphs reachable with GRAPH / FROM NAMED. */
  namedGraphs: string[];
  /** Media type of the serialised result. */
  resultFormat: ResultMediaType;
  /** Abort and answer `query-timeout` after this many milliseconds. */
  timeoutMs?: number;
}

export interface QueryResponse {
  kind: 'bindings' | 'boolean' | 'graph';
  /**
   * The media type of `body`. It equals the requested format except for
   * `application/ld+json`: the engines write no JSON-LD, so the body is N-Triples, this
   * field says `application/n-triples`, and the caller converts it (src/rdf/jsonld.ts).
   */
  mediaType: ResultMediaType;
  body: string;
}

/** Bindings as plain values, for code paths (catalog pages, reports) that need objects. */
export type BindingRow = Record<string, { type: 'uri' | 'literal' | 'bnode'; value: string; datatype?: string; 'xml:lang'?: string }>;

export interface CommitBatch {
  /** Quads to add; each carries its named graph. */
  add?: Quad[];
  /** Quads to remove. */
  remove?: Quad[];
  /** Graphs to drop whole (erasure, replacing a metadata graph). */
  dropGraphs?: string[];
  /** A short description for the journal ("ingest fk-tfp 1200 records"). */
  note?: string;
}

export interface HubStore {
  /** Applies the batch atomically and durably: after it resolves, it survives kill -9. */
  commit(batch: CommitBatch): Promise<void>;
  query(request: QueryRequest): Promise<QueryResponse>;
  /** SELECT convenience for internal code; same graph restriction rules. */
  select(query: string, graphs: { defaultGraphs: string[]; namedGraphs?: string[] }): Promise<BindingRow[]>;
  /** Names of the graphs that hold at least one quad. */
  graphs(): Promise<string[]>;
  /** Number of quads, in total or in one graph. */
  size(graph?: string): Promise<number>;
  /** Every quad of a graph (for exports and tests). */
  quadsOf(graph: string): Promise<Quad[]>;
  close(): Promise<void>;
}
