import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableStore } from '../../src/store/durable-store.ts';
import { EX, filesContaining, removeDir, tempDir } from './helpers.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const WRITER = path.join(FIXTURES, 'writer.ts');
const ERASE_THEN_DIE = path.join(FIXTURES, 'erase-then-die.ts');
const PER_BATCH = 500;

/** Runs the writer until it has acknowledged `acks` batches, then kills it with SIGKILL. */
function writeUntilKilled(dir: string, acks: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(PER_BATCH)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let stderr = '';
    let buffered = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const match = /^ack (\d+)$/.exec(line);
        if (match) acked.push(Number(match[1]));
      }
      if (acked.length >= acks && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`the writer stopped by itself (code ${code}): ${stderr}`));
    });
  });
}

describe('durability', () => {
  let dir: string | undefined;

  afterEach(async () => {
    if (dir) await removeDir(dir);
    dir = undefined;
  });

  it('keeps every acknowledged batch after kill -9, and no batch half', async () => {
    dir = await tempDir('datalyft-kill9-');
    const acked = await writeUntilKilled(dir, 8);
    expect(acked.length).toBeGreaterThanOrEqual(8);

    const store = await DurableStore.open({ dataDir: dir });
    try {
      const response = await store.query({
        query: `SELECT ?batch (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <${EX}batch> ?batch } } GROUP BY ?batch`,
        defaultGraphs: [], namedGraphs: await store.graphs(), resultFormat: 'application/sparql-results+json',
      });
      const counts = new Map((JSON.parse(response.body) as { results: { bindings: { batch: { value: string }; n: { value: string } }[] } }).results.bindings
        .map((row) => [Number(row.batch.value), Number(row.n.value)]));
      for (const batch of acked) expect(counts.get(batch), `batch ${batch} was acknowledged`).toBe(PER_BATCH);
      for (const [batch, n] of counts) expect(n, `batch ${batch}`).toBe(PER_BATCH);
      // At most the one batch in flight at the kill got in beyond the acknowledged ones.
      expect(counts.size - acked.length).toBeLessThanOrEqual(1);
      expect(await store.size()).toBe(counts.size * PER_BATCH);
      expect(store.databaseDump()).toHaveLength(counts.size * PER_BATCH);
      expect(store.journal().map((j) => j.note)).toEqual([...counts.keys()].sort((a, b) => a - b).map((b) => `batch ${b}`));
    } finally {
      await store.close();
    }
  });

  it('finishes an erasure cut off by kill -9 before its checkpoint when the directory is next opened', async () => {
    dir = await tempDir('datalyft-kill9-erase-');
    const marker = 'ERASED-BEFORE-CRASH-91c2';
    const run = spawnSync(process.execPath, ['--import', 'tsx', ERASE_THEN_DIE, dir, marker], { encoding: 'utf8' });
    expect(run.signal).toBe('SIGKILL');
    expect(run.stdout).toBe('written\n');
    expect(await filesContaining(dir, marker)).not.toEqual([]); // old frames of the WAL

    const store = await DurableStore.open({ dataDir: dir });
    try {
      expect(await filesContaining(dir, marker)).toEqual([]);
      expect(await store.graphs()).toEqual([`${EX}graph/kept`]);
      expect(await store.size()).toBe(2000);
    } finally {
      await store.close();
    }
  });
});
