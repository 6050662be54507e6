/**
 * The main thread's side of the query worker: one ordered queue of engine operations
 * (changes from commits, queries, dumps), sent one at a time, so that a query sees every
 * commit acknowledged before it was asked, and a timeout counts engine time only.
 *
 * When a query runs past its timeout the worker is terminated (the WASM call cannot be
 * interrupted any other way) and the query answers `query-timeout`; when the engine traps
 * or the worker dies, the operation answers `engine-crashed`. Either way a fresh worker is
 * built from the database while the queue waits, and the next operation runs on it.
 */
import { Worker } from 'node:worker_threads';
import { DatalyftError } from '../errors.ts';
import type { EngineChange, GraphText, WorkerFailure, WorkerRequest, WorkerResponse } from './engine-protocol.ts';
import type { QueryRequest, QueryResponse } from './types.ts';

const WORKER_URL = new URL('./query-worker.mjs', import.meta.url);
/** Load messages in flight while (re)building: enough to keep the worker busy, bounded in memory. */
const LOADS_IN_FLIGHT = 3;

export interface QueryEngineOptions {
  /** The whole durable content, graph by graph, for a (re)build. */
  source: () => AsyncIterable<GraphText>;
  /** Sequence number of the last durable commit, at the moment of the call. */
  durableSeq: () => number;
  defaultTimeoutMs: number;
  log?: (line: string) => void;
}

interface Deferred<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

type Item =
  | { op: 'apply'; seq: number; change: EngineChange; done: Deferred<void> }
  | { op: 'query'; request: QueryRequest; timeoutMs: number; done: Deferred<QueryResponse> }
  | { op: 'dump'; done: Deferred<string> };

/** A worker request without its id (Omit does not distribute over the union). */
type WorkerMessage = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

class WorkerFailed extends Error {
  constructor(readonly error: DatalyftError, readonly fatal: boolean) {
    super(error.message);
  }
}

function fromFailure(failure: WorkerFailure): WorkerFailed {
  return new WorkerFailed(new DatalyftError(failure.code, failure.message, { status: failure.status }), failure.fatal);
}

/** One worker thread and the requests waiting for its answers. */
class EngineWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Deferred<unknown>>();
  private nextId = 1;
  private dead: WorkerFailed | undefined;

  constructor(private readonly onDeath: (worker: EngineWorker, failure: WorkerFailed) => void) {
    this.worker = new Worker(WORKER_URL);
    // An idle worker does not keep the process alive (a CLI that forgets close() still
    // exits); one with requests in flight does, so no answer is lost.
    this.worker.unref();
    this.worker.on('message', (response: WorkerResponse) => {
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if (this.pending.size === 0) this.worker.unref();
      if (response.ok) waiting.resolve(response.value);
      else waiting.reject(fromFailure(response.failure));
    });
    this.worker.on('error', (error) => this.die(`the query worker failed: ${error.message}`));
    this.worker.on('exit', (code) => this.die(`the query worker stopped (exit code ${code})`));
  }

  private die(reason: string): void {
    if (this.dead) return;
    this.dead = new WorkerFailed(new DatalyftError('engine-crashed', `The query engine crashed: ${reason}. It is being rebuilt from the database; try again.`, { status: 500 }), true);
    for (const waiting of this.pending.values()) waiting.reject(this.dead);
    this.pending.clear();
    this.onDeath(this, this.dead);
  }

  request<T>(message: WorkerMessage): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  /** Stops the thread, even in the middle of a WASM call. */
  async terminate(): Promise<void> {
    if (!this.dead) this.die('the query worker was stopped');
    await this.worker.terminate();
  }
}

function deferred<T>(): { promise: Promise<T>; done: Deferred<T> } {
  let done!: Deferred<T>;
  const promise = new Promise<T>((resolve, reject) => {
    done = { resolve, reject };
  });
  return { promise, done };
}

export class QueryEngine {
  private readonly queue: Item[] = [];
  private running: Item | undefined;
  private worker: EngineWorker | undefined;
  private rebuilding: Promise<void> | undefined;
  private closed = false;
  /** Number of times the engine was (re)built, for tests and logs. */
  builds = 0;

  private constructor(private readonly options: QueryEngineOptions) {}

  /** Starts a worker and loads the whole durable content into it. */
  static async start(options: QueryEngineOptions): Promise<QueryEngine> {
    const engine = new QueryEngine(options);
    await engine.rebuild('start');
    if (!engine.worker) throw new DatalyftError('engine-unavailable', 'The query engine could not be started; see the log.', { status: 503 });
    return engine;
  }

  /** Applies a committed change (`seq` is its journal number); resolves when the engine has it. */
  apply(seq: number, change: EngineChange): Promise<void> {
    const { promise, done } = deferred<void>();
    this.enqueue({ op: 'apply', seq, change, done });
    return promise;
  }

  query(request: QueryRequest): Promise<QueryResponse> {
    const { promise, done } = deferred<QueryResponse>();
    this.enqueue({ op: 'query', request, timeoutMs: request.timeoutMs ?? this.options.defaultTimeoutMs, done });
    return promise;
  }

