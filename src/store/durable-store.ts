/**
 * The embedded default store: SQLite as the durable journal (quad-database.ts), oxigraph
 * in a worker thread as the query index rebuilt from it (query-engine.ts).
 *
 * Guarantees:
 * - A commit is all or nothing: terms are checked before anything is written, and the
 *   batch is one SQLite transaction; a rejected batch leaves database and engine as before.
 * - A commit that resolved survives kill -9 (WAL with synchronous=FULL).
 * - Queries see every commit that resolved before they were asked (one ordered queue).
 * - Dropping a graph erases it: no byte of it is left in any file of the data directory.
 * - A query past its timeout answers `query-timeout`, one that traps the engine answers
 *   `engine-crashed`; the worker is rebuilt from the database and the next query runs.
 */
import type { Quad } from '@rdfjs/types';
import { DatalyftError } from '../errors.ts';
import { parseRdf } from '../rdf/parse.ts';
import type { EngineChange, GraphText } from './engine-protocol.ts';
import { hasBlankNode, NTriplesWriter, toNTriples } from './ntriples.ts';
import { QuadDatabase, type AppliedChange, type CommitHooks } from './quad-database.ts';
import { QueryEngine } from './query-engine.ts';
import { parseBindings } from './run-query.ts';
import type { BindingRow, CommitBatch, HubStore, QueryRequest, QueryResponse } from './types.ts';

export interface DurableStoreOptions {
  dataDir: string;
  /** Default per-query timeout (a request's `timeoutMs` overrides it). */
  queryTimeoutMs?: number;
  log?: (line: string) => void;
  /** For tests: code run inside a commit's transaction. */
  hooks?: CommitHooks;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Splits lines into load-able text and text with blank nodes (parsed to keep labels). */
function graphTexts(byGraph: Map<string, string[]>, splitBlankNodes: boolean): GraphText[] {
  const out: GraphText[] = [];
  for (const [graph, lines] of byGraph) {
    if (!splitBlankNodes) {
      out.push({ graph, text: toNTriples(lines), keepBlankNodes: true });
      continue;
    }
    const blank = lines.filter(hasBlankNode);
    const plain = blank.length === 0 ? lines : lines.filter((line) => !hasBlankNode(line));
    if (plain.length > 0) out.push({ graph, text: toNTriples(plain) });
    if (blank.length > 0) out.push({ graph, text: toNTriples(blank), keepBlankNodes: true });
  }
  return out;
}

function engineChange(applied: AppliedChange): EngineChange {
  return { drop: applied.dropped, remove: graphTexts(applied.removed, false), add: graphTexts(applied.added, true) };
}

export class DurableStore implements HubStore {
  private readonly writer = new NTriplesWriter();
  private lastApply: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly db: QuadDatabase,
    private readonly engine: QueryEngine,
    private readonly hooks: CommitHooks,
  ) {}

  /**
   * Opens (or creates) the store of a data directory and loads it into a fresh engine.
   * Throws `data-dir-unwritable` naming the directory when it cannot be created or written,
   * and `data-dir-in-use` when another process has it open.
   */
  static async open(options: DurableStoreOptions): Promise<DurableStore> {
    const db = QuadDatabase.open(options.dataDir);
    let engine: QueryEngine;
    try {
      engine = await QueryEngine.start({
        source: () => db.stream(),
        durableSeq: () => db.seq,
        defaultTimeoutMs: options.queryTimeoutMs ?? DEFAULT_TIMEOUT_MS,
        log: options.log,
      });
    } catch (error) {
      db.close();
      throw error;
    }
    return new DurableStore(db, engine, options.hooks ?? {});
  }

  async commit(batch: CommitBatch): Promise<void> {
    this.assertOpen();
    const serialized = this.writer.serialize(batch);
    const applied = this.db.commit(serialized, batch.note, this.hooks);
    // Durable from here on. The engine gets the change through the same queue as queries,
    // so a query asked after this resolves sees it; waiting for the previous change only
    // keeps a fast writer from queueing unbounded text.
    const previous = this.lastApply;
    const empty = applied.dropped.length === 0 && applied.removed.size === 0 && applied.added.size === 0;
    if (!empty) this.lastApply = this.engine.apply(applied.seq, engineChange(applied)).catch(() => undefined);
    await previous;
  }

  async query(request: QueryRequest): Promise<QueryResponse> {
    this.assertOpen();
    return this.engine.query(request);
  }

  async select(query: string, graphs: { defaultGraphs: string[]; namedGraphs?: string[] }): Promise<BindingRow[]> {
    this.assertOpen();
    const response = await this.engine.query({ query, defaultGraphs: graphs.defaultGraphs, namedGraphs: graphs.namedGraphs ?? [], resultFormat: 'application/sparql-results+json' });
    return parseBindings(response.body);
  }

  async graphs(): Promise<string[]> {
    this.assertOpen();
    return this.db.graphs();
  }

  async size(graph?: string): Promise<number> {
    this.assertOpen();
    return this.db.size(graph);
  }

  async quadsOf(graph: string): Promise<Quad[]> {
    this.assertOpen();
    const lines = this.db.lines(graph);
    if (lines.length === 0) return [];
    return parseRdf(toNTriples(lines), { format: 'application/n-triples', graph: graph === '' ? undefined : graph });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.lastApply;
    await this.engine.close();
    this.db.close();
  }

  /** For tests: every durable row as `<graph>\t<line>`, sorted. */
  databaseDump(): string[] {
    return this.db.dump();
  }

  /** For tests: every quad of the engine as sorted N-Quads lines. */
  async engineDump(): Promise<string[]> {
    return (await this.engine.dump()).split('\n').filter((line) => line !== '').sort();
  }

  /** For tests and operators: the journal of commits. */
  journal(): ReturnType<QuadDatabase['journal']> {
    return this.db.journal();
  }

  /** How many times the query engine was built (1 after open; +1 per rebuild). */
  get engineBuilds(): number {
    return this.engine.builds;
  }

  private assertOpen(): void {
    if (this.closed) throw new DatalyftError('store-closed', 'The store was closed.', { status: 503 });
  }
}
