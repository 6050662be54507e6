/**
 * SPARQL 1.1 Protocol at /sparql: the W3C protocol tests' error cases, and the result
 * formats. Metadata queries need no token, so most cases here run anonymously.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, startFixtureHub, TOKENS, type Answer, type Fixture } from './fixture.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixtureHub({ config: { bodyLimitBytes: 4096 } });
});
afterAll(async () => {
  await fx?.close();
});

const META = 'SELECT ?d WHERE { ?d a dcat:Dataset } ORDER BY ?d LIMIT 2';

async function raw(path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${fx.hub.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

function expectProblem(answer: Answer, status: number, code: string): Record<string, unknown> {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = answer.json();
  expect(body.code).toBe(code);
  expect(body.status).toBe(status);
  return body;
}

describe('SPARQL 1.1 Protocol: requests', () => {
  it('answers GET ?query=, POST form-encoded and POST application/sparql-query alike', async () => {
    const q = encodeURIComponent(META);
    const get = await raw(`/sparql?query=${q}`);
    const form = await raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${q}` });
    const direct = await raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: META });
    for (const a of [get, form, direct]) {
      expect(a.status, a.text).toBe(200);
      expect((a.json().results as { bindings: unknown[] }).bindings).toHaveLength(2);
    }
    expect(form.text).toBe(get.text);
    expect(direct.text).toBe(get.text);
  });

  it('refuses two query parameters (duplicate-parameter)', async () => {
    const q = encodeURIComponent(META);
    expectProblem(await raw(`/sparql?query=${q}&query=${q}`), 400, 'duplicate-parameter');
    expectProblem(await raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${q}&query=${q}` }), 400, 'duplicate-parameter');
  });

  it('refuses a query both in the URL and in the body (query-in-url-and-body)', async () => {
    const q = encodeURIComponent(META);
    expectProblem(await raw(`/sparql?query=${q}`, { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: META }), 400, 'query-in-url-and-body');
    expectProblem(await raw(`/sparql?query=${q}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${q}` }), 400, 'query-in-url-and-body');
  });

  it('refuses a POST with a wrong or missing media type (unsupported-media-type)', async () => {
    expectProblem(await raw('/sparql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: META }), 400, 'unsupported-media-type');
    const missing = await fetch(`${fx.hub.url}/sparql`, { method: 'POST', body: new Uint8Array(Buffer.from(META)) });
    expect(missing.headers.get('content-type')).toMatch(/problem\+json/);
    const body = (await missing.json()) as { code: string };
    expect(missing.status).toBe(400);
    expect(body.code).toBe('unsupported-media-type');
  });

  it('refuses a charset other than UTF-8 (unsupported-charset)', async () => {
    expectProblem(await raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' }, body: `query=${encodeURIComponent(META)}` }), 400, 'unsupported-charset');
    expectProblem(await raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/sparql-query; charset=UTF-16' }, body: META }), 400, 'unsupported-charset');
    const ok = await raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/sparql-query; charset=UTF-8' }, body: META });
    expect(ok.status).toBe(200);
  });

  it('refuses an update sent to the query endpoint, in every form, and leaves the store unchanged (update-not-allowed)', async () => {
    const before = await fx.hub.deps.store.size();
    const insert = 'INSERT DATA { GRAPH <https://w3id.org/datalyft/graph/catalog> { <http://example.org/x> <http://example.org/y> "z" } }';
    expectProblem(await raw(`/sparql?query=${encodeURIComponent(insert)}`), 400, 'update-not-allowed');
    expectProblem(await raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: insert }), 400, 'update-not-allowed');
    expectProblem(await raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `update=${encodeURIComponent(insert)}` }), 400, 'update-not-allowed');
    expectProblem(await raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/sparql-update' }, body: insert }), 400, 'update-not-allowed');
    expectProblem(await raw(`/sparql?query=${encodeURIComponent('CLEAR ALL')}`, { headers: { authorization: `Bearer ${TOKENS.fkHandlaggare}` } }), 400, 'update-not-allowed');
    expect(await fx.hub.deps.store.size()).toBe(before);
  });

  it('refuses a body over the limit with 413 (body-too-large)', async () => {
    const big = `SELECT * WHERE { ?s ?p ?o } # ${'x'.repeat(5000)}`;
    expectProblem(await raw('/sparql', { method: 'POST', headers: { 'content-type': 'application/sparql-query' }, body: big }), 413, 'body-too-large');
  });

  it('refuses a request without a query (query-missing) and a query that does not parse (query-syntax, with the line)', async () => {
    expectProblem(await raw('/sparql', { headers: { accept: 'application/sparql-results+json' } }), 400, 'query-missing');
    const body = expectProblem(await raw(`/sparql?query=${encodeURIComponent('SELECT * WHERE {\n ?s ?p ?o .\n FILTER( }')}`), 400, 'query-syntax');
    expect((body.where as { line: number }).line).toBe(3);
  });

  it('refuses an Accept it cannot serve with 406 (not-acceptable)', async () => {
    expectProblem(await raw(`/sparql?query=${encodeURIComponent(META)}`, { headers: { accept: 'image/png' } }), 406, 'not-acceptable');
    expectProblem(await raw(`/sparql?query=${encodeURIComponent('CONSTRUCT WHERE { ?d a dcat:Dataset }')}`, { headers: { accept: 'text/csv' } }), 406, 'not-acceptable');
  });

  it('echoes Datalyft-Transaction on answers and refusals, and makes one up when none is sent', async () => {
    const sent = await raw(`/sparql?query=${encodeURIComponent(META)}`, { headers: { 'datalyft-transaction': 'fk-pm-2026-0042' } });
    expect(sent.headers.get('datalyft-transaction')).toBe('fk-pm-2026-0042');
    const refused = await raw('/sparql', { headers: { 'datalyft-transaction': 'fk-pm-2026-0043', accept: 'application/json' } });
    expect(refused.headers.get('datalyft-transaction')).toBe('fk-pm-2026-0043');
    const made = await raw(`/sparql?query=${encodeURIComponent(META)}`);
    expect(made.headers.get('datalyft-transaction')).toMatch(/^[0-9a-f-]{36}$/);
    expectProblem(await raw(`/sparql?query=${encodeURIComponent(META)}`, { headers: { 'datalyft-transaction': 'has spaces in it' } }), 400, 'invalid-transaction-id');
  });
});

describe('SPARQL 1.1 Protocol: result formats', () => {
  const q = encodeURIComponent('SELECT ?id WHERE { <https://w3id.org/datalyft/dataset/fk-tillfallig-foraldrapenning> dct:identifier ?id }');

  it('writes SELECT results as SPARQL JSON (with the truncation flag), XML, CSV and TSV', async () => {
    const json = await raw(`/sparql?query=${q}`, { headers: { accept: 'application/sparql-results+json' } });
    expect(json.headers.get('content-type')).toMatch(/^application\/sparql-results\+json/);
    expect(json.json()).toEqual({ head: { vars: ['id'] }, results: { bindings: [{ id: { type: 'literal', value: 'fk-tillfallig-foraldrapenning' } }] }, truncated: false });
    expect(json.headers.get('datalyft-truncated')).toBe('false');

    const xml = await raw(`/sparql?query=${q}`, { headers: { accept: 'application/sparql-results+xml' } });
    expect(xml.headers.get('content-type')).toMatch(/^application\/sparql-results\+xml/);
    expect(xml.text).toContain('<binding name="id"><literal>fk-tillfallig-foraldrapenning</literal></binding>');

    const csv = await raw(`/sparql?query=${q}`, { headers: { accept: 'text/csv' } });
    expect(csv.text).toBe('id\r\nfk-tillfallig-foraldrapenning\r\n');
    const tsv = await raw(`/sparql?query=${q}`, { headers: { accept: 'text/tab-separated-values' } });
    expect(tsv.text).toBe('?id\n"fk-tillfallig-foraldrapenning"\n');
  });

  it('writes ASK as SPARQL JSON and XML', async () => {
    const ask1 = encodeURIComponent('ASK { ?d a dcat:Dataset }');
    expect((await raw(`/sparql?query=${ask1}`)).json()).toEqual({ head: {}, boolean: true });
    expect((await raw(`/sparql?query=${ask1}`, { headers: { accept: 'application/sparql-results+xml' } })).text).toContain('<boolean>true</boolean>');
  });

  it('writes CONSTRUCT and DESCRIBE as Turtle, N-Triples and JSON-LD', async () => {
    const c = encodeURIComponent('CONSTRUCT { ?d dct:identifier ?id } WHERE { ?d dct:identifier ?id ; a dl:CoreDataset } ORDER BY ?d LIMIT 1');
    const ttl = await raw(`/sparql?query=${c}`, { headers: { accept: 'text/turtle' } });
    expect(ttl.headers.get('content-type')).toMatch(/^text\/turtle/);
    expect(ttl.text).toMatch(/dct:identifier "/);
    const nt = await raw(`/sparql?query=${c}`, { headers: { accept: 'application/n-triples' } });
    expect(nt.text.trim().split('\n')).toHaveLength(1);
    expect(nt.text).toContain('<http://purl.org/dc/terms/identifier>');
    const jsonld = await raw(`/sparql?query=${c}`, { headers: { accept: 'application/ld+json' } });
    expect(jsonld.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    expect(jsonld.json()['@context']).toBe('https://w3id.org/datalyft/context.jsonld');
    const d = await raw(`/sparql?query=${encodeURIComponent('DESCRIBE <https://w3id.org/datalyft/purpose/sfb-114-8-p4>')}`, { headers: { accept: 'application/n-triples' } });
    expect(d.status).toBe(200);
    expect(d.text).toContain('<https://w3id.org/datalyft/purpose/sfb-114-8-p4>');
  });

  it('caps the rows at maxRows and says so in a header and in the JSON', async () => {
    const capped = await startFixtureHub({ config: { maxRows: 3 } });
    try {
      const a = await ask(capped, { query: 'SELECT ?d WHERE { ?d a dcat:Dataset }' });
      expect(a.headers.get('datalyft-truncated')).toBe('true');
      const body = a.json() as { truncated: boolean; results: { bindings: unknown[] } };
      expect(body.truncated).toBe(true);
      expect(body.results.bindings).toHaveLength(3);
      const g = await ask(capped, { query: 'CONSTRUCT WHERE { ?d a dcat:Dataset }', accept: 'application/n-triples' });
      expect(g.headers.get('datalyft-truncated')).toBe('true');
      expect(g.text.trim().split('\n')).toHaveLength(3);
    } finally {
      await capped.close();
    }
  });
});
