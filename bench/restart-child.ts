/**
 * A fresh process (started with --expose-gc by restart.ts) that either reopens a data
 * directory or loads the same quads into oxigraph from N-Quads, then answers one query,
 * and reports how long that took and how much the resident set grew.
 *
 *   reopen: DurableStore.open (SQLite journal → oxigraph in the query worker) + first query
 *   raw:    read the N-Quads files + oxigraph load in this thread + first query
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DurableStore } from '../src/store/durable-store.ts';
import { RawOxigraph } from './raw-oxigraph.ts';

interface Spec {
  mode: 'reopen' | 'raw';
  dataDir: string;
  files: string[];
  query: string;
  graphs: string[];
}

async function settledRss(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(200);
  }
  return process.memoryUsage().rss;
}

const spec = JSON.parse(process.argv[3]!) as Spec;
const rssBefore = await settledRss();
const started = performance.now();
let rows = 0;
let quads = 0;
let keep: unknown;
if (spec.mode === 'reopen') {
  const store = await DurableStore.open({ dataDir: spec.dataDir, queryTimeoutMs: 600_000, log: () => {} });
  const response = await store.query({ query: spec.query, defaultGraphs: spec.graphs, namedGraphs: spec.graphs, resultFormat: 'application/sparql-results+json' });
  rows = (JSON.parse(response.body) as { results: { bindings: unknown[] } }).results.bindings.length;
  quads = await store.size();
  keep = store;
} else {
  const raw = new RawOxigraph();
  raw.loadFiles(spec.files);
  rows = (JSON.parse(raw.query(spec.query, spec.graphs)) as { results: { bindings: unknown[] } }).results.bindings.length;
  quads = raw.size;
  keep = raw;
}
const ms = performance.now() - started;
const rssAfter = await settledRss();
process.stdout.write(`${JSON.stringify({ mode: spec.mode, ms, rows, quads, rssBefore, rssAfter, bytesPerQuad: quads > 0 ? (rssAfter - rssBefore) / quads : 0 })}\n`);
if (keep instanceof DurableStore) await keep.close();
process.exit(0);
