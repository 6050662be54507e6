import type { Quad } from '@rdfjs/types';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatasetQuery, searchDatasets } from '../../src/catalog/search.ts';
import type { DatasetDetail, DatasetSummary, ProvisionDetail, PurposeDetail } from '../../src/catalog/views.ts';
import { dcat, dct, dpv, rdf } from '../../src/rdf/namespaces.ts';
import { jsonldToQuads } from '../../src/rdf/jsonld.ts';
import { parseRdf } from '../../src/rdf/parse.ts';
import { startHub, type RunningHub } from '../../src/server.ts';
import { parseRdfXml } from '../../src/store/rdfxml.ts';

const TFP = 'fk-tillfallig-foraldrapenning';
const TFP_IRI = `https://w3id.org/datalyft/dataset/${TFP}`;
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let hub: RunningHub;
let dataDir: string;
beforeAll(async () => {
  // A data directory of its own: the store locks its directory, and ./data may be a running hub's.
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'datalyft-catalog-api-'));
  hub = await startHub({ config: { port: 0, host: '127.0.0.1', dataDir, demoPersons: 0 }, log: () => {} });
});
afterAll(async () => {
  await hub?.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  type: string;
  text: string;
  json: <T = Record<string, unknown>>() => T;
}

async function get(path: string, accept = '*/*'): Promise<Reply> {
  const res = await fetch(hub.url + path, { headers: { accept } });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: <T>() => JSON.parse(text) as T };
}

function tripleKeys(quads: Quad[]): Set<string> {
  return new Set(quads.map((q) => [q.subject, q.predicate, q.object].map((t) => (t.termType === 'Literal' ? `"${t.value}"@${t.language}^^${t.datatype.value}` : t.termType === 'BlankNode' ? '_:b' : t.value)).join(' ')));
}

/** Fetches a resource in every RDF form and checks each parses, with JSON-LD and Turtle agreeing. */
async function allForms(path: string): Promise<{ jsonld: Quad[]; turtle: Quad[]; html: string; json: Record<string, unknown> }> {
  const ld = await get(path, 'application/ld+json');
  expect(ld.status).toBe(200);
  expect(ld.type).toMatch(/^application\/ld\+json/);
  const jsonld = await jsonldToQuads(ld.json());
  const ttl = await get(path, 'text/turtle');
  expect(ttl.status).toBe(200);
  expect(ttl.type).toMatch(/^text\/turtle/);
  const turtle = parseRdf(ttl.text);
  const page = await get(path, BROWSER);
  expect(page.status).toBe(200);
  expect(page.type).toMatch(/^text\/html/);
  expect(page.text).toMatch(/^<!DOCTYPE html>/);
  const plain = await get(path, 'application/json');
  expect(plain.status).toBe(200);
  expect(plain.type).toMatch(/^application\/json/);
  return { jsonld, turtle, html: page.text, json: plain.json() };
}

async function expectProblem(path: string, status: number, code: string, accept = '*/*'): Promise<Record<string, unknown>> {
  const res = await get(path, accept);
  expect(res.status).toBe(status);
  expect(res.type).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body).toMatchObject({ status, code, type: `https://w3id.org/datalyft/problem/${code}` });
  expect(typeof body.detail).toBe('string');
  return body;
}

describe('GET /', () => {
  it('lists the endpoints as JSON for a developer', async () => {
    const res = await get('/');
    expect(res.type).toMatch(/^application\/json/);
    const paths = res.json<{ endpoints: { method: string; path: string }[] }>().endpoints.map((e) => e.path);
    for (const p of ['/datasets', '/datasets/{id}', '/purposes/{id}', '/provisions/{id}', '/regimes', '/agencies', '/concepts', '/dcat-ap-se.rdf']) expect(paths).toContain(p);
  });

  it('is a landing page linking datasets and purposes for a browser', async () => {
    const res = await get('/', BROWSER);
    expect(res.type).toMatch(/^text\/html/);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('href="/datasets"');
    expect(res.text).toContain('href="/purposes"');
    expect(res.text).toContain('<nav aria-label="Main">');
  });
});

