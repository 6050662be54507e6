/**
 * `datalyft ingest <dataset> <file>`: records from a file (JSON array or NDJSON, in a source
 * system's layout) through the ingest path, in batches of --batch records (default 5,000),
 * each batch one commit, all-or-nothing. Progress with records/s on stderr.
 *
 * Into the data directory's store (default), as --principal (default: a principal whose
 * role may write the dataset); or, with --url and --token, to a running hub over HTTP.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Catalog } from '../catalog/catalog.ts';
import type { Command, CliIo } from '../cli.ts';
import { loadConfig } from '../config.ts';
import { DatalyftError, isDatalyftError } from '../errors.ts';
import { parseRecordsText, scanJson } from '../ingest/guard.ts';
import { prepareBatch } from '../ingest/pipeline.ts';
import type { Violation } from '../ingest/violations.ts';
import { openHubStore } from '../server.ts';
import { parseCommandArgs } from './args.ts';

export const DEFAULT_BATCH = 5000;

export const command: Command = {
  name: 'ingest',
  summary: 'Load records from a file (JSON array or NDJSON, in a source system\'s layout) through the ingest path',
  usage: [
    'datalyft ingest <dataset> <file> [--source-system S] [--principal ID] [--batch N] [--keep-going]',
    '                [--data-dir DIR] [--url URL --token TOKEN]',
    '',
    'Records are checked at the door (JSON Schema), mapped by mappings/<source system>/, checked',
    'in the graph (SHACL) and written in batches of --batch records (default 5000), one commit',
    'each: a batch with a violation is refused whole and its violations listed. Earlier batches',
    'stay written. A file ending in .ndjson or .jsonl, or not starting with "[", is read as',
    'NDJSON (one record per line), streamed.',
    '',
    '  --source-system S  the layout the records are in (default: the dataset\'s dl:sourceSystem)',
    '  --principal ID     who writes (default: a principal whose role may write the dataset)',
    '  --keep-going       go on after a refused batch (exit 1 at the end)',
    '  --data-dir DIR     the hub\'s data directory (default DATALYFT_DATA_DIR or ./data)',
    '  --url URL          send to a running hub (POST /datasets/<dataset>/records) instead',
    '  --token TOKEN      bearer token for --url',
    '',
    'Exit code: 0 when every record was written, 1 when a batch was refused, 2 on a usage error.',
  ].join('\n'),
  async run(args, io) {
    const parsed = parseCommandArgs({
      args, allowPositionals: true, strict: true,
      options: {
        'source-system': { type: 'string' }, principal: { type: 'string' }, batch: { type: 'string' }, 'keep-going': { type: 'boolean' },
        'data-dir': { type: 'string' }, url: { type: 'string' }, token: { type: 'string' },
      },
    });
    const { values, positionals } = parsed;
    if (positionals.length !== 2) throw new DatalyftError('usage', 'Name a dataset and a file: datalyft ingest <dataset> <file>.');
    const [datasetId, file] = positionals as [string, string];
    const batchSize = values.batch === undefined ? DEFAULT_BATCH : Number(values.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new DatalyftError('usage', `--batch must be a whole number ≥ 1, not ${values.batch}.`);
    if (values.url && !values.token) throw new DatalyftError('usage', '--url needs --token (a bearer token of a principal that may write the dataset).');
    const info = await stat(file).catch(() => {
      throw new DatalyftError('file-unreadable', `Cannot read ${file}.`, { where: { file } });
    });

    const sink = values.url
      ? httpSink(values.url, values.token!, datasetId, values['source-system'])
      : await localSink(datasetId, values['source-system'], values.principal, values['data-dir'], io);
    const progress = new Progress(io, datasetId, info.size);
    let offset = 0;
    let refused = 0;
    let written = 0;
    let failure: unknown;
    try {
      // The next batch is checked while this one is written; batches are written in order,
      // and none after a refused one (unless --keep-going).
      type Job = { start: number; size: number; prepared: Promise<Prepared> };
      let ahead: Job | undefined;
      let read = 0;
      const settle = async (job: Job): Promise<boolean> => {
        try {
          written += await (await job.prepared)();
          return true;
        } catch (error) {
          // Record numbers of the ingest path count within the batch; say where in the file.
          if (isDatalyftError(error) && typeof error.where?.record === 'number') error.where.record += job.start;
          if (!isDatalyftError(error) || error.code !== 'batch-rejected') throw error;
          refused++;
          progress.clear();
          io.err(describeRefusal(error, offset, job.size));
          return false;
        } finally {
          offset += job.size;
          progress.records(job.size);
        }
      };
      let stopped = false;
      for await (const batch of readBatches(file, batchSize, (bytes) => progress.bytes(bytes))) {
        const job: Job = { start: read, size: batch.length, prepared: sink.prepare(batch) };
        read += batch.length;
        job.prepared.catch(() => {});
        if (ahead && !(await settle(ahead)) && !values['keep-going']) {
          stopped = true;
          ahead = undefined;
          break;
        }
        ahead = job;
      }
      if (ahead && !(await settle(ahead)) && !values['keep-going']) stopped = true;
      if (stopped) io.err(`Stopped at the first refused batch; ${written} records before it were written. --keep-going goes on.`);
    } catch (error) {
      failure = error;
    } finally {
      progress.clear();
      await sink.close();
    }
    if (failure) throw failure;
    io.err(progress.summary(written, refused));
    io.out(JSON.stringify({ dataset: datasetId, records: offset, written, refusedBatches: refused }));
    return refused > 0 ? 1 : 0;
  },
};

/** A checked batch: call it to write; it answers the number of records written. */
type Prepared = () => Promise<number>;

