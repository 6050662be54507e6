import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Quad } from '@rdfjs/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { CATALOG_IRI, CC0, exportDcatApSe, NON_PUBLIC } from '../../src/catalog/dcat-export.ts';
import { main } from '../../src/cli.ts';
import { dcat, dct, dpv, foaf, rdf } from '../../src/rdf/namespaces.ts';
import { parseRdf } from '../../src/rdf/parse.ts';
import { parseRdfXml } from '../../src/store/rdfxml.ts';

const TFP = 'https://w3id.org/datalyft/dataset/fk-tillfallig-foraldrapenning';
const FK_PUBLISHER = 'http://dataportal.se/organisation/SE2021005521';
const VCARD = 'http://www.w3.org/2006/vcard/ns#';
/** Namespaces of internal terms and resources that must never reach dataportal.se. */
const FORBIDDEN = ['ns#', 'element/', 'purpose/', 'provision/', 'principal/', 'role/', 'rule/', 'term#', 'graph/'].map((s) => `https://w3id.org/datalyft/${s}`);

let catalog: Catalog;
let xml: string;
let triples: Quad[];

const objects = (s: string, p: string) => triples.filter((t) => t.subject.value === s && t.predicate.value === p).map((t) => t.object);
const subjectsOfType = (type: string) => triples.filter((t) => t.predicate.value === rdf.type && t.object.value === type).map((t) => t.subject);