describe('GET /datasets', () => {
  it('answers JSON-LD by default: a collection whose members parse as catalog triples', async () => {
    const res = await get('/datasets');
    expect(res.type).toMatch(/^application\/ld\+json/);
    const body = res.json<{ '@context': unknown[]; totalItems: number; member: { id: string; identifier: string; purposesByRegime: Record<string, string[]> }[] }>();
    expect(body['@context'][0]).toBe('https://w3id.org/datalyft/context.jsonld');
    expect(body.totalItems).toBe(hub.deps.catalog.datasets.size);
    const tfp = body.member.find((m) => m.identifier === TFP)!;
    expect(tfp.id).toBe(`dlds:${TFP}`);
    expect(tfp.purposesByRegime['sou-2025-108']).toContain('franvaroregister-kontroll');
    expect(tfp.purposesByRegime['gallande-ratt']).not.toContain('franvaroregister-kontroll');
    const quads = await jsonldToQuads(body);
    const keys = tripleKeys(quads);
    expect(keys).toContain(`${TFP_IRI} ${dct.title} "Tillfällig föräldrapenning"@sv^^${rdf.langString}`);
    expect(keys).toContain(`${TFP_IRI} ${dpv.hasPurpose} https://w3id.org/datalyft/purpose/sfb-114-8-p4`);
    expect(keys).toContain(`${TFP_IRI} ${dl('secrecy')} https://w3id.org/datalyft/provision/osl-28-1`);
  });

  it('offers plain JSON with purposes per regime, secrecy and facet counts', async () => {
    const res = await get('/datasets', 'application/json');
    const body = res.json<{ total: number; items: DatasetSummary[]; facets: Record<string, { value: string; count: number }[]> }>();
    expect(body.total).toBe(hub.deps.catalog.datasets.size);
    for (const item of body.items) {
      expect(Object.keys(item.purposesByRegime).sort()).toEqual([...hub.deps.catalog.regimes.values()].map((r) => r.id).sort());
      expect(item.href).toBe(`/datasets/${item.id}`);
    }
    const tfp = body.items.find((i) => i.id === TFP)!;
    expect(tfp.publisher?.id).toBe('fk');
    expect(tfp.secrecy[0]).toMatchObject({ id: 'osl-28-1', citation: 'OSL 28 kap. 1 §', maxYears: 70, damageTest: { kind: 'straight' } });
    expect(Object.keys(body.facets)).toEqual(['agency', 'purpose', 'secrecy', 'concept', 'regime']);
    expect(body.facets.agency!.find((f) => f.value === 'fk')!.count).toBe(body.items.filter((i) => i.publisher?.id === 'fk' || i.controller?.id === 'fk').length);
  });

  it('filters by free text and facets', async () => {
    const body = (await get('/datasets?q=VAB&agency=fk&regime=gallande-ratt', 'application/json')).json<{ items: DatasetSummary[]; query: Record<string, string[]> }>();
    const catalog = hub.deps.catalog;
    const expected = searchDatasets(catalog, parseDatasetQuery(catalog, { q: 'VAB', agency: 'fk', regime: 'gallande-ratt' })).datasets.map((d) => d.id);
    expect(body.items.map((i) => i.id)).toEqual(expected);
    expect(expected).toContain(TFP);
    expect(body.query).toEqual({ q: ['VAB'], agency: ['fk'], regime: ['gallande-ratt'] });
    const bySecrecy = (await get('/datasets?secrecy=straight&concept=personnummer&purpose=sfb-114-8-p4', 'application/json')).json<{ items: DatasetSummary[] }>();
    expect(bySecrecy.items.map((i) => i.id)).toContain(TFP);
  });

  it('offers Turtle and an HTML page with the facets as a form', async () => {
    const forms = await allForms('/datasets?agency=fk');
    expect(tripleKeys(forms.turtle)).toContain(`${TFP_IRI} ${rdf.type} ${dcat.Dataset}`);
    expect(forms.html).toContain('Tillfällig föräldrapenning');
    expect(forms.html).toContain('<form class="facets" method="get" action="/datasets"');
    expect(forms.html).toContain('<label for="q">');
    expect(forms.html).toContain('<option value="fk" selected>');
    expect(forms.html).toContain('<span lang="sv">Tillfällig föräldrapenning</span>');
  });

  it('refuses an unknown facet value with 400 and the accepted values', async () => {
    const body = await expectProblem('/datasets?agency=nope', 400, 'unknown-facet-value');
    expect(body.accepted).toContain('fk');
    expect(body.detail).toContain('Unknown agency "nope"');
  });

  it('refuses an unknown parameter with 400', async () => {
    await expectProblem('/datasets?agnecy=fk', 400, 'unknown-parameter');
  });

  it('answers 406 for an Accept it cannot serve', async () => {
    const body = await expectProblem('/datasets', 406, 'not-acceptable', 'image/png');
    expect(body.detail).toContain('application/ld+json');
    await expectProblem('/datasets?format=pdf', 406, 'format-not-offered');
  });
});

