import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { DAMAGE_TESTS, FACET_NAMES, matchesQuery, parseDatasetQuery, queryParams, searchDatasets } from '../../src/catalog/search.ts';
import { DatalyftError } from '../../src/errors.ts';
import { dl } from '../../src/rdf/namespaces.ts';

const TFP = 'fk-tillfallig-foraldrapenning';
const FK = 'https://w3id.org/datalyft/agency/fk';
const P4 = 'https://w3id.org/datalyft/purpose/sfb-114-8-p4';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await Catalog.load();
});

function ids(params: Record<string, unknown>): string[] {
  return searchDatasets(catalog, parseDatasetQuery(catalog, params)).datasets.map((d) => d.id);
}

function error(fn: () => unknown): DatalyftError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DatalyftError) return e;
    throw e;
  }
  throw new Error('expected a DatalyftError');
}

describe('dataset search', () => {
  it('returns every dataset, ordered by identifier, when nothing is asked', () => {
    const all = ids({});
    expect(all).toHaveLength(catalog.datasets.size);
    expect(all).toEqual([...all].sort((a, b) => a.localeCompare(b)));
    expect(all).toContain(TFP);
  });

  it('filters by agency as publisher or controller', () => {
    const found = new Set(ids({ agency: 'fk' }));
    expect(found.has(TFP)).toBe(true);
    for (const ds of catalog.datasets.values()) {
      expect(found.has(ds.id)).toBe(ds.publisher === FK || ds.controller === FK);
    }
  });

  it('takes several values of one facet as alternatives', () => {
    const both = new Set(ids({ agency: ['fk', 'pm'] }));
    const comma = new Set(ids({ agency: 'fk,pm' }));
    expect(comma).toEqual(both);
    expect(both).toEqual(new Set([...ids({ agency: 'fk' }), ...ids({ agency: 'pm' })]));
  });

  it('filters by purpose given as id or IRI', () => {
    const byId = ids({ purpose: 'sfb-114-8-p4' });
    expect(ids({ purpose: P4 })).toEqual(byId);
    expect(byId).toContain(TFP);
    for (const id of byId) expect(catalog.dataset(id)!.purposes).toContain(P4);
  });

  it('filters by secrecy provision and by damage test', () => {
    expect(ids({ secrecy: 'osl-28-1' })).toContain(TFP);
    const straight = ids({ secrecy: 'straight' });
    expect(straight).toContain(TFP);
    for (const id of straight) {
      expect(catalog.dataset(id)!.secrecy.some((s) => catalog.provisions.get(s)?.secrecy?.damageTest === dl.StraightDamageTest)).toBe(true);
    }
    expect(Object.keys(DAMAGE_TESTS)).toEqual(['straight', 'qualified-straight', 'reverse', 'absolute']);
  });

  it('filters by shared concept of any element', () => {
    const found = ids({ concept: 'personnummer' });
    expect(found).toContain(TFP);
    for (const id of found) expect(catalog.dataset(id)!.elements.some((e) => e.concept?.endsWith('/concept/personnummer'))).toBe(true);
  });

  it('filters by regime: only datasets with a purpose in force under it', () => {
    for (const regime of catalog.regimes.values()) {
      const found = new Set(ids({ regime: regime.id }));
      for (const ds of catalog.datasets.values()) expect(found.has(ds.id)).toBe(catalog.datasetPurposes(ds, regime.iri).length > 0);
    }
    expect(ids({ regime: 'gallande-ratt' })).toContain(TFP);
  });

  it('searches text case-insensitively in titles, keywords and element labels', () => {
    expect(ids({ q: 'vab' })).toContain(TFP);
    expect(ids({ q: 'VAB' })).toEqual(ids({ q: 'vab' }));
    expect(ids({ q: 'Temporary PARENTAL' })).toContain(TFP);
    expect(ids({ q: 'barnets diagnos' })).toContain(TFP); // an element label only
    expect(ids({ q: 'no-such-text-anywhere-xyz' })).toEqual([]);
  });

  it('combines q and facets with AND', () => {
    const both = ids({ q: 'vab', agency: 'fk' });
    expect(both).toContain(TFP);
    const fk = new Set(ids({ agency: 'fk' }));
    const vab = new Set(ids({ q: 'vab' }));
    expect(both).toEqual([...vab].filter((id) => fk.has(id)).sort((a, b) => a.localeCompare(b)));
  });

  it('ignores empty values, as an HTML form sends for "any"', () => {
    expect(ids({ agency: '', purpose: '', q: '' })).toHaveLength(catalog.datasets.size);
  });

  it('refuses an unknown facet value with the accepted values', () => {
    const e = error(() => parseDatasetQuery(catalog, { agency: 'nope' }));
    expect(e.code).toBe('unknown-facet-value');
    expect(e.status).toBe(400);
    expect(e.message).toContain('Unknown agency "nope"');
    expect(e.extra?.accepted).toContain('fk');
    expect(error(() => parseDatasetQuery(catalog, { secrecy: 'crooked' })).extra?.accepted).toEqual(expect.arrayContaining(['osl-28-1', 'straight', 'absolute']));
  });

  it('refuses an unknown parameter, so a typo never returns everything', () => {
    const e = error(() => parseDatasetQuery(catalog, { agnecy: 'fk' }));
    expect(e.code).toBe('unknown-parameter');
    expect(e.message).toContain('"agnecy"');
    expect(() => parseDatasetQuery(catalog, { format: 'json' }, { allow: ['format'] })).not.toThrow();
  });

  it('refuses nested parameters', () => {
    expect(error(() => parseDatasetQuery(catalog, { agency: { a: 'fk' } })).code).toBe('invalid-parameter');
  });

  it('counts, for each facet value, the datasets that choosing it would give', () => {
    const query = parseDatasetQuery(catalog, { q: 'a', agency: 'fk', regime: 'gallande-ratt' });
    const result = searchDatasets(catalog, query);
    for (const facet of FACET_NAMES) {
      for (const count of result.facets[facet]) {
        const alternative = parseDatasetQuery(catalog, { ...queryParams(query), [facet]: count.value });
        const expected = [...catalog.datasets.values()].filter((ds) => matchesQuery(catalog, ds, alternative)).length;
        expect({ facet, value: count.value, count: count.count }).toEqual({ facet, value: count.value, count: expected });
      }
    }
    expect(result.facets.agency.find((c) => c.value === 'fk')).toMatchObject({ selected: true, count: result.datasets.length });
    expect(result.facets.agency.find((c) => c.value === 'pm')?.selected).toBe(false);
  });

  it('echoes the query as parameters, with q as typed', () => {
    const query = parseDatasetQuery(catalog, { q: 'VAB', agency: ['fk', 'pm'] });
    expect(queryParams(query)).toEqual({ q: ['VAB'], agency: ['fk', 'pm'] });
  });
});
