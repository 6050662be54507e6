/**
 * The adversarial suite: queries written to reach what the purpose may not. The principal
 * is PM's case handler with case handling (SFB 114:8 p. 3): the catalog's disclosure
 * channel gives PM FK's TFP base data for that purpose, but not its health graph, and
 * neither agency's analysis results. Values are planted there (FIXTURE.FORBIDDEN); each
 * test states the status and error code, and that no planted value appears anywhere in
 * the response, headers included. The first line of defence is that queries run on the
 * permitted graphs only; the refusals are the second, for clear answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, FORBIDDEN, startFixtureHub, TOKENS, visible, type Answer, type Ask, type Fixture } from './fixture.ts';

const B = 'https://w3id.org/datalyft/';
const HEALTH = `${B}graph/fk-tillfallig-foraldrapenning/health`;
const TFP_BASE = `${B}graph/fk-tillfallig-foraldrapenning/base`;
const FK_ANALYSIS = `${B}graph/fk-analys-urval/analysis`;
const PM_ANALYSIS = `${B}graph/pm-analys-urval/analysis`;

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixtureHub();
});
afterAll(async () => {
  await fx?.close();
});

/** Asks as PM's case handler for case handling unless told otherwise. */
function probe(a: Ask): Promise<Answer> {
  return ask(fx, { token: TOKENS.pmHandlaggare, purpose: 'sfb-114-8-p3', ...a });
}

function expectNoLeak(answer: Answer): void {
  const seen = visible(answer);
  for (const value of Object.values(FORBIDDEN)) expect(seen, `leaked ${value}`).not.toContain(value);
}

function expectRefused(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.json().code).toBe(code);
  expect(answer.json()).not.toHaveProperty('results');
  expectNoLeak(answer);
}

function expectAnswered(answer: Answer): Record<string, unknown> {
  expect(answer.status, answer.text).toBe(200);
  expectNoLeak(answer);
  return answer.json();
}

function rows(answer: Answer): Record<string, { value: string }>[] {
  return (answer.json().results as { bindings: Record<string, { value: string }>[] }).bindings;
}

describe('adversarial: variable predicates and paths reach only permitted graphs', () => {
  it('?s ?p ?o returns the permitted TFP base data and nothing planted elsewhere', async () => {
    const a = await probe({ query: 'SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://example.org/")) }' });
    expectAnswered(a);
    expect(a.text).toContain('TFP-1');
    expect(a.text).not.toContain('tfpOrsak');
  });

  it('a variable predicate filtered on the forbidden value finds nothing', async () => {
    expect(rows(await probe({ query: 'SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "FORBIDDEN")) }' }))).toEqual([]);
  });

  it('a zero-length path over the health predicate is refused by name (channel-excludes-class)', async () => {
    expectRefused(await probe({ query: 'SELECT * WHERE { ?s dlt:tfpBarnDiagnos* ?o }' }), 403, 'channel-excludes-class');
  });

  it('a zero-length path over an unknown predicate runs and finds nothing planted', async () => {
    expectAnswered(await probe({ query: 'SELECT * WHERE { ?s (<http://example.org/none>)* ?o }' }));
  });

  it('a negated property set selecting on the value finds nothing', async () => {
    const a = await probe({ query: `SELECT ?s ?o WHERE { ?s !(rdf:type|dlt:arendeid) ?o }` });
    expectAnswered(a);
    expect(rows(await probe({ query: 'SELECT ?s WHERE { ?s !(dlt:arendeid) ?o FILTER(STRSTARTS(?o, "FORBIDDEN")) }' }))).toEqual([]);
  });

  it('an inverse path naming the health predicate is refused (channel-excludes-class)', async () => {
    expectRefused(await probe({ query: 'SELECT ?s WHERE { ?d ^dlt:tfpBarnDiagnos ?s }' }), 403, 'channel-excludes-class');
  });

  it('an alternative path naming a forbidden predicate is refused; one with a negated branch finds nothing', async () => {
    expectRefused(await probe({ query: 'SELECT ?o WHERE { ?s (dlt:tfpOmfattning|dlt:tfpBarnDiagnos) ?o }' }), 403, 'channel-excludes-class');
    expectAnswered(await probe({ query: 'SELECT ?o WHERE { ?s (dlt:tfpOmfattning|!dlt:tfpOmfattning) ?o }' }));
  });
});

