/**
 * The reference a user would otherwise reach for: Comunica 4.5 (@comunica/query-sparql)
 * over an N3 store holding the same quads. Run as a child process by reference.ts (which
 * bounds its time); the bench's only import of Comunica. Only the quads of the graphs the
 * gate permits are loaded, and their union is the default graph, as on oxigraph.
 */
import { readFileSync } from 'node:fs';
import { QueryEngine } from '@comunica/query-sparql';
import { Parser, Store } from 'n3';

interface Spec {
  files: string[];
  graphs: string[];
  queries: string[];
}

const spec = JSON.parse(process.argv[3]!) as Spec;
const permitted = new Set(spec.graphs);
const store = new Store();
let started = performance.now();
for (const file of spec.files) {
  for (const quad of new Parser({ format: 'application/n-quads' }).parse(readFileSync(file, 'utf8'))) {
    if (permitted.has(quad.graph.value)) store.addQuad(quad);
  }
}
// One line per step, so the parent keeps what finished if it has to stop this process.
process.stdout.write(`${JSON.stringify({ loadMs: performance.now() - started, quads: store.size })}\n`);
const engine = new QueryEngine();
for (const query of spec.queries) {
  started = performance.now();
  const bindings = await (await engine.queryBindings(query, { sources: [store], unionDefaultGraph: true })).toArray();
  process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, rows: bindings.length })}\n`);
}
process.exit(0);
