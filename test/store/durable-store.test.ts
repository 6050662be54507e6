import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatalyftError } from '../../src/errors.ts';
import { factory } from '../../src/rdf/parse.ts';
import { DurableStore } from '../../src/store/durable-store.ts';
import { EX, filesBelow, filesContaining, iri, q, removeDir, tempDir } from './helpers.ts';

const A = `${EX}graph/a`;
const B = `${EX}graph/b`;

function rows(body: string): Record<string, { value: string }>[] {
  return (JSON.parse(body) as { results: { bindings: Record<string, { value: string }>[] } }).results.bindings;
}

async function caught(promise: Promise<unknown>): Promise<DatalyftError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DatalyftError);
    return error as DatalyftError;
  }
  throw new Error('expected a DatalyftError');
}

describe('DurableStore', () => {
  let dir: string;
  let store: DurableStore | undefined;

  beforeEach(async () => {
    dir = await tempDir();
  });

  afterEach(async () => {
    await store?.close();
    store = undefined;
    await removeDir(dir);
  });

  async function open(options: Partial<Parameters<typeof DurableStore.open>[0]> = {}): Promise<DurableStore> {
    store = await DurableStore.open({ dataDir: dir, queryTimeoutMs: 10_000, ...options });
    return store;
  }

  async function reopen(): Promise<DurableStore> {
    await store?.close();
    return open();
  }

  async function select(s: DurableStore, query: string, defaultGraphs: string[], namedGraphs: string[] = []): Promise<Record<string, { value: string }>[]> {
    const response = await s.query({ query, defaultGraphs, namedGraphs, resultFormat: 'application/sparql-results+json' });
    return rows(response.body);
  }

  it('keeps committed quads across a reopen, in the database and in the engine', async () => {
    const s = await open();
    await s.commit({ add: [q('s1', 'p', 'one', 'graph/a'), q('s1', 'p', 2, 'graph/a'), q('s2', 'p', iri('o'), 'graph/b'), q('s3', 'p', 'default')], note: 'first' });
    await s.commit({ add: [q('s1', 'p', 'one', 'graph/a')], remove: [q('s1', 'p', 2, 'graph/a')], note: 'second' });
    const engineBefore = await s.engineDump();

    const again = await reopen();
    expect(await again.graphs()).toEqual([A, B]);
    expect(await again.size()).toBe(3);
    expect(await again.size(A)).toBe(1);
    expect(await again.engineDump()).toEqual(engineBefore);
    expect((await select(again, 'SELECT ?o WHERE { ?s ?p ?o }', [A])).map((r) => r.o!.value)).toEqual(['one']);
    const quads = await again.quadsOf(B);
    expect(quads).toHaveLength(1);
    expect(quads[0]!.graph.value).toBe(B);
    expect(again.journal().map((j) => [j.note, j.added, j.removed])).toEqual([['first', 4, 0], ['second', 0, 1]]);
  });

  it('keeps blank node labels, so a blank node spans commits and can be removed', async () => {
    const s = await open();
    const b = factory.blankNode('person1');
    await s.commit({ add: [factory.quad(b, iri('name'), factory.literal('Anna'), iri('graph/a'))] });
    await s.commit({ add: [factory.quad(b, iri('age'), factory.literal('42'), iri('graph/a'))] });
    const names = await select(s, 'SELECT ?name ?age WHERE { ?x <https://example.org/name> ?name ; <https://example.org/age> ?age }', [A]);
    expect(names).toHaveLength(1);

    const again = await reopen();
    expect(await select(again, 'SELECT ?name ?age WHERE { ?x <https://example.org/name> ?name ; <https://example.org/age> ?age }', [A])).toHaveLength(1);
    await again.commit({ remove: [factory.quad(b, iri('age'), factory.literal('42'), iri('graph/a'))] });
    expect(await again.size(A)).toBe(1);
    expect(await again.engineDump()).toEqual(['_:person1 <https://example.org/name> "Anna" <https://example.org/graph/a> .']);
  });

  it('rejects a batch with an invalid term whole: no file and no engine quad changes', async () => {
    const s = await open();
    await s.commit({ add: [q('s', 'p', 'kept', 'graph/a')] });
    const files = await filesBelow(dir);
    const engine = await s.engineDump();
    const bad = factory.quad(iri('s'), factory.namedNode('not an iri'), factory.literal('x'), iri('graph/a'));
    const error = await caught(s.commit({ add: [q('s', 'p', 'new', 'graph/a'), q('t', 'p', 'new', 'graph/b'), bad], dropGraphs: [A] }));
    expect(error.code).toBe('invalid-term');
    expect(error.message).toBe('Quad 3 to add has an invalid predicate: <not an iri> is not an absolute IRI (Invalid IRI code point \' \'). Nothing of the batch was written.');
    expect(error.where).toMatchObject({ quad: 3, position: 'predicate' });
    expect(await filesBelow(dir)).toEqual(files);
    expect(await s.engineDump()).toEqual(engine);
  });

  it('rolls back a batch that fails inside its transaction: database and engine as before', async () => {
    let fail = false;
    const s = await open({ hooks: { insideTransaction: () => { if (fail) throw new Error('simulated disk failure'); } } });
    await s.commit({ add: [q('s', 'p', 'kept', 'graph/a'), q('s', 'p', 'also kept', 'graph/b')] });
    const database = s.databaseDump();
    const engine = await s.engineDump();
    const journal = s.journal();
    fail = true;
    const error = await caught(s.commit({ dropGraphs: [A], remove: [q('s', 'p', 'also kept', 'graph/b')], add: [q('n', 'p', 'new', 'graph/c'), q('n', 'p', 'new', 'graph/b')] }));
    expect(error.code).toBe('store-write-failed');
    expect(error.message).toContain('simulated disk failure');
    expect(s.databaseDump()).toEqual(database);
    expect(await s.engineDump()).toEqual(engine);
    expect(s.journal()).toEqual(journal);
    expect(await s.graphs()).toEqual([A, B]);
    expect(await s.size()).toBe(2);

    // The store goes on working, and the failed batch never comes back after a restart.
    fail = false;
    await s.commit({ add: [q('n', 'p', 'later', 'graph/c')] });
    const again = await reopen();
    expect(again.databaseDump()).toEqual([...database, `${EX}graph/c\t<${EX}n> <${EX}p> "later"`].sort());
    expect(await again.size(`${EX}graph/c`)).toBe(1);
  });

  it('erases a dropped graph: no byte of its values is left in any file of the data directory', async () => {
    const s = await open();
    const secret = 'ERASE-ME-4f1c9a';
    const kept = 'KEEP-ME-77b2e0';
    const long = 'x'.repeat(9000); // spills to overflow pages
    // Interleaved commits, so the graphs' pages are written, split and rebalanced together.
    for (let round = 0; round < 20; round++) {
      const add = [];
      for (let i = 0; i < 300; i++) {
        add.push(q(`person/${round}-${i}`, 'note', `${secret} ${round}-${i} text that makes the row longer`, 'graph/b'));
        add.push(q(`person/${round}-${i}`, 'note', `${kept} ${round}-${i} text that makes the row longer`, 'graph/a'));
      }
      add.push(q(`person/${round}`, 'long', `${secret}${long}${round}`, 'graph/b'));
      await s.commit({ add, note: `round ${round}` });
      if (round % 5 === 4) await s.commit({ remove: add.filter((_, i) => i % 7 === 0) });
    }
    expect(await filesContaining(dir, secret)).not.toEqual([]);

    await s.commit({ dropGraphs: [B], note: 'erase b' });
    expect(await filesContaining(dir, secret)).toEqual([]);
    expect(await filesContaining(dir, B)).toEqual([]);
    expect(await filesContaining(dir, kept)).toEqual(['datalyft.sqlite']);
    expect(await s.graphs()).toEqual([A]);
    expect(await select(s, `SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER(CONTAINS(?o, "${secret}")) } }`, [], [A, B])).toEqual([]);
    expect(s.journal().at(-1)).toMatchObject({ note: 'erase b', droppedGraphs: 1 });

    const journalLength = s.journal().length;
    const sizeBefore = await s.size();
    await s.commit({ dropGraphs: [B], note: 'erase b again' });
    expect(await s.size()).toBe(sizeBefore);
    expect(s.journal()).toHaveLength(journalLength + 1);
    expect(s.journal().at(-1)).toMatchObject({ droppedGraphs: 0, droppedQuads: 0 });

    await s.close();
    store = undefined;
    expect(await filesContaining(dir, secret)).toEqual([]);
    const again = await open();
    expect(await again.size(B)).toBe(0);
  });

  it('restricts a query to its graphs, whatever the query names', async () => {
    const s = await open();
    await s.commit({ add: [q('a', 'p', 'in a', 'graph/a'), q('b', 'p', 'in b', 'graph/b'), q('b', 'link', iri('a'), 'graph/b')] });
    const values = async (query: string, defaultGraphs: string[], namedGraphs: string[] = []) => (await select(s, query, defaultGraphs, namedGraphs)).map((r) => Object.values(r).map((t) => t.value).join(' ')).sort();

    expect(await values('SELECT ?o WHERE { ?s ?p ?o }', [A])).toEqual(['in a']);
    expect(await values('SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }', [A])).toEqual([]);
    expect(await values('SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }', [A], [A])).toEqual([`${A} in a`]);
    expect(await values(`SELECT ?o WHERE { GRAPH <${B}> { ?s ?p ?o } }`, [A], [A])).toEqual([]);
    expect(await values(`SELECT ?o FROM <${B}> WHERE { ?s ?p ?o }`, [A])).toEqual(['in a']);
    expect(await values('SELECT ?o WHERE { ?s (<https://example.org/p>|!<https://example.org/p>)* ?o }', [A])).toContain('in a');
    expect(await values('SELECT ?o WHERE { ?s (<https://example.org/p>|!<https://example.org/p>)* ?o }', [A])).not.toContain('in b');
    const described = await s.query({ query: `DESCRIBE <${EX}b>`, defaultGraphs: [A], namedGraphs: [A], resultFormat: 'application/n-triples' });
    expect(described.body).toBe('');
    expect(await values('SELECT ?o WHERE { ?s ?p ?o }', [])).toEqual([]);
  });

  it('answers JSON-LD requests with N-Triples and says so', async () => {
    const s = await open();
    await s.commit({ add: [q('a', 'p', 'x', 'graph/a')] });
    const response = await s.query({ query: 'CONSTRUCT WHERE { ?s ?p ?o }', defaultGraphs: [A], namedGraphs: [], resultFormat: 'application/ld+json' });
    expect(response).toEqual({ kind: 'graph', mediaType: 'application/n-triples', body: `<${EX}a> <${EX}p> "x" .\n` });
    const ask = await s.query({ query: 'PREFIX ex: <https://example.org/>\nASK { ?s ex:p ?o }', defaultGraphs: [A], namedGraphs: [], resultFormat: 'application/sparql-results+json' });
    expect(ask.kind).toBe('boolean');
    expect(await s.select('SELECT ?o WHERE { ?s ?p ?o }', { defaultGraphs: [A] })).toEqual([{ o: { type: 'literal', value: 'x' } }]);
  });

  it('wraps query syntax errors with the engine position', async () => {
    const s = await open();
    const error = await caught(s.query({ query: 'SELECT WHERE {', defaultGraphs: [], namedGraphs: [], resultFormat: 'application/sparql-results+json' }));
    expect(error.code).toBe('query-syntax');
    expect(error.status).toBe(400);
  });

  it('names a data directory that cannot be written', async () => {
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    const error = await caught(DurableStore.open({ dataDir: path.join(file, 'data') }));
    expect(error.code).toBe('data-dir-unwritable');
    expect(error.message).toContain(path.join(file, 'data'));
    expect(error.status).toBe(500);
  });

  it('creates a missing data directory', async () => {
    const s = await open({ dataDir: path.join(dir, 'nested', 'data') });
    await s.commit({ add: [q('a', 'p', 'x', 'graph/a')] });
    expect(await s.size()).toBe(1);
  });

  it('refuses a second process (or connection) on the same data directory', async () => {
    await open();
    const error = await caught(DurableStore.open({ dataDir: dir }));
    expect(error.code).toBe('data-dir-in-use');
  });
});
