/**
 * Measures the durable store against raw oxigraph (not a test; numbers go to stdout):
 * - commit: batches of 100k quads (serialise + SQLite transaction + engine apply);
 * - reopen: DurableStore.open of N quads vs one oxigraph load of the same N-Quads;
 * - lookup: a selective SELECT through DurableStore.query vs the same on an in-process store.
 *
 * usage: node --import tsx test/store/bench.ts [quads=1000000] [batch=100000]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Quad } from '@rdfjs/types';
import { factory } from '../../src/rdf/parse.ts';
import { DurableStore } from '../../src/store/durable-store.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import type { QueryRequest } from '../../src/store/types.ts';

const total = Number(process.argv[2] ?? 1_000_000);
const batchSize = Number(process.argv[3] ?? 100_000);
const BASE = 'https://w3id.org/datalyft/';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const PREDICATES = ['type', 'name', 'birthDate', 'amount', 'start', 'end', 'status', 'case', 'decision', 'office'].map((p) => factory.namedNode(`${BASE}term#${p}`));
const GRAPHS = Array.from({ length: 10 }, (_, i) => factory.namedNode(`${BASE}graph/fk-dataset-${i}/basic`));

/** Record-like quads: 10 per subject, IRIs, strings, dates and integers, 10 graphs. */
function quads(from: number, count: number): Quad[] {
  const out: Quad[] = [];
  for (let n = from; n < from + count; n++) {
    const i = Math.floor(n / 10);
    const k = n % 10;
    const s = factory.namedNode(`${BASE}record/fk/case/${i}`);
    const o = k === 0 ? factory.namedNode(`${BASE}ns#Case`)
      : k === 2 ? factory.literal(`19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`, factory.namedNode(`${XSD}date`))
      : k === 3 ? factory.literal(String((i * 37) % 100000), factory.namedNode(`${XSD}integer`))
      : factory.literal(`value ${k} of record ${i} with some text`);
    out.push(factory.quad(s, PREDICATES[k]!, o, GRAPHS[i % 10]!));
  }
  return out;
}

function ms(start: number): number {
  return Math.round(performance.now() - start);
}

function lookups(count: number): QueryRequest[] {
  return Array.from({ length: count }, (_, j) => {
    const i = (j * 7919) % Math.floor(total / 10);
    return { query: `SELECT ?p ?o WHERE { <${BASE}record/fk/case/${i}> ?p ?o }`, defaultGraphs: [GRAPHS[i % 10]!.value], namedGraphs: [], resultFormat: 'application/sparql-results+json' };
  });
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-bench-'));
try {
  let store = await DurableStore.open({ dataDir: dir });
  const commits: number[] = [];
  for (let from = 0; from < total; from += batchSize) {
    const batch = quads(from, Math.min(batchSize, total - from));
    const started = performance.now();
    await store.commit({ add: batch, note: `bench ${from}` });
    commits.push(ms(started));
  }
  // The last change may still be applying in the engine: wait for it before timing queries.
  await store.query(lookups(1)[0]!);
  console.log(`commit ${batchSize} quads: ${commits.join(', ')} ms (median ${[...commits].sort((a, b) => a - b)[Math.floor(commits.length / 2)]} ms)`);
  {
    const started = performance.now();
    const batch = quads(0, batchSize);
    await store.commit({ add: batch });
    console.log(`re-commit ${batchSize} quads already stored (idempotent): ${ms(started)} ms`);
  }

  const requests = lookups(2000);
  await store.close();

  let started = performance.now();
  store = await DurableStore.open({ dataDir: dir });
  const reopen = ms(started);
  console.log(`reopen ${await store.size()} quads: ${reopen} ms`);
  let nquads = store.databaseDump().map((row) => {
    const tab = row.indexOf('\t');
    return `${row.slice(tab + 1)} <${row.slice(0, tab)}> .`;
  }).join('\n');

  const memory = new MemoryStore();
  const warm = new MemoryStore();
  started = performance.now();
  warm.engine.load(quads(0, 1000).map((q) => `<${q.subject.value}> <${q.predicate.value}> <${BASE}x> <${q.graph.value}> .`).join('\n'), { format: 'application/n-quads' });
  console.log(`raw warm-up load of 1000 quads (first oxigraph call of the process): ${ms(started)} ms`);
  started = performance.now();
  memory.engine.load(nquads, { format: 'application/n-quads' });
  const raw = ms(started);
  console.log(`raw oxigraph load of the same ${memory.engine.size} N-Quads: ${raw} ms; reopen/raw = ${(reopen / raw).toFixed(2)}`);
  // The same load in a fresh process, from a file read as bytes: oxigraph's best case.
  const file = path.join(dir, 'all.nq');
  writeFileSync(file, nquads);
  nquads = '';
  const child = `import { readFileSync } from 'node:fs';
    import { MemoryStore } from './src/store/memory-store.ts';
    const bytes = readFileSync(${JSON.stringify(file)});
    const store = new MemoryStore();
    const started = performance.now();
    store.engine.load(bytes, { format: 'application/n-quads' });
    process.stdout.write(String(Math.round(performance.now() - started)));`;
  const fresh = Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { cwd: path.resolve(import.meta.dirname, '../..') }).toString());
  console.log(`raw oxigraph load of the same N-Quads as bytes in a fresh process: ${fresh} ms; reopen/raw = ${(reopen / fresh).toFixed(2)}`);

  // Alternating rounds, each after its own warm-up, so both sides see the same machine.
  const ratios: string[] = [];
  for (let round = 0; round < 3; round++) {
    for (const r of requests.slice(0, 200)) await store.query(r);
    started = performance.now();
    for (const r of requests) await store.query(r);
    const durable = (performance.now() - started) / requests.length;
    for (const r of requests.slice(0, 200)) await memory.query(r);
    started = performance.now();
    for (const r of requests) await memory.query(r);
    const direct = (performance.now() - started) / requests.length;
    ratios.push(`durable ${durable.toFixed(3)} ms / raw ${direct.toFixed(3)} ms = ${(durable / direct).toFixed(2)}`);
  }
  console.log(`lookup: ${ratios.join('; ')}`);
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
