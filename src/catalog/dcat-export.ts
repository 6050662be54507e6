/**
 * The DCAT-AP-SE 3.0.1 export for dataportal.se (shared/domain/dcat-ap-se-profile.md).
 *
 * A NEW graph is built, property by property, from the typed catalog: nothing of ours is
 * filtered through. Extra properties are harvested and shown by the portal's API, so the
 * internal triples (purposes, secrecy, legal basis, data elements, roles and principals,
 * access rules) must never be in the export; constructing exactly what the profile asks
 * for is the only way to be sure of that.
 *
 * What dataportal.se expects and this export does: RDF/XML; absolute IRIs; no blank nodes
 * for the main resources (catalog, datasets, publishers, contact points); publisher IRIs of
 * the form http://dataportal.se/organisation/SE<orgnr>; no dcat:CatalogRecord (the profile
 * does not allow it); the catalogue licence is CC0.
 *
 * Left out on purpose:
 * - dcatap:hvdCategory is mandatory only for datasets under the EU high-value-datasets
 *   regulation (2023/138); none of these registers of persons is one, so it is omitted.
 * - dcat:Distribution: the records are reachable only through the purpose gate, never as a
 *   download, and a distribution must state an access URL and a format it cannot honestly
 *   give; a dcat:DataService for the gate could be added when the portal should list it.
 */
import type { Quad } from '@rdfjs/types';
import { DatalyftError } from '../errors.ts';
import { dcat, dct, DL_BASE, foaf, rdf, xsd } from '../rdf/namespaces.ts';
import { factory } from '../rdf/parse.ts';
import { serializeRdfXml } from '../store/rdfxml.ts';
import type { Catalog } from './catalog.ts';
import type { Agency, Dataset, LangText } from './model.ts';

const { namedNode, literal, quad } = factory;

const vcard = {
  Organization: 'http://www.w3.org/2006/vcard/ns#Organization',
  fn: 'http://www.w3.org/2006/vcard/ns#fn',
  hasURL: 'http://www.w3.org/2006/vcard/ns#hasURL',
  hasEmail: 'http://www.w3.org/2006/vcard/ns#hasEmail',
} as const;

const EU = 'http://publications.europa.eu/resource/authority/';
export const CC0 = 'http://creativecommons.org/publicdomain/zero/1.0/';
export const NON_PUBLIC = `${EU}access-right/NON_PUBLIC`;
export const SWEDEN = `${EU}country/SWE`;
export const DATA_THEMES = `${EU}data-theme`;
const THEME_TAXONOMY = `${dcat.$base}themeTaxonomy`;
const LANGUAGES = [`${EU}language/SWE`, `${EU}language/ENG`];

/** IRI of the exported catalogue. */
export const CATALOG_IRI = `${DL_BASE}catalog`;
/** Date the Datalyft catalogue was first published (the repository's first commit). */
export const CATALOG_ISSUED = '2026-12-03';
/** The hub operator, publisher of the catalogue itself. */
export const OPERATOR_AGENCY = 'fk';
export const DEFAULT_BASE_URL = 'http://localhost:8080';

export interface DcatExportOptions {
  /** Absolute base URL of the hub, for landing pages and the homepage. Default http://localhost:8080. */
  baseUrl?: string;
  /** Clock for dct:modified of the catalogue. */
  now?: () => Date;
}

