/**
 * Runs the join on Comunica over an N3 store (comunica.ts, in a child process) with a time
 * bound, and compares it with oxigraph answering the same queries.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './stats.ts';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));
const COMUNICA = fileURLToPath(new URL('./comunica.ts', import.meta.url));

export interface ComunicaFigures {
  /** Median join time over the queries that finished in time; undefined if none did. */
  joinMs?: number;
  finished: number;
  asked: number;
  rows: number[];
  loadMs?: number;
  quads?: number;
  timedOut: boolean;
  boundSeconds: number;
}

export function measureComunica(options: { files: string[]; graphs: string[]; queries: string[]; boundSeconds: number }): Promise<ComunicaFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=8192', CHILD, COMUNICA, JSON.stringify({ files: options.files, graphs: options.graphs, queries: options.queries })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.boundSeconds * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = out.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { ms?: number; rows?: number; loadMs?: number; quads?: number });
      if (!timedOut && code !== 0) return reject(new Error(`comunica child exited with ${code}: ${err.slice(-2000)}`));
      const load = lines.find((l) => l.loadMs !== undefined);
      const runs = lines.filter((l) => l.ms !== undefined);
      resolve({
        joinMs: runs.length > 0 ? median(runs.map((l) => l.ms!)) : undefined,
        finished: runs.length, asked: options.queries.length, rows: runs.map((l) => l.rows!),
        loadMs: load?.loadMs, quads: load?.quads, timedOut, boundSeconds: options.boundSeconds,
      });
    });
  });
}