interface Sink {
  /** Checks a batch (throws batch-rejected) and returns how to write it. */
  prepare(records: unknown[]): Promise<Prepared>;
  close(): Promise<void>;
}

async function localSink(datasetId: string, sourceSystem: string | undefined, principalId: string | undefined, dataDir: string | undefined, io: CliIo): Promise<Sink> {
  const env = { ...process.env, ...(dataDir ? { DATALYFT_DATA_DIR: dataDir } : {}) };
  const config = loadConfig(env);
  const catalog = await Catalog.load();
  const dataset = catalog.requireDataset(datasetId);
  let principal = principalId;
  if (!principal) {
    const writer = [...catalog.principals.values()].find((p) => p.role && catalog.roles.get(p.role)?.mayWrite.includes(dataset.iri));
    if (!writer) throw new DatalyftError('write-not-permitted', `No principal's role may write ${dataset.id} (no dl:mayWrite in catalog/principals/).`, { status: 403 });
    principal = writer.id;
    io.err(`Writing as ${writer.id} (role ${catalog.roles.get(writer.role!)?.id}); --principal to choose.`);
  }
  const store = await openHubStore(config);
  const deps = { catalog, store, config, now: () => new Date(), log: (line: string) => io.err(line) };
  return {
    async prepare(records) {
      const prepared = await prepareBatch(deps, { dataset: dataset.iri, sourceSystem, records, principal, via: 'cli' });
      return async () => (await prepared.commit()).accepted;
    },
    close: () => store.close(),
  };
}

function httpSink(url: string, token: string, datasetId: string, sourceSystem: string | undefined): Sink {
  const target = new URL(`datasets/${encodeURIComponent(datasetId)}/records`, url.endsWith('/') ? url : `${url}/`);
  if (sourceSystem) target.searchParams.set('sourceSystem', sourceSystem);
  return {
    // Over HTTP the hub checks and writes in one request: nothing to check ahead.
    async prepare(records) {
      return () => send(records);
    },
    async close() {},
  };
  async function send(records: unknown[]): Promise<number> {
    {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
        body: records.map((r) => JSON.stringify(r)).join('\n'),
      });
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.ok) return Number(body.accepted ?? records.length);
      throw new DatalyftError(String(body.code ?? 'http-error'), String(body.detail ?? `${res.status} ${res.statusText}`), {
        status: res.status, ...(body.where ? { where: body.where as Record<string, unknown> } : {}), extra: body,
      });
    }
  }
}

