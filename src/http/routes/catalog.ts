/**
 * The catalog API: datasets (free text and facets), purposes, provisions, regimes,
 * agencies, shared concepts, and the index at GET /. Each resource in JSON-LD, plain JSON,
 * Turtle and HTML. Routes only pick the resource and the form; the logic is in
 * src/catalog/ (search.ts, views.ts, describe.ts).
 */
import type { Request } from 'express';
import type { Catalog } from '../../catalog/catalog.ts';
import {
  agencyQuads, conceptQuads, datasetQuads, describeQuads, provisionQuads, purposeQuads, regimeQuads,
} from '../../catalog/describe.ts';
import { FACET_NAMES, parseDatasetQuery, queryParams, searchDatasets } from '../../catalog/search.ts';
import {
  agencyView, conceptSummary, conceptView, datasetDetail, datasetSummary, provisionDetail, provisionSummary, purposeDetail,
  purposeSummary, regimeView,
} from '../../catalog/views.ts';
import { DatalyftError } from '../../errors.ts';
import { datalyftContext, quadsToCompactJsonld } from '../../rdf/jsonld.ts';
import type { RouteModule } from '../app.ts';
import {
  agencyListJsonld, conceptListJsonld, datasetListJsonld, provisionListJsonld, purposeListJsonld, regimeListJsonld,
} from '../catalog-jsonld.ts';
import * as pages from '../catalog-pages.ts';
import { describeEndpoints, listEndpoints, type EndpointDoc } from '../endpoints.ts';
import { baseUrl, represent, requestUrl } from '../represent.ts';
import { datasetExtras, purposeComparison } from '../web-catalog.ts';
import { qualityLogOf } from './quality.ts';

type Kind = 'dataset' | 'purpose' | 'provision' | 'regime' | 'agency' | 'concept';

const LIST_PATH: Record<Kind, string> = {
  dataset: '/datasets', purpose: '/purposes', provision: '/provisions', regime: '/regimes', agency: '/agencies', concept: '/concepts',
};

