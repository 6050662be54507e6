/**
 * restart_ratio and bytes_per_quad: each side in a fresh process of its own (so neither
 * inherits the other's heap or the page cache state of the other's files more than the
 * other's), alternated and repeated; medians.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, round } from './stats.ts';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));
const RESTART_CHILD = fileURLToPath(new URL('./restart-child.ts', import.meta.url));

export interface ChildResult {
  mode: 'reopen' | 'raw';
  ms: number;
  rows: number;
  quads: number;
  rssBefore: number;
  rssAfter: number;
  bytesPerQuad: number;
}

export interface RestartFigures {
  quads: number;
  reopenMs: number;
  rawLoadMs: number;
  ratio: number;
  /**
   * Resident-set growth per quad of reopening the data directory, less the growth of
   * opening an empty one (the worker thread, its oxigraph instance, SQLite): what each
   * quad costs. The gross figures (fixed part included) are kept too.
   */
  bytesPerQuad: number;
  rawBytesPerQuad: number;
  grossBytesPerQuad: number;
  rawGrossBytesPerQuad: number;
  emptyGrowthBytes: { reopen: number; raw: number };
  runs: number;
}

function runChild(spec: object): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', CHILD, RESTART_CHILD, JSON.stringify(spec)], { maxBuffer: 1 << 20, timeout: 3_600_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`restart child failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult);
    });
  });
}

export async function measureRestart(options: { dataDir: string; emptyDir: string; files: string[]; query: string; graphs: string[]; runs: number; log: (line: string) => void }): Promise<RestartFigures> {
  const reopen: ChildResult[] = [];
  const raw: ChildResult[] = [];
  // The fixed part: the same processes on an empty data directory and no N-Quads.
  const emptyReopen = await runChild({ mode: 'reopen', dataDir: options.emptyDir, files: [], query: options.query, graphs: options.graphs });
  const emptyRaw = await runChild({ mode: 'raw', dataDir: options.emptyDir, files: [], query: options.query, graphs: options.graphs });
  const growth = (r: ChildResult): number => r.rssAfter - r.rssBefore;
  for (let i = 0; i < options.runs; i++) {
    const order = i % 2 === 0 ? (['reopen', 'raw'] as const) : (['raw', 'reopen'] as const);
    for (const mode of order) {
      const result = await runChild({ mode, dataDir: options.dataDir, files: options.files, query: options.query, graphs: options.graphs });
      (mode === 'reopen' ? reopen : raw).push(result);
      options.log(`  restart ${mode}: ${Math.round(result.ms)} ms, ${result.quads} quads, ${Math.round(result.bytesPerQuad)} B/quad`);
    }
  }
  if (reopen[0]!.rows !== raw[0]!.rows) throw new Error(`bench: the first query answers ${reopen[0]!.rows} rows after reopening, ${raw[0]!.rows} on raw oxigraph`);
  const reopenMs = median(reopen.map((r) => r.ms));
  const rawLoadMs = median(raw.map((r) => r.ms));
  const quads = reopen[0]!.quads;
  return {
    quads, reopenMs, rawLoadMs, ratio: round(reopenMs / rawLoadMs),
    bytesPerQuad: round((median(reopen.map(growth)) - growth(emptyReopen)) / quads, 0),
    rawBytesPerQuad: round((median(raw.map(growth)) - growth(emptyRaw)) / raw[0]!.quads, 0),
    grossBytesPerQuad: round(median(reopen.map((r) => r.bytesPerQuad)), 0), rawGrossBytesPerQuad: round(median(raw.map((r) => r.bytesPerQuad)), 0),
    emptyGrowthBytes: { reopen: growth(emptyReopen), raw: growth(emptyRaw) }, runs: options.runs,
  };
}
