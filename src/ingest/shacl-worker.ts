/**
 * The SHACL worker thread: compiles each dataset's record shapes once (sent with the first
 * batch of the dataset) and validates batches of mapped records sent as N-Triples.
 */
import { parentPort } from 'node:worker_threads';
import { parseRdf } from '../rdf/parse.ts';
import { fromNTriplesText, RecordShapes, type ShaclRequest, type ShaclResponse } from './shapes.ts';

const shapes = new Map<string, RecordShapes>();

parentPort!.on('message', (request: ShaclRequest) => {
  void (async (): Promise<ShaclResponse> => {
    try {
      if (request.shapes) shapes.set(request.key, new RecordShapes(request.shapes.turtle, request.shapes.rules, request.key));
      const compiled = shapes.get(request.key);
      if (!compiled) return { id: request.id, ok: false, message: `no shapes for ${request.key}` };
      const quads = fromNTriplesText(request.ntriples) ?? parseRdf(request.ntriples, { format: 'application/n-triples' });
      return { id: request.id, ok: true, findings: await compiled.validate(quads) };
    } catch (error) {
      return { id: request.id, ok: false, message: (error as Error).message };
    }
  })().then((response) => parentPort!.postMessage(response));
});
