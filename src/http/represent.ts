/**
 * Sends one resource in the negotiated format. A route names the forms it offers, each
 * built only when chosen: JSON-LD (the default for API clients and for Accept: *\/*),
 * plain JSON, Turtle and HTML (what browsers ask for first).
 */
import type { Request, Response } from 'express';
import type { Quad } from '@rdfjs/types';
import { writeRdf } from '../rdf/parse.ts';
import { MEDIA, negotiate, type RdfFormat } from './negotiate.ts';

export interface Representations {
  jsonld?: () => unknown;
  json?: () => unknown;
  turtle?: () => Quad[] | Promise<Quad[]>;
  html?: () => string | Promise<string>;
}

/** Offer order: the first is what Accept: *\/* (or no Accept) gets. */
const ORDER: (keyof Representations & RdfFormat)[] = ['jsonld', 'json', 'turtle', 'html'];

export async function represent(req: Request, res: Response, forms: Representations, order: (keyof Representations & RdfFormat)[] = ORDER): Promise<void> {
  const offered = order.filter((f) => forms[f] !== undefined);
  res.vary('Accept');
  const format = negotiate(req, offered);
  switch (format) {
    case 'jsonld':
      res.type(`${MEDIA.jsonld}; charset=utf-8`).send(JSON.stringify(await forms.jsonld!(), null, 2));
      return;
    case 'json':
      res.type(`${MEDIA.json}; charset=utf-8`).send(JSON.stringify(await forms.json!(), null, 2));
      return;
    case 'turtle':
      res.type(`${MEDIA.turtle}; charset=utf-8`).send(await writeRdf(await forms.turtle!()));
      return;
    case 'html':
      res.type(`${MEDIA.html}; charset=utf-8`).send(await forms.html!());
      return;
    default:
      throw new Error(`represent: format ${format} has no writer`);
  }
}

/** Absolute base URL of the hub as the client reached it (no trailing slash). */
export function baseUrl(req: Request): string {
  const configured = (req.app.locals as { publicUrl?: string }).publicUrl;
  return configured ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** Absolute URL of the request. */
export function requestUrl(req: Request): string {
  return `${baseUrl(req)}${req.originalUrl}`;
}