/** The resource with this id (or IRI), or a 404 `<kind>-not-found` naming the list endpoint. */
function find(catalog: Catalog, kind: Kind, id: string): string {
  const iri = catalog.resolve(kind, id);
  if (!iri) {
    throw new DatalyftError(`${kind}-not-found`, `No ${kind} "${id}" in the catalog. GET ${LIST_PATH[kind]} lists them.`, {
      status: 404, where: { [kind]: id }, extra: { list: LIST_PATH[kind] },
    });
  }
  return iri;
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

const RDF_FORMATS = ['application/ld+json', 'application/json', 'text/turtle', 'text/html'];
const FACET_HELP: Record<string, string> = {
  q: 'case-insensitive text in identifier, titles, descriptions, keywords and element labels',
  agency: 'agency id (publisher or controller), e.g. fk',
  purpose: 'purpose id or IRI, e.g. sfb-114-8-p4',
  secrecy: 'secrecy provision id (osl-28-1) or damage test: straight, qualified-straight, reverse, absolute',
  concept: 'shared concept id, e.g. personnummer',
  regime: 'regime id: only datasets with a purpose in force under it',
  format: 'jsonld, json, ttl or html (overrides Accept)',
};

export const CATALOG_ENDPOINTS: EndpointDoc[] = [
  { method: 'GET', path: '/', summary: 'This index: the endpoints of the hub', formats: ['application/json', 'text/html'] },
  { method: 'GET', path: '/datasets', summary: 'Datasets, with free-text search, facets and facet counts (repeat a facet for alternatives)', formats: RDF_FORMATS, parameters: FACET_HELP },
  { method: 'GET', path: '/datasets/{id}', summary: 'One dataset: elements, purposes per regime, legal basis, secrecy, retention, channels, sources, named graphs, catalog file', formats: RDF_FORMATS },
  { method: 'GET', path: '/purposes', summary: 'Purposes, with grounding provisions and regimes', formats: RDF_FORMATS },
  { method: 'GET', path: '/purposes/{id}', summary: 'One purpose: datasets reached under each regime, differences, provisions, roles that may declare it', formats: RDF_FORMATS },
  { method: 'GET', path: '/provisions', summary: 'Statutes, provisions and proposals', formats: RDF_FORMATS },
  { method: 'GET', path: '/provisions/{id}', summary: 'One provision: citation, SFS, chapter, section, point, text, regimes, and what cites it', formats: RDF_FORMATS },
  { method: 'GET', path: '/regimes', summary: 'Legal regimes: today\'s law and the SOU 2025:108 proposal', formats: RDF_FORMATS },
  { method: 'GET', path: '/regimes/{id}', summary: 'One regime and the purposes in force under it', formats: RDF_FORMATS },
  { method: 'GET', path: '/agencies', summary: 'Agencies that publish, control, supply or receive data', formats: RDF_FORMATS },
  { method: 'GET', path: '/agencies/{id}', summary: 'One agency and its datasets', formats: RDF_FORMATS },
  { method: 'GET', path: '/concepts', summary: 'Shared concepts that make elements of different datasets interoperable', formats: RDF_FORMATS },
  { method: 'GET', path: '/concepts/{id}', summary: 'One shared concept and the elements mapped to it', formats: RDF_FORMATS },
  { method: 'GET', path: '/context.jsonld', summary: 'The JSON-LD context the API compacts with', formats: ['application/ld+json'] },
  { method: 'GET', path: '/health', summary: 'Liveness and readiness', formats: ['application/json'] },
];

export const registerCatalogRoutes: RouteModule = (app, deps) => {
  const { catalog } = deps;
  const qualityLog = qualityLogOf(deps);
  describeEndpoints(app, CATALOG_ENDPOINTS);
  const byId = <T extends { id: string }>(items: Iterable<T>): T[] => [...items].sort((a, b) => a.id.localeCompare(b.id));
  // JSON-LD compaction is the slow step (tens of ms); the catalog does not change while the
  // app lives, so each resource's JSON-LD is compacted once.
  const compacted = new Map<string, Promise<Record<string, unknown>>>();
  const jsonldOf = (iri: string, build: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> => {
    let entry = compacted.get(iri);
    if (!entry) {
      entry = build();
      entry.catch(() => compacted.delete(iri));
      compacted.set(iri, entry);
    }
    return entry;
  };

  app.get('/', async (req, res) => {
    const endpoints = listEndpoints(app).sort((a, b) => a.path.localeCompare(b.path));
    await represent(req, res, {
      json: () => ({
        name: 'Datalyft',
        description: 'Catalog and purpose gate for Swedish social insurance (Försäkringskassan, Pensionsmyndigheten)',
        counts: { datasets: catalog.datasets.size, purposes: catalog.purposes.size, provisions: catalog.provisions.size },
        negotiation: 'Accept: application/ld+json (default), application/json, text/turtle or text/html; or ?format=jsonld|json|ttl|html',
        errors: 'application/problem+json (RFC 9457) with a code',
        endpoints,
      }),
      html: () => pages.indexPage({
        datasets: catalog.datasets.size, purposes: catalog.purposes.size, provisions: catalog.provisions.size,
        regimes: catalog.regimes.size, agencies: catalog.agencies.size, concepts: catalog.concepts.size,
      }, endpoints),
    }, ['json', 'html']);
  });

  app.get('/context.jsonld', (_req, res) => {
    res.type('application/ld+json; charset=utf-8').send(JSON.stringify(datalyftContext(), null, 2));
  });

  app.get('/datasets', async (req, res) => {
    const query = parseDatasetQuery(catalog, req.query as Record<string, unknown>, { allow: ['format'] });
    const result = searchDatasets(catalog, query);
    const params = queryParams(query);
    const search = new URLSearchParams(Object.entries(params).flatMap(([k, vs]) => vs.map((v) => [k, v]))).toString();
    await represent(req, res, {
      jsonld: () => datasetListJsonld(catalog, result.datasets, result.facets, params, { url: requestUrl(req), base: baseUrl(req) }),
      json: () => ({
        total: result.datasets.length,
        query: params,
        facets: Object.fromEntries(FACET_NAMES.map((f) => [f, result.facets[f]])),
        items: result.datasets.map((ds) => datasetSummary(catalog, ds)),
      }),
      turtle: () => describeQuads(catalog, result.datasets.map((ds) => ds.iri)),
      html: () => pages.datasetListPage(result, result.datasets.map((ds) => datasetSummary(catalog, ds)), search),
    });
  });

  app.get('/datasets/:id', async (req, res) => {
    const ds = catalog.datasets.get(find(catalog, 'dataset', param(req, 'id')))!;
    await represent(req, res, {
      jsonld: () => jsonldOf(ds.iri, () => quadsToCompactJsonld(datasetQuads(catalog, ds), { '@id': ds.iri })),
      json: () => datasetDetail(catalog, ds),
      turtle: () => datasetQuads(catalog, ds),
      html: async () => pages.datasetPage(datasetDetail(catalog, ds), datasetExtras(catalog, ds, await qualityLog.read().catch(() => undefined))),
    });
  });

  app.get('/purposes', async (req, res) => {
    const items = byId(catalog.purposes.values());
    await represent(req, res, {
      jsonld: () => purposeListJsonld(catalog, { url: requestUrl(req), base: baseUrl(req) }),
      json: () => ({ total: items.length, items: items.map((p) => purposeSummary(catalog, p)) }),
      turtle: () => describeQuads(catalog, items.map((p) => p.iri)),
      html: () => pages.purposeListPage(items.map((p) => purposeSummary(catalog, p))),
    });
  });

  app.get('/purposes/:id', async (req, res) => {
    const p = catalog.purposes.get(find(catalog, 'purpose', param(req, 'id')))!;
    await represent(req, res, {
      jsonld: () => jsonldOf(p.iri, () => quadsToCompactJsonld(purposeQuads(catalog, p))),
      json: () => purposeDetail(catalog, p),
      turtle: () => purposeQuads(catalog, p),
      html: () => { const detail = purposeDetail(catalog, p); return pages.purposePage(detail, purposeComparison(detail)); },
    });
  });

  app.get('/provisions', async (req, res) => {
    const items = [...catalog.provisions.values()];
    await represent(req, res, {
      jsonld: () => provisionListJsonld(catalog, { url: requestUrl(req), base: baseUrl(req) }),
      json: () => ({ total: items.length, items: items.map((p) => provisionSummary(catalog, p)) }),
      turtle: () => describeQuads(catalog, items.map((p) => p.iri)),
      html: () => pages.provisionListPage(items.map((p) => provisionSummary(catalog, p))),
    });
  });

  app.get('/provisions/:id', async (req, res) => {
    const p = catalog.provisions.get(find(catalog, 'provision', param(req, 'id')))!;
    await represent(req, res, {
      jsonld: () => jsonldOf(p.iri, () => quadsToCompactJsonld(provisionQuads(catalog, p))),
      json: () => provisionDetail(catalog, p),
      turtle: () => provisionQuads(catalog, p),
      html: () => pages.provisionPage(provisionDetail(catalog, p)),
    });
  });

  app.get('/regimes', async (req, res) => {
    const items = [...catalog.regimes.values()];
    await represent(req, res, {
      jsonld: () => regimeListJsonld(catalog, { url: requestUrl(req), base: baseUrl(req) }),
      json: () => ({ total: items.length, items: items.map((r) => regimeView(catalog, r)) }),
      turtle: () => describeQuads(catalog, items.map((r) => r.iri)),
      html: () => pages.regimeListPage(items.map((r) => regimeView(catalog, r))),
    });
  });

  app.get('/regimes/:id', async (req, res) => {
    const r = catalog.regimes.get(find(catalog, 'regime', param(req, 'id')))!;
    await represent(req, res, {
      jsonld: () => jsonldOf(r.iri, () => quadsToCompactJsonld(regimeQuads(catalog, r))),
      json: () => regimeView(catalog, r),
      turtle: () => regimeQuads(catalog, r),
      html: () => pages.regimePage(regimeView(catalog, r)),
    });
  });

  app.get('/agencies', async (req, res) => {
    const items = byId(catalog.agencies.values());
    await represent(req, res, {
      jsonld: () => agencyListJsonld(catalog, { url: requestUrl(req), base: baseUrl(req) }),
      json: () => ({ total: items.length, items: items.map((a) => agencyView(catalog, a)) }),
      turtle: () => describeQuads(catalog, items.map((a) => a.iri)),
      html: () => pages.agencyListPage(items.map((a) => agencyView(catalog, a))),
    });
  });

  app.get('/agencies/:id', async (req, res) => {
    const a = catalog.agencies.get(find(catalog, 'agency', param(req, 'id')))!;
    await represent(req, res, {
      jsonld: () => jsonldOf(a.iri, () => quadsToCompactJsonld(agencyQuads(catalog, a))),
      json: () => agencyView(catalog, a),
      turtle: () => agencyQuads(catalog, a),
      html: () => pages.agencyPage(agencyView(catalog, a)),
    });
  });

  app.get('/concepts', async (req, res) => {
    const items = byId(catalog.concepts.values());
    await represent(req, res, {
      jsonld: () => conceptListJsonld(catalog, { url: requestUrl(req), base: baseUrl(req) }),
      json: () => ({ total: items.length, items: items.map((c) => conceptSummary(catalog, c)) }),
      turtle: () => describeQuads(catalog, items.map((c) => c.iri)),
      html: () => pages.conceptListPage(items.map((c) => conceptSummary(catalog, c))),
    });
  });

  app.get('/concepts/:id', async (req, res) => {
    const c = catalog.concepts.get(find(catalog, 'concept', param(req, 'id')))!;
    await represent(req, res, {
      jsonld: () => jsonldOf(c.iri, () => quadsToCompactJsonld(conceptQuads(catalog, c))),
      json: () => conceptView(catalog, c),
      turtle: () => conceptQuads(catalog, c),
      html: () => pages.conceptPage(conceptView(catalog, c)),
    });
  });
};