  /** Every quad of the engine as N-Quads (for tests that compare it with the database). */
  dump(): Promise<string> {
    const { promise, done } = deferred<string>();
    this.enqueue({ op: 'dump', done });
    return promise;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closed = new DatalyftError('store-closed', 'The store was closed.', { status: 503 });
    for (const item of this.queue.splice(0)) item.done.reject(closed);
    if (this.running) this.running.done.reject(closed);
    this.running = undefined;
    await this.rebuilding?.catch(() => undefined);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private enqueue(item: Item): void {
    if (this.closed) {
      item.done.reject(new DatalyftError('store-closed', 'The store was closed.', { status: 503 }));
      return;
    }
    this.queue.push(item);
    this.pump();
  }

  private pump(): void {
    if (this.closed || this.rebuilding || this.running) return;
    if (!this.worker) {
      // The last rebuild failed: try again now that someone is waiting.
      if (this.queue.length > 0) this.restart('retry after a failed build');
      return;
    }
    const item = this.queue.shift();
    if (!item) return;
    this.running = item;
    const worker = this.worker;
    let timer: NodeJS.Timeout | undefined;
    if (item.op === 'query') {
      timer = setTimeout(() => {
        if (this.running !== item) return;
        this.running = undefined;
        item.done.reject(new DatalyftError('query-timeout', `The query ran longer than ${item.timeoutMs} ms and was stopped. Narrow it: fewer graphs, more selective patterns, a LIMIT, or no cartesian products.`, { status: 503, where: { timeoutMs: item.timeoutMs } }));
        this.restart('query timeout');
      }, item.timeoutMs);
    }
    const message: WorkerMessage = item.op === 'apply' ? { op: 'apply', ...item.change } : item.op === 'query' ? { op: 'query', request: item.request } : { op: 'dump' };
    worker.request<unknown>(message).then(
      (value) => {
        if (this.running !== item) return;
        clearTimeout(timer);
        this.running = undefined;
        (item.done as Deferred<unknown>).resolve(item.op === 'apply' ? undefined : value);
        this.pump();
      },
      (failure: unknown) => {
        if (this.running !== item) return;
        clearTimeout(timer);
        this.running = undefined;
        const failed = failure instanceof WorkerFailed ? failure : new WorkerFailed(new DatalyftError('engine-error', String(failure), { status: 500 }), true);
        if (failed.fatal && item.op === 'apply') {
          // The change is durable: the rebuild reads it from the database.
          this.queue.unshift(item);
        } else {
          item.done.reject(failed.error);
        }
        if (failed.fatal) this.restart(failed.error.message);
        else this.pump();
      },
    );
  }

  private readonly onWorkerDeath = (worker: EngineWorker, failure: WorkerFailed): void => {
    // Deaths of a worker we stopped ourselves, or one being replaced, need nothing more.
    if (worker !== this.worker || this.closed) return;
    if (!this.running) this.restart(failure.error.message);
    // Otherwise the running item's rejection handler restarts.
  };

  private restart(reason: string): void {
    if (this.rebuilding || this.closed) return;
    this.options.log?.(`store: rebuilding the query engine from the database (${reason})`);
    this.rebuilding = this.rebuild(reason).finally(() => {
      this.rebuilding = undefined;
      this.pump();
    });
  }

  /**
   * Replaces the worker by a fresh one holding everything durable. Changes committed while
   * the content streams in stay queued (their sequence numbers are after the snapshot
   * number) and run after it: adds and removes are idempotent, so reading rows that such a
   * change also touches does no harm, and the last operation on each quad wins.
   */
  private async rebuild(reason: string): Promise<void> {
    const old = this.worker;
    this.worker = undefined;
    if (old) await old.terminate();
    if (this.closed) return;
    const seq = this.options.durableSeq();
    const worker = new EngineWorker(this.onWorkerDeath);
    const started = performance.now();
    let quadsText = 0;
    try {
      // Read and send while the thread boots (messages wait in its port): the ping answers
      // first once it is up, and fails the build if it never comes up.
      const alive = worker.request({ op: 'ping' });
      alive.catch(() => undefined);
      const inFlight: Promise<unknown>[] = [];
      let failed: unknown;
      for await (const part of this.options.source()) {
        if (this.closed) break;
        quadsText += part.text.length;
        const sent = worker.request({ op: 'apply', drop: [], remove: [], add: [part] });
        sent.catch((error: unknown) => {
          failed ??= error;
        });
        inFlight.push(sent);
        if (inFlight.length >= LOADS_IN_FLIGHT) await inFlight.shift()!.catch(() => undefined);
        if (failed) throw failed;
      }
      await alive;
      await Promise.all(inFlight);
    } catch (error) {
      await worker.terminate();
      const message = error instanceof WorkerFailed ? error.error.message : error instanceof Error ? error.message : String(error);
      this.options.log?.(`store: building the query engine failed (${message})`);
      const unavailable = new DatalyftError('engine-unavailable', `The query engine could not be rebuilt from the database: ${message}`, { status: 503 });
      for (const item of this.queue.splice(0)) {
        if (item.op === 'apply') item.done.resolve();
        else item.done.reject(unavailable);
      }
      return;
    }
    if (this.closed) {
      await worker.terminate();
      return;
    }
    // Changes up to the snapshot number were in what was just read.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const item = this.queue[i]!;
      if (item.op === 'apply' && item.seq <= seq) {
        this.queue.splice(i, 1);
        item.done.resolve();
      }
    }
    this.worker = worker;
    this.builds += 1;
    if (reason !== 'start') this.options.log?.(`store: query engine rebuilt in ${Math.round(performance.now() - started)} ms (${Math.round(quadsText / 1e6)} MB of N-Triples)`);
  }
}