function dl(term: string): string {
  return `https://w3id.org/datalyft/ns#${term}`;
}

describe('GET /datasets/{id}', () => {
  it('gives the same triples as JSON-LD and as Turtle: the dataset, its elements and channels', async () => {
    const forms = await allForms(`/datasets/${TFP}`);
    expect(tripleKeys(forms.jsonld)).toEqual(tripleKeys(forms.turtle));
    const keys = tripleKeys(forms.turtle);
    expect(keys).toContain(`${TFP_IRI} ${dl('hasElement')} https://w3id.org/datalyft/element/fk-tfp-barn-diagnos`);
    expect(keys).toContain(`https://w3id.org/datalyft/element/fk-tfp-barn-diagnos ${dl('protectionClass')} ${dl('HealthData')}`);
    expect(keys).toContain(`https://w3id.org/datalyft/channel/fk-tfp-till-pm ${dl('recipient')} https://w3id.org/datalyft/agency/pm`);
  });

  it('compacts JSON-LD with our context, the elements embedded in the dataset', async () => {
    const body = (await get(`/datasets/${TFP}`, 'application/ld+json')).json<Record<string, unknown>>();
    expect(body['@context']).toBe('https://w3id.org/datalyft/context.jsonld');
    expect(body.id).toBe(`dlds:${TFP}`);
    expect(body.title).toEqual({ sv: 'Tillfällig föräldrapenning', en: 'Temporary parental benefit' });
    expect((body.element as { id: string }[]).map((e) => e.id)).toContain('dlel:fk-tfp-personnummer');
  });

  it('gives a developer the whole picture in plain JSON', async () => {
    const ds = (await get(`/datasets/${TFP}`, 'application/json')).json<DatasetDetail>();
    const catalog = hub.deps.catalog;
    expect(ds.elements.map((e) => e.id).sort()).toEqual(catalog.dataset(TFP)!.elements.map((e) => e.id).sort());
    const diagnos = ds.elements.find((e) => e.id === 'barn-diagnos')!;
    expect(diagnos.graph).toBe(`https://w3id.org/datalyft/graph/${TFP}/health`);
    expect(diagnos.protectionClass?.suffix).toBe('health');
    expect(ds.purposesByRegime['gallande-ratt']!.map((p) => p.id)).toContain('sfb-114-8-p4');
    expect(ds.purposesByRegime['gallande-ratt']!.map((p) => p.id)).not.toContain('franvaroregister-kontroll');
    expect(ds.purposesByRegime['sou-2025-108']!.map((p) => p.id)).toContain('franvaroregister-kontroll');
    expect(ds.legalBasis.map((p) => p.citation)).toContain('SFB 114 kap.');
    expect(ds.secrecy[0]).toMatchObject({ citation: 'OSL 28 kap. 1 §', maxYears: 70, damageTest: { kind: 'straight' } });
    expect(ds.retention).toMatchObject({ id: 'sfb-114-15', provisions: [{ id: 'sfb-114-15' }] });
    expect(ds.channels[0]).toMatchObject({ id: 'fk-tfp-till-pm', recipient: { id: 'pm' } });
    expect(ds.channels[0]!.provisions.map((p) => p.id)).toEqual(expect.arrayContaining(['sfb-110-31', 'osl-10-28']));
    expect(ds.sourceDatasets.map((d) => d.id)).toEqual(expect.arrayContaining(['navet-folkbokforing', 'skatteverket-franvaro-vab']));
    const graphs = Object.fromEntries(ds.graphs.map((g) => [g.protectionClass.suffix, g.graph]));
    expect(graphs).toMatchObject({ base: `https://w3id.org/datalyft/graph/${TFP}/base`, health: `https://w3id.org/datalyft/graph/${TFP}/health`, indirect: `https://w3id.org/datalyft/graph/${TFP}/indirect` });
    expect(ds.file).toBe(`catalog/fk/${TFP}.ttl`);
  });

  it('renders a page a browser reads', async () => {
    const page = await get(`/datasets/${TFP}`, BROWSER);
    expect(page.text).toContain('<h1><span lang="sv">Tillfällig föräldrapenning</span></h1>');
    expect(page.text).toContain('OSL 28 kap. 1 §');
    expect(page.text).toContain(`https://w3id.org/datalyft/graph/${TFP}/health`);
    expect(page.text).toContain('<a href="/purposes/sfb-114-8-p4">');
  });

  it('lets ?format override Accept', async () => {
    const res = await get(`/datasets/${TFP}?format=ttl`, BROWSER);
    expect(res.type).toMatch(/^text\/turtle/);
  });

  it('answers 404 dataset-not-found naming the list', async () => {
    const body = await expectProblem('/datasets/no-such-dataset', 404, 'dataset-not-found');
    expect(body.detail).toBe('No dataset "no-such-dataset" in the catalog. GET /datasets lists them.');
  });
});

