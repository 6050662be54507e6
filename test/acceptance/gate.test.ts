/**
 * The purpose gate end to end over HTTP: who asks, why, under which regime, and what
 * leaves (or the refusal that says why, with the provision), each decision audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dl } from '../../src/rdf/namespaces.ts';
import { factory as f } from '../../src/rdf/parse.ts';
import { ask, FORBIDDEN, startFixtureHub, T, TOKENS, visible, type Fixture } from '../sparql/fixture.ts';

const B = 'https://w3id.org/datalyft/';
const TFP_BASE = `${B}graph/fk-tillfallig-foraldrapenning/base`;

interface Bindings {
  head: { vars: string[] };
  results: { bindings: Record<string, { value: string }>[] };
  truncated: boolean;
  suppressed?: boolean;
}
interface Refused {
  dataset?: string;
  datasetId?: string;
  code: string;
  reason: string;
  provision?: string;
  citation?: string;
}

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixtureHub();
});
afterAll(async () => {
  await fx?.close();
});

describe('the gate: who may read what, for which purpose', () => {
  it('lets an FK case handler read TFP base data for case handling (SFB 114:8 p. 3)', async () => {
    const a = await ask(fx, {
      token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3',
      query: 'SELECT ?id ?omf WHERE { ?c dlt:arendeid ?id ; dlt:tfpOmfattning ?omf } ORDER BY ?id',
    });
    expect(a.status, a.text).toBe(200);
    const body = a.json() as unknown as Bindings;
    expect(body.results.bindings).toHaveLength(12);
    expect(body.results.bindings[0]).toMatchObject({ id: { value: 'TFP-1' }, omf: { value: '1' } });
    expect(a.headers.get('datalyft-audit-entry')).toMatch(/^\d+$/);
  });

  it("refuses the same case handler another agency's dataset, naming it, the reason code and the secrecy provision", async () => {
    const a = await ask(fx, { token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3', query: 'SELECT * WHERE { ?s dlt:pmKonAnledning ?o }' });
    expect(a.status).toBe(403);
    const body = a.json();
    expect(body.code).toBe('no-disclosure-channel');
    const refused = body.refused as Refused[];
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ datasetId: 'pm-kontrollutredningar', code: 'no-disclosure-channel', citation: 'OSL 28 kap. 1 §' });
  });

  it('refuses a PM control investigator FK\'s analysis and selection results, citing the secrecy that keeps them at FK', async () => {
    const a = await ask(fx, { token: TOKENS.pmKontroll, purpose: 'sfb-114-8-p4', query: 'SELECT ?s ?score WHERE { ?s dlt:fkAuRiskpoang ?score }' });
    expect(a.status).toBe(403);
    const body = a.json();
    expect(body.code).toBe('no-disclosure-channel');
    expect((body.refused as Refused[])[0]).toMatchObject({ datasetId: 'fk-analys-urval', provision: `${B}provision/osl-28-1`, citation: 'OSL 28 kap. 1 §' });
    expect(visible(a)).not.toContain(FORBIDDEN.fkScore);
    // Under the proposal the analysis results are under absolute secrecy: still refused.
    const proposal = await ask(fx, { token: TOKENS.pmKontroll, purpose: 'sfb-114-8-p4', regime: 'sou-2025-108', query: 'SELECT ?s ?score WHERE { ?s dlt:fkAuRiskpoang ?score }' });
    expect(proposal.status).toBe(403);
    expect(visible(proposal)).not.toContain(FORBIDDEN.fkScore);
  });

  it("lets FK's own control investigator reach FK's analysis results (controller only, SFB 114:8 p. 4)", async () => {
    const a = await ask(fx, { token: TOKENS.fkKontroll, purpose: 'sfb-114-8-p4', query: 'SELECT ?score WHERE { ?s dlt:fkAuRiskpoang ?score }' });
    expect(a.status, a.text).toBe(200);
    expect(a.text).toContain(FORBIDDEN.fkScore);
  });

  it('refuses a purpose the role may not declare (purpose-not-held-by-role, SFB 114:13)', async () => {
    const a = await ask(fx, { token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p4', query: 'SELECT * WHERE { ?s dlt:tfpOmfattning ?o }' });
    expect(a.status).toBe(403);
    expect(a.json().code).toBe('purpose-not-held-by-role');
    expect((a.json().refused as Refused[])[0]!.citation).toBe('SFB 114 kap. 13 §');
  });

  it('asks for a purpose when a query names record data without one (purpose-required)', async () => {
    const a = await ask(fx, { token: TOKENS.fkHandlaggare, query: 'SELECT * WHERE { ?s dlt:tfpOmfattning ?o }' });
    expect(a.status).toBe(400);
    expect(a.json().code).toBe('purpose-required');
    const shared = await ask(fx, { token: TOKENS.fkHandlaggare, query: 'SELECT ?p WHERE { ?s dlt:personnummer ?p }' });
    expect(shared.status).toBe(400);
    expect(shared.json().code).toBe('purpose-required');
  });

  it('runs a query with only variables on exactly the graphs the decision permits', async () => {
    const a = await ask(fx, { token: TOKENS.pmHandlaggare, purpose: 'sfb-114-8-p3', query: 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }' });
    expect(a.status, a.text).toBe(200);
    const graphs = (a.json() as unknown as Bindings).results.bindings.map((b) => b.g!.value);
    expect(graphs).toContain(TFP_BASE);
    expect(graphs.filter((g) => g.includes('/graph/fk-tillfallig-foraldrapenning/'))).toEqual([TFP_BASE]);
    expect(graphs.some((g) => g.includes('analys'))).toBe(false);
    expect(visible(a)).not.toContain(FORBIDDEN.diagnosis);
  });
});

describe('the gate: a register partitioned by year', () => {
  it('gives FK control its statutory purpose on the absence register, over every year present, under the proposal only', async () => {
    const { catalog } = fx.hub.deps;
    const register = catalog.requireDataset('skolverket-franvaroregister');
    const quads = [2025, 2026].map((year) => f.quad(
      f.namedNode(`https://example.org/frreg/${year}`), f.namedNode(`${T}frregNarvarostatus`), f.literal('franvarande'),
      f.namedNode(catalog.graphFor(register, dl.BasicPersonalData, year)),
    ));
    await fx.hub.deps.store.commit({ add: quads });
    const query = 'SELECT ?post WHERE { ?post dlt:frregNarvarostatus ?status } ORDER BY ?post';
    const a = await ask(fx, { token: TOKENS.fkKontroll, purpose: 'franvaroregister-kontroll', regime: 'sou-2025-108', query });
    expect(a.status, a.text).toBe(200);
    expect((a.json() as unknown as Bindings).results.bindings.map((b) => b.post!.value)).toEqual(['https://example.org/frreg/2025', 'https://example.org/frreg/2026']);
    const today = await ask(fx, { token: TOKENS.fkKontroll, purpose: 'franvaroregister-kontroll', query });
    expect(today.status).toBe(403);
    expect(today.json().code).toBe('purpose-not-in-force');
    const handler = await ask(fx, { token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3', regime: 'sou-2025-108', query });
    expect(handler.status).toBe(403);
    expect(handler.json().code).toBe('purpose-not-permitted');
  });
});

describe('the gate: statistics purposes get aggregates only', () => {
  it('refuses individual rows to a statistics purpose (aggregates-only, SFB 114:8 p. 7)', async () => {
    const a = await ask(fx, { token: TOKENS.fkStatistiker, purpose: 'sfb-114-8-p7', query: 'SELECT ?c ?o WHERE { ?c dlt:tfpOmfattning ?o }' });
    expect(a.status).toBe(403);
    expect(a.json().code).toBe('aggregates-only');
    expect((a.json().refused as Refused[])[0]!.citation).toBe('SFB 114 kap. 8 § 7');
    expect(a.text).not.toContain('arende-');
  });

  it('gives counts per group and suppresses groups smaller than minGroupSize (5)', async () => {
    const a = await ask(fx, {
      token: TOKENS.fkStatistiker, purpose: 'sfb-114-8-p7',
      query: 'SELECT ?omf (COUNT(?c) AS ?n) WHERE { ?c dlt:tfpOmfattning ?omf } GROUP BY ?omf ORDER BY ?omf',
    });
    expect(a.status, a.text).toBe(200);
    const body = a.json() as unknown as Bindings;
    // Groups of the fixture: 8 whole days, 3 half days, 1 quarter day.
    expect(body.results.bindings.map((b) => [b.omf!.value, b.n!.value])).toEqual([['1', '8']]);
    expect(body.head.vars).toEqual(['omf', 'n']);
    expect(body.suppressed).toBe(true);
    expect(a.headers.get('datalyft-suppressed')).toBe('true');
  });

  it('suppresses a small group even when the query counts nothing itself, or counts something else', async () => {
    const grouped = await ask(fx, {
      token: TOKENS.fkStatistiker, purpose: 'sfb-114-8-p7',
      query: 'SELECT ?omf (SUM(?omf) AS ?days) WHERE { ?c dlt:tfpOmfattning ?omf } GROUP BY ?omf',
    });
    expect(grouped.status, grouped.text).toBe(200);
    expect((grouped.json() as unknown as Bindings).results.bindings.map((b) => b.omf!.value)).toEqual(['1']);
    const one = await ask(fx, {
      token: TOKENS.fkStatistiker, purpose: 'sfb-114-8-p7',
      query: 'SELECT (COUNT(*) AS ?n) WHERE { ?c dlt:personnummer "19850101-1001" ; dlt:tfpOmfattning ?o }',
    });
    expect(one.status, one.text).toBe(200);
    expect((one.json() as unknown as Bindings).results.bindings).toEqual([]);
  });

  it('refuses grouping on an identifying element, which would make groups of one person', async () => {
    const a = await ask(fx, {
      token: TOKENS.fkStatistiker, purpose: 'sfb-114-8-p7',
      query: 'SELECT ?pnr (COUNT(*) AS ?n) WHERE { ?c dlt:personnummer ?pnr ; dlt:tfpOmfattning ?o } GROUP BY ?pnr',
    });
    expect(a.status).toBe(403);
    expect(a.json().code).toBe('aggregates-only');
    expect(a.text).not.toContain('19850101-');
  });
});

describe('explain', () => {
  it('returns the decision without running the query', async () => {
    const seqBefore = fx.hub.deps.audit.readAll().length;
    const a = await ask(fx, { path: '/sparql/explain', method: 'POST-form', token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3', query: 'SELECT * WHERE { ?c dlt:tfpOmfattning ?o }' });
    expect(a.status, a.text).toBe(200);
    const body = a.json() as { decision: { allow: boolean; graphs: string[]; reasons: { code: string; citation?: string }[] }; query: { datasetsNamed: string[] } };
    expect(body.decision.allow).toBe(true);
    expect(body.decision.graphs).toContain(TFP_BASE);
    expect(body.decision.reasons[0]).toMatchObject({ code: 'role-holds-purpose', citation: 'SFB 114 kap. 8 § 3' });
    expect(body.query.datasetsNamed).toEqual([`${B}dataset/fk-tillfallig-foraldrapenning`]);
    expect(a.text).not.toContain('TFP-1');
    expect(fx.hub.deps.audit.readAll().length).toBe(seqBefore);
  });

  it('with regime=both shows that data analysis and selection is allowed only under the proposal, and what differs', async () => {
    const a = await ask(fx, {
      path: '/sparql/explain', token: TOKENS.fkAnalytiker, purpose: 'sou-2025-108-dataanalys-urval', regime: 'both',
      query: 'SELECT ?s ?score WHERE { ?s dlt:fkAuRiskpoang ?score }',
    });
    expect(a.status, a.text).toBe(200);
    const body = a.json() as {
      decisions: Record<string, { allow: boolean; code?: string; graphs: string[] }>;
      differences: { kind: string; values: Record<string, boolean>; message: string; dataset?: string; graph?: string }[];
    };
    expect(Object.keys(body.decisions)).toEqual(['gallande-ratt', 'sou-2025-108']);
    expect(body.decisions['gallande-ratt']).toMatchObject({ allow: false, code: 'purpose-not-in-force' });
    expect(body.decisions['sou-2025-108']!.allow).toBe(true);
    expect(body.decisions['sou-2025-108']!.graphs).toContain(`${B}graph/fk-analys-urval/analysis`);
    expect(body.differences[0]).toEqual({ kind: 'allow', values: { 'gallande-ratt': false, 'sou-2025-108': true }, message: 'The request is refused under gallande-ratt, allowed under sou-2025-108.' });
    expect(body.differences).toContainEqual(expect.objectContaining({ kind: 'dataset', dataset: `${B}dataset/fk-analys-urval`, values: { 'gallande-ratt': false, 'sou-2025-108': true } }));
    expect(a.text).not.toContain(FORBIDDEN.fkScore);
  });

  it('answers a browser with an HTML page', async () => {
    const a = await ask(fx, { path: '/sparql/explain', accept: 'text/html', token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3', regime: 'both', query: 'SELECT * WHERE { ?c dlt:tfpOmfattning ?o }' });
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^text\/html/);
    expect(a.text).toContain('Under gallande-ratt: allowed');
  });
});

describe('audit of every decision', () => {
  it('writes the decision before running and the rows after, before the answer leaves', async () => {
    const a = await ask(fx, {
      token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3', headers: { 'datalyft-transaction': 'fk-pm-corr-7' },
      query: 'SELECT ?c WHERE { ?c dlt:tfpOmfattning ?o } LIMIT 5',
    });
    expect(a.status).toBe(200);
    const entries = fx.hub.deps.audit.readAll();
    const decision = entries.find((e) => e.seq === Number(a.headers.get('datalyft-audit-entry')))!;
    expect(decision).toMatchObject({
      kind: 'decision', decision: 'allow', principal: `${B}principal/anna-fk-handlaggare`, agency: `${B}agency/fk`,
      role: `${B}role/fk-handlaggare`, purpose: `${B}purpose/sfb-114-8-p3`, regime: `${B}regime/gallande-ratt`, transaction: 'fk-pm-corr-7',
    });
    expect(decision.queryHash).toMatch(/^[0-9a-f]{64}$/);
    expect(decision.graphsPermitted).toContain(TFP_BASE);
    expect(decision.reasons!.some((r) => r.citation === 'SFB 114 kap. 8 § 3')).toBe(true);
    const completion = entries.find((e) => e.kind === 'completion' && e.refers === decision.seq)!;
    expect(completion).toMatchObject({ rows: 5, truncated: false, transaction: 'fk-pm-corr-7' });
    expect(Number(a.headers.get('datalyft-audit-completion'))).toBe(completion.seq);
  });

  it('writes denials too, with the reason code and provision', async () => {
    const a = await ask(fx, { token: TOKENS.pmKontroll, purpose: 'sfb-114-8-p4', query: 'SELECT ?score WHERE { ?s dlt:fkAuRiskpoang ?score }' });
    const entry = fx.hub.deps.audit.readAll().find((e) => e.seq === a.json().auditEntry)!;
    expect(entry).toMatchObject({ kind: 'decision', decision: 'deny', code: 'no-disclosure-channel', status: 403, graphsReached: [] });
    expect(entry.datasets).toContain(`${B}dataset/fk-analys-urval`);
    expect(entry.reasons!.find((r) => r.code === 'no-disclosure-channel')).toMatchObject({ citation: 'OSL 28 kap. 1 §' });
    expect(fx.hub.deps.audit.readAll().some((e) => e.kind === 'completion' && e.refers === entry.seq)).toBe(false);
  });
});