/** Reads a file as batches of records: a JSON array whole, NDJSON streamed line by line. */
async function* readBatches(file: string, size: number, onBytes: (n: number) => void): AsyncGenerator<unknown[]> {
  const ndjson = /\.(ndjson|jsonl)$/i.test(file) || !(await startsWithBracket(file));
  if (!ndjson) {
    const text = await readFile(file, 'utf8');
    const records = parseRecordsText(text, { format: 'json' });
    onBytes(Buffer.byteLength(text));
    for (let i = 0; i < records.length; i += size) yield records.slice(i, i + size);
    return;
  }
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let batch: unknown[] = [];
  let lineNo = 0;
  let count = 0;
  for await (const line of lines) {
    lineNo++;
    onBytes(Buffer.byteLength(line) + 1);
    if (line.trim() === '') continue;
    scanJson(line, { lineOffset: lineNo - 1, where: { record: count, file } });
    batch.push(JSON.parse(line));
    count++;
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function startsWithBracket(file: string): Promise<boolean> {
  const stream = createReadStream(file, { encoding: 'utf8', start: 0, end: 4095 });
  for await (const chunk of stream) {
    const trimmed = String(chunk).trimStart();
    if (trimmed.length > 0) {
      stream.destroy();
      return trimmed.startsWith('[');
    }
  }
  return false;
}

function describeRefusal(error: DatalyftError, offset: number, size: number): string {
  const violations = (error.extra?.violations ?? []) as Violation[];
  const shown = violations.slice(0, 20).map((v) => `  record ${offset + v.record}${v.field ? ` ${v.field}` : ''}: ${v.rule}: ${v.message}`);
  const more = violations.length > shown.length ? [`  ... and ${violations.length - shown.length} more`] : [];
  return [`Batch of records ${offset}–${offset + size - 1} refused, nothing of it written: ${error.message}`, ...shown, ...more].join('\n');
}

/** A progress line on stderr: a bar that redraws on a terminal, a line every few seconds elsewhere. */
class Progress {
  private readonly started = Date.now();
  private done = 0;
  private read = 0;
  private lastLine = 0;
  private readonly tty: boolean;

  constructor(private readonly io: CliIo, private readonly dataset: string, private readonly totalBytes: number) {
    this.tty = !!process.stderr.isTTY;
  }

  bytes(n: number): void {
    this.read += n;
  }

  records(n: number): void {
    this.done += n;
    this.draw();
  }

  private rate(): number {
    const seconds = (Date.now() - this.started) / 1000;
    return seconds > 0 ? this.done / seconds : 0;
  }

  private draw(): void {
    const share = this.totalBytes > 0 ? Math.min(1, this.read / this.totalBytes) : 1;
    const width = 30;
    const filled = Math.round(share * width);
    const line = `${this.dataset} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(share * 100)}% ${this.done.toLocaleString('en-US')} records, ${Math.round(this.rate()).toLocaleString('en-US')} records/s`;
    if (this.tty) {
      process.stderr.write(`\r${line}`);
    } else if (Date.now() - this.lastLine > 2000) {
      this.lastLine = Date.now();
      this.io.err(line);
    }
  }

  clear(): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
  }

  summary(written: number, refused: number): string {
    const seconds = (Date.now() - this.started) / 1000;
    return `${this.dataset}: ${written.toLocaleString('en-US')} of ${this.done.toLocaleString('en-US')} records written in ${seconds.toFixed(1)} s (${Math.round(this.rate()).toLocaleString('en-US')} records/s)${refused > 0 ? `, ${refused} batch${refused === 1 ? '' : 'es'} refused` : ''}.`;
  }
}
