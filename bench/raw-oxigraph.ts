/**
 * The baseline: oxigraph used directly, in this thread, with nothing of Datalyft around it.
 * The bench's only import of oxigraph (src/store/ is the hub's); everything the gate, the
 * ingest path and a restart cost is measured against what this module does with the same
 * quads and the same query.
 */
import { readFileSync } from 'node:fs';
import * as ox from 'oxigraph';

export const NQUADS = 'application/n-quads';

export class RawOxigraph {
  private readonly store = new ox.Store();

  get size(): number {
    return this.store.size;
  }

  /** Loads N-Quads text (one string, or chunks of whole lines), as a bulk load. */
  load(text: string | readonly string[]): void {
    this.store.load(typeof text === 'string' ? text : (text as string[]), { format: NQUADS, no_transaction: true });
  }

  /** Loads the N-Quads files of a data set, read chunk by chunk (files can exceed a JS string). */
  loadFiles(files: readonly string[]): void {
    for (const file of files) this.load(readFileSync(file, 'utf8'));
  }

  /** Gives the store's memory back to oxigraph's allocator (the WASM memory itself never shrinks). */
  free(): void {
    (this.store as unknown as { free(): void }).free();
  }

  /** Runs a query on exactly these graphs (union as the default graph, and as named graphs), as SPARQL JSON. */
  query(query: string, graphs: readonly string[]): string {
    const nodes = graphs.map((g) => ox.namedNode(g));
    return this.store.query(query, { default_graph: nodes, named_graphs: nodes, results_format: 'application/sparql-results+json' }) as string;
  }
}
