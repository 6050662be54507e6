/**
 * GET /audit: the audit trail for those who check and follow up access (SFB 114:13), as
 * JSON-LD in PROV-O terms, filtered, and only for a role with a supervision purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonldToQuads } from '../../src/rdf/jsonld.ts';
import { prov, rdf } from '../../src/rdf/namespaces.ts';
import { ask, startFixtureHub, TOKENS, type Answer, type Fixture } from '../sparql/fixture.ts';

const B = 'https://w3id.org/datalyft/';
const SUPERVISION = 'sfb-114-13-uppfoljning';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixtureHub();
  // Some history: an FK read, an FK refusal, a PM refusal of FK data, a PM read of PM's own.
  await ask(fx, { token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p3', query: 'SELECT ?id WHERE { ?c dlt:arendeid ?id } LIMIT 4', headers: { 'datalyft-transaction': 'tx-fk-read' } });
  await ask(fx, { token: TOKENS.fkHandlaggare, purpose: 'sfb-114-8-p4', query: 'SELECT ?id WHERE { ?c dlt:arendeid ?id }' });
  await ask(fx, { token: TOKENS.pmKontroll, purpose: 'sfb-114-8-p4', query: 'SELECT ?s WHERE { ?s dlt:fkAuRiskpoang ?o }' });
  await ask(fx, { token: TOKENS.pmKontroll, purpose: 'sfb-114-8-p4', query: 'SELECT ?s WHERE { ?s dlt:pmAnaRiskpoang ?o }' });
});
afterAll(async () => {
  await fx?.close();
});

function readAudit(token: string | undefined, params: Record<string, string> = {}, purpose: string | null = SUPERVISION): Promise<Answer> {
  return ask(fx, { path: '/audit', token, params: Object.entries(params), headers: purpose ? { 'datalyft-purpose': purpose } : {} });
}

type Activity = Record<string, unknown> & { id: string; wasAssociatedWith: string; decision: string; reason: { reasonCode: string; citation?: string }[] };

function activities(a: Answer): Activity[] {
  expect(a.status, a.text).toBe(200);
  return (a.json()['@graph'] as Activity[]).filter((x) => x.decision !== undefined);
}

describe('GET /audit', () => {
  it('gives a data protection officer the entries in PROV-O terms, newest first', async () => {
    const a = await readAudit(TOKENS.fkDataskydd);
    expect(a.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const body = a.json();
    expect(body['@context']).toBe('https://w3id.org/datalyft/context.jsonld');
    const list = activities(a);
    const read = list.find((x) => x.transactionId === 'tx-fk-read')!;
    // Compacted with our context: IRIs as CURIEs of its prefixes, typed values as strings.
    expect(read).toMatchObject({
      type: ['Activity', 'AuditEntry'], wasAssociatedWith: 'dlpi:anna-fk-handlaggare', agency: 'dlag:fk', role: 'dlro:fk-handlaggare',
      decision: 'allow', purpose: ['dlpu:sfb-114-8-p3'], regime: 'dlrg:gallande-ratt', resultRows: '4',
    });
    expect(read.used as string[]).toContain('dlg:fk-tillfallig-foraldrapenning/base');
    expect(read.permittedGraph as string[]).toContain('dlg:fk-tillfallig-foraldrapenning/base');
    expect(read.startedAtTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(read.reason.some((r) => r.citation === 'SFB 114 kap. 8 § 3')).toBe(true);
    const seqs = list.map((x) => Number(x.auditSeq));
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x));

    // It is RDF: the activities expand to prov:Activity associated with the principal.
    const quads = await jsonldToQuads(body);
    expect(quads.some((q) => q.predicate.value === rdf.type && q.object.value === prov.Activity)).toBe(true);
    expect(quads.some((q) => q.predicate.value === prov.wasAssociatedWith && q.object.value === `${B}principal/anna-fk-handlaggare`)).toBe(true);
  });

  it("shows an agency's officer its own principals' entries and other agencies' requests for its data, not the rest", async () => {
    const fk = activities(await readAudit(TOKENS.fkDataskydd));
    const who = fk.map((x) => x.wasAssociatedWith);
    expect(who).toContain('dlpi:per-pm-kontroll'); // PM asked for FK's analysis results
    const pmOwn = fk.filter((x) => x.wasAssociatedWith === 'dlpi:per-pm-kontroll');
    expect(pmOwn.some((x) => x.decision === 'deny' && x.reason.some((r) => r.reasonCode === 'no-disclosure-channel'))).toBe(true);
    // PM's read of its own analysis results ran on the FK graphs PM's control purpose may
    // reach through disclosure channels, so FK's officer sees it too.
    expect(pmOwn.find((x) => x.decision === 'allow')?.used as string[]).toContain('dlds:fk-utbetalningar');
    const pm = activities(await readAudit(TOKENS.pmDataskydd));
    // Anna's refused control request concerned no PM dataset; her case-handling read ran on
    // the PM graphs FK may reach through channels, so PM's officer sees that one.
    expect(pm.filter((x) => x.wasAssociatedWith === 'dlpi:anna-fk-handlaggare' && x.decision === 'deny')).toEqual([]);
    expect(pm.map((x) => x.wasAssociatedWith)).not.toContain('dlpi:dso-fk');
    expect(pm.map((x) => x.wasAssociatedWith)).toContain('dlpi:per-pm-kontroll');
  });

  it('filters by principal, purpose, dataset, decision and time', async () => {
    const denied = activities(await readAudit(TOKENS.fkDataskydd, { decision: 'deny' }));
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((x) => x.decision === 'deny')).toBe(true);
    const anna = activities(await readAudit(TOKENS.fkDataskydd, { principal: 'anna-fk-handlaggare', purpose: 'sfb-114-8-p4' }));
    expect(anna).toHaveLength(1);
    expect(anna[0]!.decisionCode).toBe('purpose-not-held-by-role');
    const analysis = activities(await readAudit(TOKENS.fkDataskydd, { dataset: 'fk-analys-urval' }));
    expect(analysis.map((x) => x.wasAssociatedWith)).toContain('dlpi:per-pm-kontroll');
    expect(activities(await readAudit(TOKENS.fkDataskydd, { to: '2000-01-01' }))).toEqual([]);
    const bad = await readAudit(TOKENS.fkDataskydd, { decision: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.json().code).toBe('invalid-filter');
  });

  it('is refused to a role without a supervision purpose, to a missing purpose, and without a token', async () => {
    const handler = await readAudit(TOKENS.fkHandlaggare);
    expect(handler.status).toBe(403);
    expect(handler.json().code).toBe('purpose-not-held-by-role');
    const wrongPurpose = await readAudit(TOKENS.fkHandlaggare, {}, 'sfb-114-8-p3');
    expect(wrongPurpose.status).toBe(403);
    expect(wrongPurpose.json().code).toBe('audit-not-permitted');
    const noPurpose = await readAudit(TOKENS.fkDataskydd, { purpose: SUPERVISION }, null);
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.json().code).toBe('purpose-required');
    const anonymous = await readAudit(undefined);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json().code).toBe('authentication-required');
  });

  it('audits each reading of the trail, allowed or refused', async () => {
    const before = fx.hub.deps.audit.readAll().filter((e) => e.kind === 'audit-read').length;
    await readAudit(TOKENS.fkDataskydd, { decision: 'allow' });
    await readAudit(TOKENS.fkHandlaggare);
    const reads = fx.hub.deps.audit.readAll().filter((e) => e.kind === 'audit-read');
    expect(reads.length).toBe(before + 2);
    expect(reads.at(-2)).toMatchObject({ decision: 'allow', principal: `${B}principal/dso-fk`, filters: { decision: 'allow' } });
    expect(reads.at(-1)).toMatchObject({ decision: 'deny', code: 'purpose-not-held-by-role' });
  });
});
