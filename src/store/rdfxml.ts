/**
 * RDF/XML in and out. oxigraph is the only RDF/XML serializer and parser we have, and
 * oxigraph lives in src/store/ only, so the DCAT-AP-SE export (dataportal.se harvests
 * RDF/XML) and its tests come here. Terms going out are n3 terms, so callers never hold
 * oxigraph objects.
 */
import * as ox from 'oxigraph';
import type { Quad, Term } from '@rdfjs/types';
import { DatalyftError } from '../errors.ts';
import { factory } from '../rdf/parse.ts';

/** Serializes the triples of the quads (graphs are ignored: RDF/XML has none). */
export function serializeRdfXml(quads: Quad[]): string {
  try {
    const triples = quads.map((q) => factory.quad(q.subject, q.predicate, q.object));
    const store = new ox.Store(triples.map((q) => ox.fromQuad(q) as ox.Quad));
    return store.dump({ format: 'application/rdf+xml', from_graph_name: ox.defaultGraph() });
  } catch (error) {
    throw new DatalyftError('rdfxml-serialization-failed', `Could not write RDF/XML: ${error instanceof Error ? error.message : String(error)}`, { status: 500, cause: error });
  }
}

type OxParse = (input: string, options: { format: string; base_iri?: string }) => ox.Quad[];

function toN3Term(term: Term): Term {
  switch (term.termType) {
    case 'NamedNode':
      return factory.namedNode(term.value);
    case 'BlankNode':
      return factory.blankNode(term.value);
    case 'Literal':
      return term.language ? factory.literal(term.value, term.language) : factory.literal(term.value, factory.namedNode(term.datatype.value));
    case 'DefaultGraph':
      return factory.defaultGraph();
    default:
      throw new DatalyftError('rdfxml-syntax', `Unexpected ${term.termType} in RDF/XML.`);
  }
}

/** Parses RDF/XML into triples (n3 terms, default graph). Syntax errors keep oxigraph's position text. */
export function parseRdfXml(text: string, options: { baseIRI?: string } = {}): Quad[] {
  let parsed: ox.Quad[];
  try {
    parsed = (ox as unknown as { parse: OxParse }).parse(text, { format: 'application/rdf+xml', ...(options.baseIRI ? { base_iri: options.baseIRI } : {}) });
  } catch (error) {
    throw new DatalyftError('rdfxml-syntax', `The RDF/XML could not be parsed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return parsed.map((q) => factory.quad(
    toN3Term(q.subject as Term) as Quad['subject'],
    toN3Term(q.predicate as Term) as Quad['predicate'],
    toN3Term(q.object as Term) as Quad['object'],
  ));
}
