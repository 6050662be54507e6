/**
 * Free-text search and facets over the catalog's datasets: pure functions of the Catalog
 * index, no HTTP. Within one facet several values are alternatives (agency=fk&agency=pm);
 * facets combine with AND. The count of a facet value is how many datasets would match if
 * that value were chosen for its facet while every other facet and q stay as they are,
 * so a UI can show what each choice leads to.
 */
import { DatalyftError } from '../errors.ts';
import { dl } from '../rdf/namespaces.ts';
import type { Catalog } from './catalog.ts';
import type { Dataset, LangText } from './model.ts';

export const FACET_NAMES = ['agency', 'purpose', 'secrecy', 'concept', 'regime'] as const;
export type FacetName = (typeof FACET_NAMES)[number];

/** Damage-test kinds the secrecy facet accepts besides secrecy provision ids. */
export const DAMAGE_TESTS: Record<string, string> = {
  straight: dl.StraightDamageTest,
  'qualified-straight': dl.QualifiedStraightDamageTest,
  reverse: dl.ReverseDamageTest,
  absolute: dl.AbsoluteSecrecy,
};

export interface FacetValue {
  /** What a request names: an id (`fk`, `osl-28-1`, `straight`). */
  value: string;
  /** The catalog resource it stands for, where there is one. */
  iri: string;
  label: LangText;
  matches(dataset: Dataset): boolean;
}

export interface DatasetQuery {
  /** Lower-cased free text, or undefined. */
  q?: string;
  /** The free text as given, for echoing back. */
  text?: string;
  /** Selected values per facet; an empty list means the facet is not used. */
  facets: Record<FacetName, FacetValue[]>;
}

export interface FacetCount {
  value: string;
  iri: string;
  label: LangText;
  count: number;
  selected: boolean;
}

export interface SearchResult {
  query: DatasetQuery;
  /** Matching datasets, ordered by identifier. */
  datasets: Dataset[];
  facets: Record<FacetName, FacetCount[]>;
}

const facetCache = new WeakMap<Catalog, Record<FacetName, FacetValue[]>>();
const textCache = new WeakMap<Catalog, Map<string, string>>();

