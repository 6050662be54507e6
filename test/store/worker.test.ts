import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DurableStore } from '../../src/store/durable-store.ts';
import type { QueryRequest } from '../../src/store/types.ts';
import { EX, failure, q, removeDir, tempDir } from './helpers.ts';

const G = `${EX}graph/people`;
const PEOPLE = 3000;

function countQuery(): QueryRequest {
  return { query: 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }', defaultGraphs: [G], namedGraphs: [], resultFormat: 'application/sparql-results+json' };
}

function countOf(body: string): number {
  return Number((JSON.parse(body) as { results: { bindings: { n: { value: string } }[] } }).results.bindings[0]!.n.value);
}

describe('the query worker', () => {
  let dir: string;
  let store: DurableStore;
  const log: string[] = [];

  beforeAll(async () => {
    dir = await tempDir();
    store = await DurableStore.open({ dataDir: dir, queryTimeoutMs: 10_000, log: (line) => log.push(line) });
    await store.commit({ add: Array.from({ length: PEOPLE }, (_, i) => q(`person/${i}`, 'age', i % 90, 'graph/people')) });
  });

  afterAll(async () => {
    await store.close();
    await removeDir(dir);
  });

  it('stops a query past its timeout with query-timeout, and the next query answers correctly', async () => {
    const builds = store.engineBuilds;
    const started = performance.now();
    const error = await failure(store.query({
      query: 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }', // 2.7e10 rows
      defaultGraphs: [G], namedGraphs: [], resultFormat: 'application/sparql-results+json', timeoutMs: 200,
    }));
    expect(error.code).toBe('query-timeout');
    expect(error.status).toBe(503);
    expect(error.message).toBe('The query ran longer than 200 ms and was stopped. Narrow it: fewer graphs, more selective patterns, a LIMIT, or no cartesian products.');
    expect(performance.now() - started).toBeLessThan(5000);

    expect(countOf((await store.query(countQuery())).body)).toBe(PEOPLE);
    expect(store.engineBuilds).toBe(builds + 1);
    expect(log.some((line) => line.includes('query timeout'))).toBe(true);
  });

  it('answers engine-crashed for a query nested 1000 deep (oxigraph traps), then the next query correctly', async () => {
    const builds = store.engineBuilds;
    const depth = 1000;
    const nested = `SELECT * WHERE ${'{ '.repeat(depth)}?s ?p ?o${' }'.repeat(depth)}`;
    const error = await failure(store.query({ query: nested, defaultGraphs: [G], namedGraphs: [], resultFormat: 'application/sparql-results+json' }));
    expect(error.code).toBe('engine-crashed');
    expect(error.status).toBe(500);

    expect(countOf((await store.query(countQuery())).body)).toBe(PEOPLE);
    expect(store.engineBuilds).toBe(builds + 1);
  });

  it('lets queries and commits made during a rebuild wait for it, in order', async () => {
    const builds = store.engineBuilds;
    const slow = store.query({
      query: 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }',
      defaultGraphs: [G], namedGraphs: [], resultFormat: 'application/sparql-results+json', timeoutMs: 150,
    });
    const before = store.query(countQuery());
    const commit = store.commit({ add: [q('person/new', 'age', 1, 'graph/people')] });
    const after = store.query(countQuery());
    expect((await failure(slow)).code).toBe('query-timeout');
    await commit;
    // Asked before the commit but answered after the rebuild, which already reads it:
    // either answer is a consistent state (the two were concurrent).
    expect([PEOPLE, PEOPLE + 1]).toContain(countOf((await before).body));
    expect(countOf((await after).body)).toBe(PEOPLE + 1);
    expect(store.engineBuilds).toBe(builds + 1);
    expect(await store.engineDump()).toHaveLength(PEOPLE + 1);
    await store.commit({ remove: [q('person/new', 'age', 1, 'graph/people')] });
  });

  it('applies commits made while the engine streams in from the database exactly once', async () => {
    const builds = store.engineBuilds;
    const timeout = failure(store.query({
      query: 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }',
      defaultGraphs: [G], namedGraphs: [], resultFormat: 'application/sparql-results+json', timeoutMs: 100,
    }));
    expect((await timeout).code).toBe('query-timeout');
    // The rebuild has begun; these land in the database before or while it is read.
    await store.commit({ add: [q('during/1', 'p', 1, 'graph/during')] });
    await store.commit({ remove: [q('person/0', 'age', 0, 'graph/people')], add: [q('during/2', 'p', 2, 'graph/during')] });
    await store.commit({ dropGraphs: [`${EX}graph/during`], add: [q('during/3', 'p', 3, 'graph/during')] });
    expect(countOf((await store.query(countQuery())).body)).toBe(PEOPLE - 1);
    expect(store.engineBuilds).toBe(builds + 1);
    const fromDatabase = store.databaseDump().map((row) => {
      const [graph, line] = row.split('\t') as [string, string];
      return `${line} <${graph}> .`;
    }).sort();
    expect(await store.engineDump()).toEqual(fromDatabase);
    await store.commit({ add: [q('person/0', 'age', 0, 'graph/people')], dropGraphs: [`${EX}graph/during`] });
  });

  it('keeps a query that fails on its own (syntax) from restarting the engine', async () => {
    const builds = store.engineBuilds;
    const error = await failure(store.query({ query: 'SELECT ?x WHERE { ?x', defaultGraphs: [G], namedGraphs: [], resultFormat: 'application/sparql-results+json' }));
    expect(error.code).toBe('query-syntax');
    expect(countOf((await store.query(countQuery())).body)).toBe(PEOPLE);
    expect(store.engineBuilds).toBe(builds);
  });
});

describe('the hub while the engine is rebuilt', () => {
  it('keeps answering /health during a runaway query and after a trap, and the next query answers', async () => {
    const { startHub } = await import('../../src/server.ts');
    const dir = await tempDir();
    const store = await DurableStore.open({ dataDir: dir, queryTimeoutMs: 10_000 });
    const hub = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir: dir, demoPersons: 0 }, store, log: () => {} });
    try {
      await store.commit({ add: Array.from({ length: 2000 }, (_, i) => q(`person/${i}`, 'age', i % 90, 'graph/people')) });
      const health = async () => {
        const started = performance.now();
        const res = await fetch(`${hub.url}/health`);
        return { status: res.status, ms: performance.now() - started };
      };
      const runaway = store.query({ query: 'SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }', defaultGraphs: [G], namedGraphs: [], resultFormat: 'application/sparql-results+json', timeoutMs: 1500 });
      const during = await health();
      expect(during.status).toBe(200);
      expect(during.ms).toBeLessThan(1000);
      expect((await failure(runaway)).code).toBe('query-timeout');

      const trap = store.query({ query: `SELECT * WHERE ${'{ '.repeat(1000)}?s ?p ?o${' }'.repeat(1000)}`, defaultGraphs: [G], namedGraphs: [], resultFormat: 'application/sparql-results+json' });
      expect((await failure(trap)).code).toBe('engine-crashed');
      expect((await health()).status).toBe(200);
      expect(countOf((await store.query(countQuery())).body)).toBe(2000);
    } finally {
      await hub.close();
      await removeDir(dir);
    }
  });
});
