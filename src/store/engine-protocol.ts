/**
 * Messages between the DurableStore's engine client (main thread) and the query worker
 * that holds the in-memory oxigraph store. Types only: both sides import this file.
 */
import type { QueryRequest, QueryResponse } from './types.ts';

/** N-Triples text for one graph ('' = the default graph). */
export interface GraphText {
  graph: string;
  text: string;
  /**
   * The text mentions blank nodes. oxigraph's bulk load gives blank nodes fresh labels,
   * so such text is parsed and added quad by quad, which keeps the labels the database has.
   */
  keepBlankNodes?: boolean;
}

/** One change to the engine: drop graphs, then remove, then add (the order of a commit). */
export interface EngineChange {
  drop: string[];
  remove: GraphText[];
  add: GraphText[];
}

export type WorkerRequest =
  | ({ id: number; op: 'apply' } & EngineChange)
  | { id: number; op: 'query'; request: QueryRequest }
  | { id: number; op: 'dump' }
  | { id: number; op: 'ping' };

export interface WorkerFailure {
  code: string;
  message: string;
  status: number;
  /** The engine instance must not be used again (a WASM trap, or a change half applied). */
  fatal: boolean;
}

export type WorkerResponse =
  | { id: number; ok: true; value: QueryResponse | string | null }
  | { id: number; ok: false; failure: WorkerFailure };
