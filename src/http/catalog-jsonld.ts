/**
 * JSON-LD bodies of the catalog's list endpoints: a hydra:Collection whose members are
 * small node objects holding true catalog triples (id, identifier, title, publisher,
 * purposes with the regimes they are in force under, secrecy with its citation and damage
 * test), compacted with our context so developers read them as plain JSON. Purposes per
 * regime and facet counts are API views, not catalog facts, so they travel as JSON
 * literals (`@type: @json`) under the dlapi: namespace, never as dl: terms.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { Dataset, LangText } from '../catalog/model.ts';
import type { FacetCount, FacetName } from '../catalog/search.ts';
import { CONTEXT_URL, datalyftContext } from '../rdf/jsonld.ts';
import { skos } from '../rdf/namespaces.ts';

export const API_NS = 'https://w3id.org/datalyft/api#';

/** Terms the list bodies use beyond ontology/context.jsonld. */
export const LIST_CONTEXT = {
  hydra: 'http://www.w3.org/ns/hydra/core#',
  dlapi: API_NS,
  Collection: 'hydra:Collection',
  member: { '@id': 'hydra:member', '@container': '@set' },
  totalItems: { '@id': 'hydra:totalItems', '@type': 'xsd:integer' },
  landingPage: { '@id': 'dcat:landingPage', '@type': '@id' },
  purposesByRegime: { '@id': 'dlapi:purposesByRegime', '@type': '@json' },
  facets: { '@id': 'dlapi:facets', '@type': '@json' },
  query: { '@id': 'dlapi:query', '@type': '@json' },
  datasetCount: { '@id': 'dlapi:datasetCount', '@type': 'xsd:integer' },
  prefLabel: { '@id': 'skos:prefLabel', '@container': '@language' },
  isProposal: { '@id': 'dl:isProposal', '@type': 'xsd:boolean' },
  orgNumber: 'dl:orgNumber',
  homepage: { '@id': 'foaf:homepage', '@type': '@id' },
  proposedIn: 'dl:proposedIn',
} as const;

let prefixList: [string, string][] | undefined;

/** Prefixes of our context, longest namespace first. */
function prefixes(): [string, string][] {
  if (!prefixList) {
    const ctx = (datalyftContext()['@context'] ?? {}) as Record<string, unknown>;
    prefixList = Object.entries(ctx)
      .filter((e): e is [string, string] => typeof e[1] === 'string' && /[/#]$/.test(e[1]))
      .sort((a, b) => b[1].length - a[1].length);
  }
  return prefixList;
}

/** An IRI as a compact IRI of our context where one fits (`dlds:fk-...`), else absolute. */
export function compactIri(iri: string): string {
  for (const [prefix, ns] of prefixes()) {
    if (iri.startsWith(ns) && iri.length > ns.length && /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(iri.slice(ns.length))) return `${prefix}:${iri.slice(ns.length)}`;
  }
  return iri;
}

/** Value of a term with `@container: @language`. */
function langMap(t: LangText): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [lang, value] of Object.entries(t)) if (value !== undefined) out[lang === '' ? '@none' : lang] = value;
  return out;
}

/** Values of a term without a language container. */
function langValues(t: LangText): unknown[] {
  return Object.entries(t).filter(([, v]) => v !== undefined).map(([lang, value]) => (lang === '' ? value : { '@value': value, '@language': lang }));
}

function collection(id: string, members: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { '@context': [CONTEXT_URL, LIST_CONTEXT], id, type: 'Collection', totalItems: members.length, ...extra, member: members };
}

export interface ListOptions {
  /** Absolute URL of the request: the collection's IRI. */
  url: string;
  /** Absolute base URL of the hub, for landing pages. */
  base: string;
}