function checkBaseUrl(raw: string | undefined): string {
  const base = (raw ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new DatalyftError('invalid-base-url', `Base URL "${raw}" is not an absolute URL; give one like https://datalyft.example.se.`, { where: { parameter: 'base-url' } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DatalyftError('invalid-base-url', `Base URL "${raw}" must use http or https.`, { where: { parameter: 'base-url' } });
  }
  return base;
}

/** http://dataportal.se/organisation/SE<orgnr>, the publisher IRI dataportal.se expects. */
export function dataportalPublisher(agency: Agency): string | undefined {
  return agency.orgNumber ? `http://dataportal.se/organisation/SE${agency.orgNumber.replace(/[^0-9]/g, '')}` : undefined;
}

/** The publisher IRI of an agency: dataportal.se's where the organisation number is known, else ours. */
export function publisherIri(agency: Agency): string {
  return dataportalPublisher(agency) ?? agency.iri;
}

function contactIri(agency: Agency): string {
  return `${DL_BASE}contact/${encodeURIComponent(agency.id)}`;
}

/** Builds the DCAT-AP-SE graph (default graph, no blank nodes). */
export function buildDcatApSe(catalog: Catalog, options: DcatExportOptions = {}): Quad[] {
  const base = checkBaseUrl(options.baseUrl);
  const now = (options.now ?? (() => new Date()))();
  const out: Quad[] = [];
  const seen = new Set<string>();
  const add = (s: string, p: string, o: ReturnType<typeof namedNode> | ReturnType<typeof literal>): void => {
    const key = `${s} ${p} ${o.termType === 'Literal' ? JSON.stringify([o.value, o.language, o.datatype.value]) : o.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(quad(namedNode(s), namedNode(p), o));
  };
  const texts = (s: string, p: string, t: LangText): void => {
    for (const lang of ['sv', 'en', ''] as const) {
      const value = t[lang];
      if (value !== undefined && value.trim() !== '') add(s, p, lang ? literal(value, lang) : literal(value));
    }
  };
  const isOurs = (iri: string): boolean => iri.startsWith(DL_BASE);
  const date = (d: Date) => literal(d.toISOString().slice(0, 10), namedNode(xsd.date));

  const describedAgents = new Set<string>();
  const describeAgent = (agency: Agency): string => {
    const iri = publisherIri(agency);
    if (!describedAgents.has(iri)) {
      describedAgents.add(iri);
      add(iri, rdf.type, namedNode(foaf.Agent));
      texts(iri, foaf.name, agency.name);
    }
    return iri;
  };
  const describeContact = (agency: Agency): string | undefined => {
    if (!agency.homepage) return undefined; // a vcard needs an e-mail or a URL to be of use
    const iri = contactIri(agency);
    add(iri, rdf.type, namedNode(vcard.Organization));
    const name = agency.name.sv ?? agency.name.en ?? agency.name[''] ?? agency.id;
    add(iri, vcard.fn, literal(name));
    add(iri, vcard.hasURL, namedNode(agency.homepage));
    return iri;
  };

  // --- the catalogue
  const operator = catalog.agencies.get(catalog.resolve('agency', OPERATOR_AGENCY) ?? '');
  add(CATALOG_IRI, rdf.type, namedNode(dcat.Catalog));
  texts(CATALOG_IRI, dct.title, {
    sv: 'Datalyft – katalog över socialförsäkringens kärndata',
    en: 'Datalyft – catalogue of Swedish social insurance core data',
  });
  texts(CATALOG_IRI, dct.description, {
    sv: 'Kärndatamängder hos Försäkringskassan och Pensionsmyndigheten och de källor de hämtar uppgifter från. Uppgifterna om personer är inte öppna data: katalogen beskriver datamängderna, inte deras innehåll.',
    en: 'Core datasets of the Swedish Social Insurance Agency and the Swedish Pensions Agency and the sources they receive data from. The records about persons are not open data: the catalogue describes the datasets, not their contents.',
  });
  if (operator) add(CATALOG_IRI, dct.publisher, namedNode(describeAgent(operator)));
  add(CATALOG_IRI, dct.license, namedNode(CC0));
  for (const lang of LANGUAGES) add(CATALOG_IRI, dct.language, namedNode(lang));
  add(CATALOG_IRI, dct.issued, literal(CATALOG_ISSUED, namedNode(xsd.date)));
  add(CATALOG_IRI, dct.modified, date(now));
  add(CATALOG_IRI, foaf.homepage, namedNode(`${base}/`));
  add(CATALOG_IRI, dct.spatial, namedNode(SWEDEN));
  add(CATALOG_IRI, THEME_TAXONOMY, namedNode(DATA_THEMES));

  // --- the datasets
  const datasets = [...catalog.datasets.values()].sort((a, b) => a.id.localeCompare(b.id));
  const exported = new Set(datasets.map((ds) => ds.iri));
  for (const ds of datasets) {
    add(CATALOG_IRI, dcat.dataset, namedNode(ds.iri));
    describeDataset(ds);
  }

  function describeDataset(ds: Dataset): void {
    const s = ds.iri;
    add(s, rdf.type, namedNode(dcat.Dataset));
    texts(s, dct.title, ds.title);
    texts(s, dct.description, ds.description);
    add(s, dct.identifier, literal(ds.iri));
    const agencyIri = ds.publisher ?? ds.controller;
    const agency = agencyIri ? catalog.agencies.get(agencyIri) : undefined;
    if (agency) {
      add(s, dct.publisher, namedNode(describeAgent(agency)));
      const contact = describeContact(agency);
      if (contact) add(s, dcat.contactPoint, namedNode(contact));
    }
    for (const keyword of catalog.reader.objects(s, dcat.keyword)) {
      if (keyword.termType === 'Literal' && keyword.value.trim() !== '') add(s, dcat.keyword, keyword.language ? literal(keyword.value, keyword.language) : literal(keyword.value));
    }
    for (const theme of ds.themes) if (!isOurs(theme)) add(s, dcat.theme, namedNode(theme));
    // Records about persons, or under secrecy, are not public. Which secrecy provision
    // applies is internal and stays out; that access is restricted is what the portal shows.
    if (ds.containsPersonalData || ds.secrecy.length > 0) add(s, dct.accessRights, namedNode(NON_PUBLIC));
    add(s, dcat.landingPage, namedNode(`${base}/datasets/${encodeURIComponent(ds.id)}`));
    add(s, dct.spatial, namedNode(SWEDEN));
    const periodicity = catalog.reader.value(s, dct.accrualPeriodicity);
    if (periodicity && /^https?:\/\//.test(periodicity) && !isOurs(periodicity)) add(s, dct.accrualPeriodicity, namedNode(periodicity));
    for (const p of [dct.issued, dct.modified]) {
      const value = catalog.reader.objects(s, p)[0];
      if (value?.termType === 'Literal') add(s, p, literal(value.value, namedNode(value.datatype.value)));
    }
    // dct:source: the datasets this one is derived from, where they are in the export too.
    for (const src of ds.sourceDatasets) if (exported.has(src)) add(s, dct.source, namedNode(src));
  }

  return out;
}

/** The DCAT-AP-SE export as RDF/XML. The serializer is oxigraph's, behind src/store/. */
export function exportDcatApSe(catalog: Catalog, options: DcatExportOptions = {}): string {
  return serializeRdfXml(buildDcatApSe(catalog, options));
}