function normalize(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

function allText(t: LangText): string[] {
  return Object.values(t).filter((v): v is string => typeof v === 'string');
}

/** Every value each facet accepts, built once per catalog. */
export function facetValues(catalog: Catalog): Record<FacetName, FacetValue[]> {
  const cached = facetCache.get(catalog);
  if (cached) return cached;
  const agency: FacetValue[] = [...catalog.agencies.values()].map((a) => ({
    value: a.id, iri: a.iri, label: a.name,
    matches: (ds: Dataset) => ds.publisher === a.iri || ds.controller === a.iri,
  }));
  const purpose: FacetValue[] = [...catalog.purposes.values()].map((p) => ({
    value: p.id, iri: p.iri, label: p.label,
    matches: (ds: Dataset) => ds.purposes.includes(p.iri),
  }));
  const secrecyIris = new Set<string>();
  for (const p of catalog.provisions.values()) if (p.secrecy) secrecyIris.add(p.iri);
  for (const ds of catalog.datasets.values()) for (const s of ds.secrecy) secrecyIris.add(s);
  const secrecy: FacetValue[] = [...secrecyIris].sort().map((iri) => {
    const p = catalog.provisions.get(iri);
    return {
      value: p?.id ?? iri.replace(/^.*[/#]/, ''), iri, label: { sv: p?.citation ?? catalog.label(iri) },
      matches: (ds: Dataset) => ds.secrecy.includes(iri),
    };
  });
  for (const [value, iri] of Object.entries(DAMAGE_TESTS)) {
    secrecy.push({
      value, iri, label: { sv: catalog.label(iri, 'sv'), en: catalog.label(iri, 'en') },
      matches: (ds: Dataset) => ds.secrecy.some((s) => catalog.provisions.get(s)?.secrecy?.damageTest === iri),
    });
  }
  const concept: FacetValue[] = [...catalog.concepts.values()].map((c) => ({
    value: c.id, iri: c.iri, label: c.label,
    matches: (ds: Dataset) => ds.elements.some((e) => e.concept === c.iri),
  }));
  const regime: FacetValue[] = [...catalog.regimes.values()].map((r) => ({
    value: r.id, iri: r.iri, label: r.label,
    matches: (ds: Dataset) => catalog.datasetPurposes(ds, r.iri).length > 0,
  }));
  const out = { agency, purpose, secrecy, concept, regime };
  facetCache.set(catalog, out);
  return out;
}

/** The lower-cased text q searches in: identifier, titles, descriptions, keywords, element labels. */
function searchText(catalog: Catalog, ds: Dataset): string {
  let cache = textCache.get(catalog);
  if (!cache) {
    cache = new Map();
    textCache.set(catalog, cache);
  }
  let text = cache.get(ds.iri);
  if (text === undefined) {
    text = normalize([
      ds.id, ...allText(ds.title), ...allText(ds.description), ...ds.keywords,
      ...ds.elements.flatMap((e) => [e.id, ...allText(e.label)]),
    ].join('\n'));
    cache.set(ds.iri, text);
  }
  return text;
}

function asList(raw: unknown, parameter: string): string[] {
  if (raw === undefined) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') {
      throw new DatalyftError('invalid-parameter', `Parameter "${parameter}" must be a plain value (repeat it or separate values with commas), not a nested object.`, { status: 400, where: { parameter } });
    }
    out.push(...item.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  }
  return out;
}

export interface ParseQueryOptions {
  /** Parameters the caller handles itself (e.g. `format`), accepted without complaint. */
  allow?: string[];
}

/**
 * Reads q and the facets from request parameters. An unknown facet value is a 400
 * `unknown-facet-value` listing the accepted values; an unknown parameter is a 400
 * `unknown-parameter`, so a typo (`agnecy=fk`) never silently returns everything.
 */
export function parseDatasetQuery(catalog: Catalog, params: Record<string, unknown>, options: ParseQueryOptions = {}): DatasetQuery {
  const known = new Set<string>(['q', ...FACET_NAMES, ...(options.allow ?? [])]);
  for (const name of Object.keys(params)) {
    if (!known.has(name)) {
      throw new DatalyftError('unknown-parameter', `Unknown parameter "${name}". /datasets accepts ${[...known].join(', ')}.`, {
        status: 400, where: { parameter: name }, extra: { accepted: [...known] },
      });
    }
  }
  const values = facetValues(catalog);
  const facets = {} as Record<FacetName, FacetValue[]>;
  for (const facet of FACET_NAMES) {
    const chosen: FacetValue[] = [];
    for (const raw of asList(params[facet], facet)) {
      const found = values[facet].find((v) => v.value === raw || v.iri === raw);
      if (!found) {
        const accepted = values[facet].map((v) => v.value);
        throw new DatalyftError('unknown-facet-value', `Unknown ${facet} "${raw}". Accepted values: ${accepted.join(', ')}.`, {
          status: 400, where: { parameter: facet }, extra: { facet, value: raw, accepted },
        });
      }
      if (!chosen.includes(found)) chosen.push(found);
    }
    facets[facet] = chosen;
  }
  const q = asList(params.q, 'q').join(' ').trim();
  return q === '' ? { facets } : { q: normalize(q), text: q, facets };
}

/** Whether a dataset matches q and every facet, optionally ignoring one facet. */
export function matchesQuery(catalog: Catalog, ds: Dataset, query: DatasetQuery, ignore?: FacetName): boolean {
  if (query.q !== undefined && !searchText(catalog, ds).includes(query.q)) return false;
  for (const facet of FACET_NAMES) {
    if (facet === ignore) continue;
    const chosen = query.facets[facet];
    if (chosen.length > 0 && !chosen.some((v) => v.matches(ds))) return false;
  }
  return true;
}

export function searchDatasets(catalog: Catalog, query: DatasetQuery): SearchResult {
  const all = [...catalog.datasets.values()].sort((a, b) => a.id.localeCompare(b.id));
  const datasets = all.filter((ds) => matchesQuery(catalog, ds, query));
  const values = facetValues(catalog);
  const facets = {} as Record<FacetName, FacetCount[]>;
  for (const facet of FACET_NAMES) {
    const base = all.filter((ds) => matchesQuery(catalog, ds, query, facet));
    facets[facet] = values[facet].map((v) => ({
      value: v.value, iri: v.iri, label: v.label,
      count: base.filter((ds) => v.matches(ds)).length,
      selected: query.facets[facet].includes(v),
    }));
  }
  return { query, datasets, facets };
}

/** The query as request parameters again (for links and the HTML form). */
export function queryParams(query: DatasetQuery): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (query.text !== undefined) out.q = [query.text];
  for (const facet of FACET_NAMES) if (query.facets[facet].length > 0) out[facet] = query.facets[facet].map((v) => v.value);
  return out;
}