export function datasetMember(catalog: Catalog, ds: Dataset, base: string): Record<string, unknown> {
  const byRegime: Record<string, string[]> = {};
  for (const regime of catalog.regimes.values()) byRegime[regime.id] = catalog.datasetPurposes(ds, regime.iri).map((p) => catalog.purposes.get(p)?.id ?? p);
  return {
    id: compactIri(ds.iri),
    type: ds.types.map(compactIri).map((t) => (t === 'dcat:Dataset' ? 'Dataset' : t === 'dl:CoreDataset' ? 'CoreDataset' : t)),
    identifier: ds.id,
    title: langMap(ds.title),
    description: langMap(ds.description),
    ...(ds.publisher ? { publisher: { id: compactIri(ds.publisher), identifier: catalog.agencies.get(ds.publisher)?.id } } : {}),
    ...(ds.controller ? { controller: compactIri(ds.controller) } : {}),
    containsPersonalData: ds.containsPersonalData,
    purpose: ds.purposes.map((p) => ({ id: compactIri(p), inRegime: (catalog.purposes.get(p)?.regimes ?? []).map(compactIri) })),
    purposesByRegime: byRegime,
    secrecy: ds.secrecy.map((s) => {
      const p = catalog.provisions.get(s);
      return {
        id: compactIri(s),
        ...(p ? { citation: p.citation } : {}),
        ...(p?.secrecy?.damageTest ? { damageTest: compactIri(p.secrecy.damageTest) } : {}),
        ...(p?.secrecy?.maxYears !== undefined ? { maxYears: p.secrecy.maxYears } : {}),
      };
    }),
    landingPage: `${base}/datasets/${encodeURIComponent(ds.id)}`,
  };
}

export function datasetListJsonld(catalog: Catalog, datasets: Dataset[], facets: Record<FacetName, FacetCount[]>, query: Record<string, string[]>, options: ListOptions): Record<string, unknown> {
  const facetJson: Record<string, { value: string; count: number; selected: boolean }[]> = {};
  for (const [name, counts] of Object.entries(facets)) facetJson[name] = counts.map((c) => ({ value: c.value, count: c.count, selected: c.selected }));
  return collection(options.url, datasets.map((ds) => datasetMember(catalog, ds, options.base)), { query, facets: facetJson });
}

export function purposeListJsonld(catalog: Catalog, options: ListOptions): Record<string, unknown> {
  const members = [...catalog.purposes.values()].map((p) => ({
    id: compactIri(p.iri), type: 'Purpose', identifier: p.id, label: langMap(p.label),
    ...(Object.keys(p.description).length > 0 ? { description: langMap(p.description) } : {}),
    purposeKind: p.kinds.map(compactIri), groundedIn: p.groundedIn.map(compactIri), inRegime: p.regimes.map(compactIri),
  }));
  return collection(options.url, members);
}

export function provisionListJsonld(catalog: Catalog, options: ListOptions): Record<string, unknown> {
  const members = [...catalog.provisions.values()].map((p) => ({
    id: compactIri(p.iri), type: p.types.map(compactIri).map((t) => t.replace(/^dl:(Provision|ProposedProvision|SecrecyProvision)$/, '$1')),
    identifier: p.id, citation: p.citation,
    ...(p.sfsNumber ? { sfsNumber: p.sfsNumber } : {}),
    ...(p.proposedIn ? { proposedIn: p.proposedIn } : {}),
    inRegime: p.regimes.map(compactIri),
    ...(p.secrecy?.damageTest ? { damageTest: compactIri(p.secrecy.damageTest) } : {}),
    ...(p.secrecy?.maxYears !== undefined ? { maxYears: p.secrecy.maxYears } : {}),
  }));
  return collection(options.url, members);
}

export function regimeListJsonld(catalog: Catalog, options: ListOptions): Record<string, unknown> {
  const members = [...catalog.regimes.values()].map((r) => ({
    id: compactIri(r.iri), type: 'LegalRegime', identifier: r.id, label: langMap(r.label),
    ...(Object.keys(r.description).length > 0 ? { description: langMap(r.description) } : {}),
    isProposal: r.isProposal,
  }));
  return collection(options.url, members);
}

export function agencyListJsonld(catalog: Catalog, options: ListOptions): Record<string, unknown> {
  const members = [...catalog.agencies.values()].map((a) => ({
    id: compactIri(a.iri), type: 'Agency', identifier: a.id, name: langValues(a.name),
    ...(a.orgNumber ? { orgNumber: a.orgNumber } : {}),
    ...(a.homepage ? { homepage: a.homepage } : {}),
  }));
  return collection(options.url, members);
}

export function conceptListJsonld(catalog: Catalog, options: ListOptions): Record<string, unknown> {
  const members = [...catalog.concepts.values()].map((c) => ({
    id: compactIri(c.iri), type: compactIri(skos.Concept), identifier: c.id, prefLabel: langMap(c.label),
    ...(c.datatype ? { datatype: compactIri(c.datatype) } : {}),
  }));
  return collection(options.url, members);
}