describe('GET /purposes and /purposes/{id}', () => {
  it('lists purposes in every form', async () => {
    const forms = await allForms('/purposes');
    expect((forms.json.items as unknown[]).length).toBe(hub.deps.catalog.purposes.size);
    expect(tripleKeys(forms.jsonld)).toContain(`https://w3id.org/datalyft/purpose/sfb-114-8-p4 ${rdf.type} ${dl('Purpose')}`);
    expect(forms.html).toContain('href="/purposes/sfb-114-8-p4"');
  });

  it('shows what a purpose reaches under each regime, and the difference', async () => {
    const forms = await allForms('/purposes/franvaroregister-kontroll');
    const p = forms.json as unknown as PurposeDetail;
    const today = p.reach.find((r) => r.regime.id === 'gallande-ratt')!;
    const proposal = p.reach.find((r) => r.regime.id === 'sou-2025-108')!;
    expect(today).toMatchObject({ inForce: false, datasets: [] });
    expect(proposal.inForce).toBe(true);
    expect(proposal.datasets.map((d) => d.id)).toContain(TFP);
    expect(p.differences).toContainEqual(expect.objectContaining({ reachedUnder: 'sou-2025-108', notUnder: 'gallande-ratt' }));
    expect(p.differences[0]!.datasets.map((d) => d.id)).toContain(TFP);
    expect(p.groundedIn.length).toBeGreaterThan(0);
    expect(p.roles.map((r) => r.id)).toContain('fk-kontrollutredare');
    expect(tripleKeys(forms.turtle)).toContain(`${TFP_IRI} ${dpv.hasPurpose} https://w3id.org/datalyft/purpose/franvaroregister-kontroll`);
    expect(tripleKeys(forms.jsonld)).toEqual(tripleKeys(forms.turtle));
    expect(forms.html).toContain('Not in force');
  });

  it('reaches the same datasets under both regimes for a purpose in force under both', async () => {
    const p = (await get('/purposes/sfb-114-8-p4', 'application/json')).json<PurposeDetail>();
    expect(p.reach.every((r) => r.inForce)).toBe(true);
    expect(p.differences).toEqual([]);
    expect(p.listedBy.map((d) => d.id)).toContain(TFP);
    expect(p.groundedIn.map((g) => g.citation)).toContain('SFB 114 kap. 8 § 4');
  });

  it('answers 404 purpose-not-found naming the list', async () => {
    const body = await expectProblem('/purposes/no-such-purpose', 404, 'purpose-not-found');
    expect(body.detail).toContain('GET /purposes');
  });
});

