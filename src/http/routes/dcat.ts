/**
 * GET /dcat-ap-se.rdf: the DCAT-AP-SE export for dataportal.se to harvest (RDF/XML), and
 * GET /dcat-ap-se.ttl, the same graph as Turtle for people reviewing it. Landing pages
 * point at the hub as the client reached it. The graph is built once per base URL.
 */
import { buildDcatApSe, exportDcatApSe } from '../../catalog/dcat-export.ts';
import { writeRdf } from '../../rdf/parse.ts';
import type { RouteModule } from '../app.ts';
import { describeEndpoints } from '../endpoints.ts';
import { baseUrl } from '../represent.ts';

export const registerDcatRoutes: RouteModule = (app, deps) => {
  describeEndpoints(app, [
    { method: 'GET', path: '/dcat-ap-se.rdf', summary: 'DCAT-AP-SE 3.0.1 export of the catalog for dataportal.se (no internal triples)', formats: ['application/rdf+xml'] },
    { method: 'GET', path: '/dcat-ap-se.ttl', summary: 'The DCAT-AP-SE export as Turtle, for review', formats: ['text/turtle'] },
  ]);
  const cache = new Map<string, { day: string; rdfxml?: string; turtle?: string }>();
  const cached = (base: string) => {
    const day = deps.now().toISOString().slice(0, 10); // dct:modified of the catalogue changes daily
    let entry = cache.get(base);
    if (!entry || entry.day !== day) {
      entry = { day };
      if (cache.size > 16) cache.clear(); // bounded: Host headers are client-chosen
      cache.set(base, entry);
    }
    return entry;
  };

  app.get('/dcat-ap-se.rdf', (req, res) => {
    const entry = cached(baseUrl(req));
    entry.rdfxml ??= exportDcatApSe(deps.catalog, { baseUrl: baseUrl(req), now: deps.now });
    res.type('application/rdf+xml; charset=utf-8').send(entry.rdfxml);
  });

  app.get('/dcat-ap-se.ttl', async (req, res) => {
    const entry = cached(baseUrl(req));
    entry.turtle ??= await writeRdf(buildDcatApSe(deps.catalog, { baseUrl: baseUrl(req), now: deps.now }), {
      prefixes: {
        dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/', foaf: 'http://xmlns.com/foaf/0.1/',
        vcard: 'http://www.w3.org/2006/vcard/ns#', xsd: 'http://www.w3.org/2001/XMLSchema#', rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
      },
    });
    res.type('text/turtle; charset=utf-8').send(entry.turtle);
  });
};
