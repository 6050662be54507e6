// In a file of its own: the trap breaks the oxigraph instance of this whole process.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store.ts';
import { failure, q } from './helpers.ts';

describe('why the engine lives in a worker', () => {
  it('an oxigraph instance that trapped keeps failing (so the worker is replaced, not reused)', async () => {
    const memory = new MemoryStore();
    await memory.commit({ add: [q('a', 'p', 'x')] });
    const ask = (query: string) => memory.query({ query, defaultGraphs: [], namedGraphs: [], resultFormat: 'application/sparql-results+json' });
    const depth = 1000;
    expect((await failure(ask(`SELECT * WHERE ${'{ '.repeat(depth)}?s ?p ?o${' }'.repeat(depth)}`))).code).toBe('engine-crashed');
    expect((await failure(ask('SELECT * WHERE { ?s ?p ?o }'))).code).toBe('engine-crashed');
  });
});

