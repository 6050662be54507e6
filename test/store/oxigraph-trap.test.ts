// In a file of its own: the trap breaks the oxigraph instance of this whole process.
import { describe, expect, it } from 'vitest';
import { DatalyftError } from '../../src/errors.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import { q } from './helpers.ts';

async function failure(promise: Promise<unknown>): Promise<DatalyftError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DatalyftError);
    return error as DatalyftError;
  }
  throw new Error('expected the query to fail');
}

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

