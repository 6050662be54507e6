/**
 * Content negotiation for catalog resources: JSON-LD (compacted with our context), Turtle,
 * N-Triples, RDF/XML and HTML. A `format` query parameter overrides Accept, so a link can
 * name the format.
 */
import type { Request } from 'express';
import { DatalyftError } from '../errors.ts';

export type RdfFormat = 'jsonld' | 'turtle' | 'ntriples' | 'rdfxml' | 'html' | 'json';

export const MEDIA: Record<RdfFormat, string> = {
  jsonld: 'application/ld+json',
  turtle: 'text/turtle',
  ntriples: 'application/n-triples',
  rdfxml: 'application/rdf+xml',
  html: 'text/html',
  json: 'application/json',
};

const ALIASES: Record<string, RdfFormat> = {
  jsonld: 'jsonld', 'json-ld': 'jsonld', ttl: 'turtle', turtle: 'turtle', nt: 'ntriples', ntriples: 'ntriples',
  rdf: 'rdfxml', xml: 'rdfxml', rdfxml: 'rdfxml', html: 'html', json: 'json',
};

export function negotiate(req: Request, offered: RdfFormat[]): RdfFormat {
  const param = typeof req.query.format === 'string' ? req.query.format.toLowerCase() : undefined;
  if (param) {
    const chosen = ALIASES[param];
    if (!chosen || !offered.includes(chosen)) {
      throw new DatalyftError('format-not-offered', `format=${param} is not offered here; use one of ${offered.join(', ')}.`, { status: 406, where: { parameter: 'format' } });
    }
    return chosen;
  }
  const types = offered.map((f) => MEDIA[f]);
  const accepted = req.accepts(types);
  if (!accepted) {
    throw new DatalyftError('not-acceptable', `None of the media types in Accept is offered here; this resource is available as ${types.join(', ')}.`, { status: 406, where: { header: 'Accept' } });
  }
  return offered[types.indexOf(accepted)]!;
}