describe('GET /provisions and /provisions/{id}', () => {
  it('lists provisions in every form', async () => {
    const forms = await allForms('/provisions');
    expect((forms.json.items as unknown[]).length).toBe(hub.deps.catalog.provisions.size);
    expect(forms.html).toContain('OSL 28 kap. 1 §');
  });

  it('gives a secrecy provision with its damage test and what cites it', async () => {
    const forms = await allForms('/provisions/osl-28-1');
    const p = forms.json as unknown as ProvisionDetail;
    expect(p).toMatchObject({ citation: 'OSL 28 kap. 1 §', sfsNumber: '2009:400', chapter: '28', section: '1', amendedBy: '2022:763' });
    expect(p.statuteText.sv).toContain('Sekretess gäller hos Försäkringskassan');
    expect(p.secrecy).toMatchObject({ maxYears: 70, damageTest: { kind: 'straight' } });
    expect(p.regimes.map((r) => r.id)).toEqual(expect.arrayContaining(['gallande-ratt', 'sou-2025-108']));
    expect(p.links.length).toBeGreaterThan(0);
    expect(p.citedBy.datasetsSecrecy.map((d) => d.id)).toContain(TFP);
    expect(tripleKeys(forms.turtle)).toContain(`${TFP_IRI} ${dl('secrecy')} https://w3id.org/datalyft/provision/osl-28-1`);
    expect(forms.html).toContain('<blockquote lang="sv">');
  });

  it('gives a point of SFB 114:8 with its part, date in force and the purposes it grounds', async () => {
    const p = (await get('/provisions/sfb-114-8-p4', 'application/json')).json<ProvisionDetail>();
    expect(p).toMatchObject({ citation: 'SFB 114 kap. 8 § 4', chapter: '114', section: '8', point: '4', inForceFrom: '2024-02-15', partOf: { id: 'sfb-114-8' } });
    expect(p.citedBy.purposes.map((x) => x.id)).toContain('sfb-114-8-p4');
  });

  it('answers 404 provision-not-found naming the list', async () => {
    const body = await expectProblem('/provisions/sfb-999-1', 404, 'provision-not-found');
    expect(body.detail).toContain('GET /provisions');
  });
});

describe('regimes, agencies and shared concepts', () => {
  it('lists and shows regimes', async () => {
    const list = await allForms('/regimes');
    expect((list.json.items as { id: string }[]).map((r) => r.id).sort()).toEqual(['gallande-ratt', 'sou-2025-108']);
    const one = await allForms('/regimes/sou-2025-108');
    expect(one.json).toMatchObject({ id: 'sou-2025-108', isProposal: true });
    await expectProblem('/regimes/nope', 404, 'regime-not-found');
  });

  it('lists and shows agencies with their dataportal.se publisher IRI', async () => {
    await allForms('/agencies');
    const fk = await allForms('/agencies/fk');
    expect(fk.json).toMatchObject({ id: 'fk', orgNumber: '202100-5521', dataportalPublisher: 'http://dataportal.se/organisation/SE2021005521' });
    expect((fk.json.published as { id: string }[]).map((d) => d.id)).toContain(TFP);
  });

  it('lists and shows shared concepts with the elements mapped to them', async () => {
    const list = await allForms('/concepts');
    expect((list.json.items as { id: string }[]).map((c) => c.id)).toContain('personnummer');
    const pnr = await allForms('/concepts/personnummer');
    expect((pnr.json.elements as { dataset: { id: string } }[]).map((e) => e.dataset.id)).toContain(TFP);
    await expectProblem('/concepts/nope', 404, 'concept-not-found');
  });

  it('serves the JSON-LD context the API compacts with', async () => {
    const res = await get('/context.jsonld');
    expect(res.type).toMatch(/^application\/ld\+json/);
    expect(res.json<{ '@context': Record<string, unknown> }>()['@context'].dlds).toBe('https://w3id.org/datalyft/dataset/');
  });
});

describe('GET /dcat-ap-se.rdf', () => {
  it('serves the DCAT-AP-SE export with landing pages on this hub', async () => {
    const res = await get('/dcat-ap-se.rdf');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/rdf\+xml/);
    const triples = parseRdfXml(res.text);
    const landing = triples.find((t) => t.subject.value === TFP_IRI && t.predicate.value === dcat.landingPage);
    expect(landing?.object.value).toBe(`${hub.url}/datasets/${TFP}`);
    expect(triples.some((t) => t.predicate.value === dpv.hasPurpose)).toBe(false);
  });

  it('serves the same export as Turtle for review', async () => {
    const res = await get('/dcat-ap-se.ttl');
    expect(res.type).toMatch(/^text\/turtle/);
    expect(tripleKeys(parseRdf(res.text))).toEqual(tripleKeys(parseRdfXml((await get('/dcat-ap-se.rdf')).text)));
  });
});