describe('adversarial: graphs', () => {
  it('GRAPH ?g sees the permitted graphs only', async () => {
    const a = await probe({ query: 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }' });
    expectAnswered(a);
    const graphs = rows(a).map((r) => r.g!.value);
    expect(graphs).toContain(TFP_BASE);
    for (const g of [HEALTH, FK_ANALYSIS, PM_ANALYSIS]) expect(graphs).not.toContain(g);
  });

  it('GRAPH <forbidden graph> is refused (graph-not-permitted), also with a trailing slash', async () => {
    expectRefused(await probe({ query: `SELECT * WHERE { GRAPH <${HEALTH}> { ?s ?p ?o } }` }), 403, 'graph-not-permitted');
    expectRefused(await probe({ query: `SELECT * WHERE { GRAPH <${HEALTH}/> { ?s ?p ?o } }` }), 403, 'graph-not-permitted');
  });

  it('a forbidden graph named through BASE and a relative IRI, or bound by VALUES, is refused', async () => {
    expectRefused(await probe({ query: `BASE <${B}graph/fk-tillfallig-foraldrapenning/> SELECT * WHERE { GRAPH <health> { ?s ?p ?o } }` }), 403, 'graph-not-permitted');
    expectRefused(await probe({ query: `SELECT * WHERE { VALUES ?g { <${HEALTH}> } GRAPH ?g { ?s ?p ?o } }` }), 403, 'graph-not-permitted');
  });

  it('a graph named only as a string matches nothing', async () => {
    expect(rows(await probe({ query: `SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STR(?g) = "${HEALTH}") }` }))).toEqual([]);
  });

  it('FROM and FROM NAMED a forbidden graph are refused', async () => {
    expectRefused(await probe({ query: `SELECT * FROM <${HEALTH}> WHERE { ?s ?p ?o }` }), 403, 'graph-not-permitted');
    expectRefused(await probe({ query: `SELECT * FROM NAMED <${FK_ANALYSIS}> WHERE { GRAPH ?g { ?s ?p ?o } }` }), 403, 'purpose-not-permitted');
    expectRefused(await probe({ query: 'SELECT * FROM <http://example.org/elsewhere> WHERE { ?s ?p ?o }' }), 403, 'graph-not-permitted');
  });

  it('FROM a permitted graph narrows the query to it', async () => {
    const a = await probe({ query: `SELECT DISTINCT ?p FROM <${TFP_BASE}> WHERE { ?s ?p ?o }` });
    expectAnswered(a);
    expect(rows(a).map((r) => r.p!.value)).toContain(`${B}term#arendeid`);
    expect(rows(a).map((r) => r.p!.value)).not.toContain('http://www.w3.org/ns/dcat#dataset');
  });

  it('default-graph-uri and named-graph-uri of forbidden graphs are refused; the gate chooses the graphs', async () => {
    expectRefused(await probe({ query: 'SELECT * WHERE { ?s ?p ?o }', params: [['default-graph-uri', HEALTH]] }), 403, 'graph-not-permitted');
    expectRefused(await probe({ query: 'SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }', params: [['named-graph-uri', PM_ANALYSIS]] }), 403, 'graph-not-permitted');
    expectRefused(await probe({ query: 'SELECT * WHERE { ?s ?p ?o }', params: [['default-graph-uri', TFP_BASE], ['default-graph-uri', FK_ANALYSIS]] }), 403, 'graph-not-permitted');
    expectAnswered(await probe({ query: 'SELECT * WHERE { ?s ?p ?o }', params: [['default-graph-uri', TFP_BASE]] }));
  });
});

describe('adversarial: bound predicates, DESCRIBE and CONSTRUCT', () => {
  it('a predicate bound by VALUES or BIND is named all the same (channel-excludes-class)', async () => {
    expectRefused(await probe({ query: 'SELECT ?o WHERE { VALUES ?p { dlt:tfpBarnDiagnos } ?s ?p ?o }' }), 403, 'channel-excludes-class');
    expectRefused(await probe({ query: 'SELECT ?o WHERE { BIND(dlt:tfpBarnDiagnos AS ?p) ?s ?p ?o }' }), 403, 'channel-excludes-class');
  });

  it('a predicate computed from strings runs and finds nothing', async () => {
    expect(rows(await probe({ query: 'SELECT ?o WHERE { BIND(IRI(CONCAT(STR(dlt:), "tfpBarn", "Diagnos")) AS ?p) ?s ?p ?o }' }))).toEqual([]);
  });

  it('DESCRIBE a record describes it from the permitted graphs only', async () => {
    const a = await probe({ query: 'DESCRIBE <https://example.org/fk/tfp/arende-1>', accept: 'application/n-triples' });
    expect(a.status).toBe(200);
    expectNoLeak(a);
    expect(a.text).toContain('tfpOmfattning');
    expect(a.text).not.toContain('tfpBarnDiagnos');
    const all = await probe({ query: 'DESCRIBE ?s WHERE { ?s ?p ?o }', accept: 'text/turtle' });
    expect(all.status).toBe(200);
    expectNoLeak(all);
  });

  it('CONSTRUCT over every graph returns the permitted graphs only', async () => {
    for (const accept of ['text/turtle', 'application/n-triples', 'application/ld+json']) {
      const a = await probe({ query: 'CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }', accept });
      expect(a.status).toBe(200);
      expectNoLeak(a);
    }
  });
});

describe('adversarial: probes of a forbidden value', () => {
  it('COUNT of the forbidden value by its predicate is refused without a count', async () => {
    const a = await probe({ query: `SELECT (COUNT(*) AS ?n) WHERE { ?s dlt:tfpBarnDiagnos "${FORBIDDEN.diagnosis}" }` });
    expectRefused(a, 403, 'channel-excludes-class');
    expect(a.text).not.toMatch(/"n"|"value":"1"/);
  });

  it('COUNT of the forbidden value through a variable predicate counts nothing', async () => {
    const a = await probe({ query: `SELECT (COUNT(*) AS ?n) WHERE { ?s ?p "${FORBIDDEN.diagnosis}" }` });
    expectAnswered(a);
    expect(rows(a)[0]!.n!.value).toBe('0');
    const score = await probe({ query: `SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p "${FORBIDDEN.pmScore}" } }` });
    expect(rows(score)[0]!.n!.value).toBe('0');
  });

  it('FILTER EXISTS on the forbidden value selects no one', async () => {
    expect(rows(await probe({ query: `SELECT ?s WHERE { ?s dlt:arendeid ?id FILTER EXISTS { ?s ?p "${FORBIDDEN.diagnosis}" } }` }))).toEqual([]);
    expectRefused(await probe({ query: 'SELECT ?s WHERE { ?s dlt:arendeid ?id FILTER EXISTS { ?s dlt:tfpBarnDiagnos ?d } }' }), 403, 'channel-excludes-class');
    expectRefused(await probe({ query: 'SELECT ?s WHERE { ?s dlt:arendeid ?id FILTER NOT EXISTS { ?s dlt:pmAnaRiskpoang ?d } }' }), 403, 'purpose-not-permitted');
  });

  it('a selection on health data through a variable predicate is refused to a purpose that may read but not select on it (SFB 114:12)', async () => {
    // Statistics may read TFP's health graph (114:11) but not select persons on it (114:12).
    const named = await ask(fx, { token: TOKENS.fkStatistiker, purpose: 'sfb-114-8-p7', query: 'SELECT (COUNT(*) AS ?n) WHERE { ?c dlt:tfpBarnDiagnos "J45" }' });
    expectRefused(named, 403, 'selection-on-sensitive-data');
    const hidden = await ask(fx, { token: TOKENS.fkStatistiker, purpose: 'sfb-114-8-p7', query: `SELECT (COUNT(*) AS ?n) WHERE { ?c ?p "${FORBIDDEN.diagnosis}" }` });
    expectRefused(hidden, 403, 'selection-on-sensitive-data');
    expect((hidden.json().refused as { citation?: string }[])[0]!.citation).toBe('SFB 114 kap. 12 §');
  });

  it('ASK of the forbidden value answers false', async () => {
    const a = await probe({ query: `ASK { ?s ?p "${FORBIDDEN.fkScore}" }` });
    expectAnswered(a);
    expect(a.json().boolean).toBe(false);
  });

  it('a record class or predicate of an unreachable dataset is refused by name', async () => {
    expectRefused(await probe({ query: 'SELECT ?s WHERE { ?s a dlt:PmAnalysUrvalsresultat }' }), 403, 'purpose-not-permitted');
    expectRefused(await probe({ query: 'SELECT * WHERE { { ?s dlt:tfpOmfattning ?o } UNION { ?s dlt:fkAuRiskpoang ?o } }' }), 403, 'purpose-not-permitted');
    expectRefused(await probe({ query: 'SELECT * WHERE { ?s dlt:tfpOmfattning ?o OPTIONAL { ?s dlt:fkAuRiskpoang ?r } }' }), 403, 'purpose-not-permitted');
  });
});

describe('adversarial: SERVICE, escapes, nesting, duplicate parameters', () => {
  it('refuses SERVICE in every form (service-not-allowed)', async () => {
    for (const query of [
      'SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }',
      'SELECT * WHERE { SERVICE SILENT <http://evil.example/sparql> { ?s ?p ?o } }',
      'SELECT * WHERE { VALUES ?e { <http://evil.example/sparql> } SERVICE ?e { ?s ?p ?o } }',
      'SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://evil.example/sparql> { ?s ?q ?r } } }',
      'ASK { FILTER NOT EXISTS { SERVICE <http://evil.example/sparql> { ?s ?p ?o } } }',
      `SELECT * WHERE { SERVICE <${B}sparql> { ?s ?p ?o } }`,
    ]) {
      expectRefused(await probe({ query }), 403, 'service-not-allowed');
    }
  });

  it('sees through \\u escapes in IRIs and prefixed names', async () => {
    expectRefused(await probe({ query: 'SELECT ?o WHERE { ?s <https://w3id.org/datalyft/term#tfpBarn\\u0044iagnos> ?o }' }), 403, 'channel-excludes-class');
    expectRefused(await probe({ query: 'SELECT ?o WHERE { ?s dlt:tfpBarn\\u0044iagnos ?o }' }), 403, 'channel-excludes-class');
    expectRefused(await probe({ query: `SELECT * WHERE { GRAPH <${B}graph/fk-analys-\\u0075rval/analysis> { ?s ?p ?o } }` }), 403, 'purpose-not-permitted');
    expectRefused(await probe({ query: `SELECT * WHERE { GRAPH <${B}graph/fk-tillfallig-foraldrapenning/h\\U00000065alth> { ?s ?p ?o } }` }), 403, 'graph-not-permitted');
  });

  it('refuses deep nesting with too-complex, and the hub keeps answering correctly', async () => {
    expectRefused(await probe({ query: `SELECT * WHERE ${'{ '.repeat(800)}?s ?p ?o${' }'.repeat(800)}`, method: 'POST-query' }), 400, 'too-complex');
    expectRefused(await probe({ query: `SELECT * WHERE { ?s ?p ?o FILTER(${'('.repeat(900)}true${')'.repeat(900)}) }`, method: 'POST-query' }), 400, 'too-complex');
    expectRefused(await probe({ query: `SELECT * WHERE { ${Array.from({ length: 100 }, () => '{ ?s ?p ?o }').join(' UNION ')} }`, method: 'POST-query' }), 400, 'too-complex');
    expect((await fetch(`${fx.hub.url}/health`)).status).toBe(200);
    expect(rows(await probe({ query: 'SELECT ?id WHERE { ?s dlt:arendeid ?id } ORDER BY ?id LIMIT 1' }))[0]!.id!.value).toBe('TFP-1');
  });

  it('refuses duplicate and conflicting parameters', async () => {
    const q = 'SELECT * WHERE { ?s dlt:tfpOmfattning ?o }';
    expectRefused(await ask(fx, { token: TOKENS.pmHandlaggare, query: q, params: [['purpose', 'sfb-114-8-p3'], ['purpose', 'sfb-114-8-p4']] }), 400, 'ambiguous-purpose');
    expectRefused(await ask(fx, { token: TOKENS.pmHandlaggare, query: q, purpose: 'sfb-114-8-p3', headers: { 'datalyft-purpose': 'sfb-114-8-p1, sfb-114-8-p3' } }), 400, 'ambiguous-purpose');
    expectRefused(await probe({ query: q, params: [['regime', 'gallande-ratt'], ['regime', 'sou-2025-108']] }), 400, 'duplicate-parameter');
    expectRefused(await probe({ query: q, params: [['query', 'SELECT * WHERE { ?s dlt:fkAuRiskpoang ?o }']] }), 400, 'duplicate-parameter');
    expectRefused(await probe({ query: q, method: 'POST-form', params: [['query', 'SELECT * WHERE { ?s dlt:fkAuRiskpoang ?o }']] }), 400, 'duplicate-parameter');
  });

  it('does not echo the query back in a refusal', async () => {
    const a = await probe({ query: `SELECT ?s WHERE { ?s dlt:tfpBarnDiagnos "${FORBIDDEN.diagnosis}" }` });
    expect(a.json().instance).toBe('/sparql');
    expectNoLeak(a);
  });
});
