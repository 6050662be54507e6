import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { isDatalyftError } from '../../src/errors.ts';
import { DEMO_TOKENS_FILE, TokenStore } from '../../src/sparql/auth.ts';
import { ask, startFixtureHub, TOKENS, type Fixture } from './fixture.ts';

const RECORDS = 'SELECT ?c ?o WHERE { ?c dlt:tfpOmfattning ?o }';
const P = 'https://w3id.org/datalyft/principal/';

let fx: Fixture;
let catalog: Catalog;
beforeAll(async () => {
  fx = await startFixtureHub();
  catalog = fx.hub.deps.catalog;
});
afterAll(async () => {
  await fx?.close();
});

describe('bearer tokens', () => {
  it('has one demo token per demo principal, and every principal it names is in the catalog', async () => {
    const tokens = TokenStore.fromFile(DEMO_TOKENS_FILE, catalog);
    expect(tokens.principalOf('demo-fk-handlaggare')).toBe(`${P}anna-fk-handlaggare`);
    expect(tokens.principalOf('demo-pm-handlaggare')).toBe(`${P}maria-pm-handlaggare`);
    expect(tokens.principalOf('demo-fk-handlaggarE')).toBeUndefined();
    const principals = [...catalog.principals.keys()].sort();
    const { tokens: listed } = JSON.parse((await import('node:fs')).readFileSync(DEMO_TOKENS_FILE, 'utf8')) as { tokens: { token: string }[] };
    expect(listed.map((t) => tokens.principalOf(t.token)).sort()).toEqual(principals);
  });

  it('refuses a tokens file that does not validate or names an unknown principal (tokens-invalid)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-tokens-'));
    const cases: [unknown, RegExp][] = [
      [{ tokens: [{ token: 'short', principal: 'anna-fk-handlaggare' }] }, /must NOT have fewer than 12 characters/],
      [{ tokens: [{ token: 'a-long-enough-token', principal: 'nobody' }] }, /principal "nobody", which is not in the catalog/],
      [{ tokens: [{ token: 'a-long-enough-token', principal: 'dso-fk' }, { token: 'a-long-enough-token', principal: 'dso-pm' }] }, /repeats an earlier token/],
      [{ users: [] }, /must have required property 'tokens'/],
    ];
    for (const [content, message] of cases) {
      const file = path.join(dir, 'tokens.json');
      writeFileSync(file, JSON.stringify(content));
      try {
        TokenStore.fromFile(file, catalog);
        throw new Error('expected tokens-invalid');
      } catch (error) {
        expect(isDatalyftError(error) && error.code).toBe('tokens-invalid');
        expect((error as Error).message).toMatch(message);
      }
    }
  });

  it('uses only the tokens of DATALYFT_TOKENS_FILE when it is set: the demo tokens stop working', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'datalyft-tokens-'));
    const file = path.join(dir, 'tokens.json');
    writeFileSync(file, JSON.stringify({ tokens: [{ token: 'real-token-0123456789', principal: `${P}anna-fk-handlaggare` }] }));
    const own = await startFixtureHub({ config: { tokensFile: file } });
    try {
      const demo = await ask(own, { query: RECORDS, token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3' });
      expect(demo.status).toBe(401);
      expect(demo.json().code).toBe('unknown-token');
      const real = await ask(own, { query: RECORDS, token: 'real-token-0123456789', purpose: 'sfb-114-8-p3' });
      expect(real.status, real.text).toBe(200);
    } finally {
      await own.close();
    }
  });
});

describe('authentication at the gate', () => {
  it('refuses record data without a token with 401 authentication-required and a WWW-Authenticate challenge', async () => {
    const a = await ask(fx, { query: RECORDS });
    expect(a.status).toBe(401);
    expect(a.json().code).toBe('authentication-required');
    expect(a.headers.get('www-authenticate')).toBe('Bearer realm="datalyft"');
  });

  it('refuses a declared purpose without a token, even on a metadata query', async () => {
    const a = await ask(fx, { query: 'SELECT ?d WHERE { ?d a dcat:Dataset }', purpose: 'sfb-114-8-p3' });
    expect(a.status).toBe(401);
    expect(a.json().code).toBe('authentication-required');
  });

  it('refuses an unknown token or a header that is not a bearer token with 401 unknown-token, whatever the query', async () => {
    for (const authorization of ['Bearer not-a-token-we-know', 'Basic YW5uYTpzZWNyZXQ=', 'Bearer']) {
      const a = await ask(fx, { query: 'SELECT ?d WHERE { ?d a dcat:Dataset }', headers: { authorization } });
      expect(a.status, authorization).toBe(401);
      expect(a.json().code).toBe('unknown-token');
    }
  });

  it('answers a query on the public metadata with neither token nor purpose, from the metadata graphs only', async () => {
    const a = await ask(fx, { query: 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' });
    expect(a.status).toBe(200);
    const all = await ask(fx, { query: 'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g' });
    const graphs = (all.json().results as { bindings: { g: { value: string } }[] }).bindings.map((b) => b.g.value).sort();
    expect(graphs.every((g) => /\/graph\/(ontology|catalog|shapes)$/.test(g))).toBe(true);
    expect(graphs).toContain('https://w3id.org/datalyft/graph/catalog');
  });

  it('accepts a token with the purpose in the Datalyft-Purpose header as well as the parameter, and refuses two different purposes (ambiguous-purpose)', async () => {
    const header = await ask(fx, { query: RECORDS, token: TOKENS.fkHandlaggare, headers: { 'datalyft-purpose': 'sfb-114-8-p3' } });
    expect(header.status, header.text).toBe(200);
    const both = await ask(fx, { query: RECORDS, token: TOKENS.fkHandlaggare, purpose: 'https://w3id.org/datalyft/purpose/sfb-114-8-p3', headers: { 'datalyft-purpose': 'sfb-114-8-p3' } });
    expect(both.status, 'the same purpose as IRI and id').toBe(400);
    const two = await ask(fx, { query: RECORDS, token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3', headers: { 'datalyft-purpose': 'sfb-114-8-p1' } });
    expect(two.status).toBe(400);
    expect(two.json().code).toBe('ambiguous-purpose');
  });

  it('refuses an unknown purpose (unknown-purpose) and records the refusal in the audit trail', async () => {
    const a = await ask(fx, { query: RECORDS, token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p99' });
    expect(a.status).toBe(400);
    const body = a.json();
    expect(body.code).toBe('unknown-purpose');
    const entry = fx.hub.deps.audit.readAll().find((e) => e.seq === body.auditEntry);
    expect(entry?.decision).toBe('deny');
    expect(entry?.code).toBe('unknown-purpose');
    expect(entry?.principal).toBe(`${P}anna-fk-handlaggare`);
  });
});