beforeAll(async () => {
  catalog = await Catalog.load();
  xml = exportDcatApSe(catalog, { baseUrl: 'https://datalyft.example.se/', now: () => new Date('2026-12-03T10:00:00Z') });
  triples = parseRdfXml(xml);
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('DCAT-AP-SE export', () => {
  it('is RDF/XML that parses back', () => {
    expect(xml.startsWith('<?xml')).toBe(true);
    expect(triples.length).toBeGreaterThan(0);
  });

  it('has one catalogue with the mandatory and recommended properties', () => {
    const catalogs = subjectsOfType(dcat.Catalog);
    expect(catalogs.map((c) => c.value)).toEqual([CATALOG_IRI]);
    const langs = (p: string) => objects(CATALOG_IRI, p).map((o) => (o.termType === 'Literal' ? o.language : '')).sort();
    expect(langs(dct.title)).toEqual(['en', 'sv']);
    expect(langs(dct.description)).toEqual(['en', 'sv']);
    expect(objects(CATALOG_IRI, dct.publisher).map((o) => o.value)).toEqual([FK_PUBLISHER]);
    expect(objects(CATALOG_IRI, dct.license).map((o) => o.value)).toEqual([CC0]);
    expect(objects(CATALOG_IRI, dct.language).length).toBeGreaterThan(0);
    expect(objects(CATALOG_IRI, dct.issued)).toHaveLength(1);
    expect(objects(CATALOG_IRI, dct.modified).map((o) => o.value)).toEqual(['2026-12-03']);
    expect(objects(CATALOG_IRI, foaf.homepage).map((o) => o.value)).toEqual(['https://datalyft.example.se/']);
  });

  it('lists every catalogued dataset, each with the mandatory properties', () => {
    const listed = objects(CATALOG_IRI, dcat.dataset).map((o) => o.value).sort();
    expect(listed).toEqual([...catalog.datasets.keys()].sort());
    expect(subjectsOfType(dcat.Dataset).map((s) => s.value).sort()).toEqual(listed);
    const missing: string[] = [];
    for (const ds of listed) {
      for (const [name, p] of [['title', dct.title], ['description', dct.description], ['publisher', dct.publisher], ['identifier', dct.identifier], ['landingPage', dcat.landingPage]] as const) {
        if (objects(ds, p).length === 0) missing.push(`${ds} has no ${name}`);
      }
      if (objects(ds, dct.publisher).length > 1) missing.push(`${ds} has more than one publisher`);
    }
    expect(missing).toEqual([]);
  });

  it('describes every publisher as a foaf:Agent with a name, by IRI', () => {
    const publishers = new Set(triples.filter((t) => t.predicate.value === dct.publisher).map((t) => t.object));
    for (const p of publishers) {
      expect(p.termType).toBe('NamedNode');
      expect(objects(p.value, rdf.type).map((o) => o.value)).toContain(foaf.Agent);
      expect(objects(p.value, foaf.name).length).toBeGreaterThan(0);
    }
  });

  it('uses the dataportal.se publisher IRI for agencies with an organisation number', () => {
    for (const ds of catalog.datasets.values()) {
      const agency = catalog.agencies.get(ds.publisher ?? ds.controller ?? '');
      if (!agency?.orgNumber) continue;
      expect(objects(ds.iri, dct.publisher).map((o) => o.value)).toEqual([`http://dataportal.se/organisation/SE${agency.orgNumber.replace('-', '')}`]);
    }
    expect(objects(TFP, dct.publisher).map((o) => o.value)).toEqual([FK_PUBLISHER]);
  });

  it('gives contact points as vcard organisations by IRI, with a name and a URL', () => {
    const contacts = triples.filter((t) => t.predicate.value === dcat.contactPoint).map((t) => t.object);
    expect(contacts.length).toBeGreaterThan(0);
    for (const c of contacts) {
      expect(c.termType).toBe('NamedNode');
      expect(objects(c.value, rdf.type).map((o) => o.value)).toContain(`${VCARD}Organization`);
      expect(objects(c.value, `${VCARD}fn`)).toHaveLength(1);
      expect(objects(c.value, `${VCARD}hasURL`).length + objects(c.value, `${VCARD}hasEmail`).length).toBeGreaterThan(0);
    }
    const tfpContact = objects(TFP, dcat.contactPoint)[0]!.value;
    expect(objects(tfpContact, `${VCARD}hasURL`).map((o) => o.value)).toEqual(['https://www.forsakringskassan.se/']);
  });

  it('describes the temporary parental benefit as the profile asks', () => {
    expect(objects(TFP, dct.title).map((o) => o.value)).toEqual(expect.arrayContaining(['Tillfällig föräldrapenning', 'Temporary parental benefit']));
    expect(objects(TFP, dcat.keyword).map((o) => o.value)).toContain('VAB');
    expect(objects(TFP, dcat.theme).map((o) => o.value)).toEqual(['http://publications.europa.eu/resource/authority/data-theme/SOCI']);
    expect(objects(TFP, dct.accessRights).map((o) => o.value)).toEqual([NON_PUBLIC]);
    expect(objects(TFP, dcat.landingPage).map((o) => o.value)).toEqual(['https://datalyft.example.se/datasets/fk-tillfallig-foraldrapenning']);
    expect(objects(TFP, dct.identifier).map((o) => o.value)).toEqual([TFP]);
    expect(objects(TFP, dct.spatial).map((o) => o.value)).toEqual(['http://publications.europa.eu/resource/authority/country/SWE']);
  });

  it('marks every dataset with personal data as not public', () => {
    for (const ds of catalog.datasets.values()) {
      if (ds.containsPersonalData) expect(objects(ds.iri, dct.accessRights).map((o) => o.value)).toEqual([NON_PUBLIC]);
    }
  });

  it('uses absolute IRIs and no blank nodes at all', () => {
    for (const t of triples) {
      for (const term of [t.subject, t.predicate, t.object]) {
        expect(term.termType).not.toBe('BlankNode');
        if (term.termType === 'NamedNode') expect(term.value).toMatch(/^https?:\/\/[^/]+/);
      }
    }
  });

  it('has no dcat:CatalogRecord', () => {
    expect(subjectsOfType(dcat.CatalogRecord)).toEqual([]);
    expect(xml).not.toContain('CatalogRecord');
  });

  it('leaves out every internal triple: purposes, controllers, secrecy, legal basis, elements, roles', () => {
    const leaks = triples.filter((t) =>
      [dpv.hasPurpose, dpv.hasDataController].includes(t.predicate.value)
      || [t.subject, t.predicate, t.object].some((term) => term.termType === 'NamedNode' && FORBIDDEN.some((ns) => term.value.startsWith(ns))));
    expect(leaks.map((t) => `${t.subject.value} ${t.predicate.value} ${t.object.value}`)).toEqual([]);
    for (const word of ['hasPurpose', 'hasDataController', 'legalBasis', 'hasElement', 'provision/osl-28-1', 'provision/sfb-114']) expect(xml).not.toContain(word);
  });

  it('refuses a base URL that is not absolute', () => {
    expect(() => exportDcatApSe(catalog, { baseUrl: 'datalyft.example.se' })).toThrow(/not an absolute URL/);
  });
});

describe('datalyft export', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'datalyft-export-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes DCAT-AP-SE RDF/XML to stdout that parses', async () => {
    const { code, out } = await cli(['export', 'dcat-ap-se']);
    expect(code).toBe(0);
    const parsed = parseRdfXml(out);
    expect(parsed.some((t) => t.subject.value === TFP && t.predicate.value === rdf.type && t.object.value === dcat.Dataset)).toBe(true);
    expect(parsed.find((t) => t.subject.value === TFP && t.predicate.value === dcat.landingPage)?.object.value).toBe('http://localhost:8080/datasets/fk-tillfallig-foraldrapenning');
  });

  it('writes to --out with the landing pages under --base-url', async () => {
    const file = path.join(dir, 'dcat.rdf');
    const { code, out, err } = await cli(['export', 'dcat-ap-se', '--out', file, '--base-url', 'https://hub.example.se']);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toContain(file);
    const parsed = parseRdfXml(await readFile(file, 'utf8'));
    expect(parsed.find((t) => t.subject.value === TFP && t.predicate.value === dcat.landingPage)?.object.value).toBe('https://hub.example.se/datasets/fk-tillfallig-foraldrapenning');
  });

  it('dumps the whole catalog as Turtle', async () => {
    const { code, out } = await cli(['export', 'turtle']);
    expect(code).toBe(0);
    const quads = parseRdf(out);
    expect(quads.length).toBe(catalog.reader.store.size);
    expect(quads.some((q) => q.subject.value === TFP && q.predicate.value === dpv.hasPurpose)).toBe(true);
  });

  it('names the formats when none or an unknown one is given', async () => {
    const none = await cli(['export']);
    expect(none.code).toBe(2);
    expect(none.err).toContain('usage: Name one format: dcat-ap-se or turtle');
    const bad = await cli(['export', 'csv']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('(not "csv")');
  });
});
