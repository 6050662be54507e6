/**
 * The query worker: holds the in-memory oxigraph store the DurableStore queries, in a
 * thread of its own, so that the main thread can stop a query that runs too long (by
 * terminating this thread: oxigraph's query call is synchronous WASM and cannot be
 * interrupted) and survive a WASM trap. The main thread rebuilds a fresh worker from the
 * database after either. Results leave as strings (one copy, no re-parsing).
 */
import { parentPort } from 'node:worker_threads';
import * as ox from 'oxigraph';
import { DatalyftError } from '../errors.ts';
import type { GraphText, WorkerFailure, WorkerRequest, WorkerResponse } from './engine-protocol.ts';
import { isEngineTrap, runQuery } from './run-query.ts';

const store = new ox.Store();
const NTRIPLES = 'application/n-triples';

function graphTerm(graph: string): ox.NamedNode | ox.DefaultGraph {
  return graph === '' ? ox.defaultGraph() : ox.namedNode(graph);
}

function addText(part: GraphText): void {
  const to = graphTerm(part.graph);
  if (part.keepBlankNodes) {
    for (const q of ox.parse(part.text, { format: NTRIPLES, to_graph_name: to })) store.add(q);
  } else {
    store.load(part.text, { format: NTRIPLES, to_graph_name: to, no_transaction: true });
  }
}

function removeText(part: GraphText): void {
  for (const q of ox.parse(part.text, { format: NTRIPLES, to_graph_name: graphTerm(part.graph) })) store.delete(q);
}

function failureOf(error: unknown, fatal: boolean): WorkerFailure {
  if (error instanceof DatalyftError) return { code: error.code, message: error.message, status: error.status, fatal: fatal || error.code === 'engine-crashed' };
  const message = error instanceof Error ? error.message : String(error);
  return { code: isEngineTrap(error) ? 'engine-crashed' : 'engine-error', message: `The query engine failed: ${message}`, status: 500, fatal: fatal || isEngineTrap(error) };
}

function handle(message: WorkerRequest): WorkerResponse {
  try {
    switch (message.op) {
      case 'query':
        return { id: message.id, ok: true, value: runQuery(store, message.request) };
      case 'apply':
        try {
          for (const g of message.drop) store.update(g === '' ? 'DROP SILENT DEFAULT' : `DROP SILENT GRAPH <${g}>`);
          for (const part of message.remove) removeText(part);
          for (const part of message.add) addText(part);
        } catch (error) {
          // A change half applied leaves this engine unlike the database: rebuild it.
          return { id: message.id, ok: false, failure: failureOf(error, true) };
        }
        return { id: message.id, ok: true, value: null };
      case 'ping':
        return { id: message.id, ok: true, value: null };
      case 'dump':
        return { id: message.id, ok: true, value: store.dump({ format: 'application/n-quads' }) };
    }
  } catch (error) {
    return { id: message.id, ok: false, failure: failureOf(error, false) };
  }
}

parentPort!.on('message', (message: WorkerRequest) => {
  parentPort!.postMessage(handle(message));
});
