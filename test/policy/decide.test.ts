import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { decide, decideAcross } from '../../src/policy/decide.ts';
import type { DecisionRequest } from '../../src/policy/types.ts';
import { GRAPHS } from '../../src/rdf/namespaces.ts';

const B = 'https://w3id.org/datalyft/';
const TFP = `${B}dataset/fk-tillfallig-foraldrapenning`;
const TODAY = `${B}regime/gallande-ratt`;
const PROPOSAL = `${B}regime/sou-2025-108`;
const graph = (suffix: string) => `${B}graph/fk-tillfallig-foraldrapenning/${suffix}`;
const purpose = (id: string) => `${B}purpose/${id}`;
const principal = (id: string) => `${B}principal/${id}`;

let catalog: Catalog;
beforeAll(async () => {
  catalog = await Catalog.load();
});

function request(fields: Partial<DecisionRequest>): DecisionRequest {
  return {
    regime: TODAY, time: new Date('2026-12-03T10:00:00Z'), datasetsNamed: [TFP], selectionElements: [],
    aggregateOnly: false, metadataOnly: false, ...fields,
  };
}

describe('decide', () => {
  it('lets an FK case handler reach TFP records for case handling, with the provision and the catalog fact', () => {
    const d = decide(request({ principal: principal('anna-fk-handlaggare'), purpose: purpose('sfb-114-8-p3') }), catalog);
    expect(d.allow).toBe(true);
    expect(d.graphs).toContain(graph('base'));
    expect(d.graphs).toContain(GRAPHS.catalog);
    const listed = d.datasets.find((x) => x.dataset === TFP)!.reasons.find((r) => r.code === 'dataset-lists-purpose')!;
    expect(listed.citation).toBe('SFB 114 kap. 8 § 3');
    expect(listed.fact).toEqual({ subject: TFP, predicate: 'https://w3id.org/dpv#hasPurpose', object: purpose('sfb-114-8-p3') });
  });

  it('refuses a purpose the role may not declare, citing SFB 114:13', () => {
    const d = decide(request({ principal: principal('anna-fk-handlaggare'), purpose: purpose('sfb-114-8-p4') }), catalog);
    expect(d.allow).toBe(false);
    expect(d.code).toBe('purpose-not-held-by-role');
    expect(d.status).toBe(403);
    expect(d.reasons[0]!.citation).toBe('SFB 114 kap. 13 §');
  });

  it('refuses data analysis and selection under today\'s law because it rests on the unenacted proposal', () => {
    const d = decide(request({ principal: principal('lena-fk-analys'), purpose: purpose('sou-2025-108-dataanalys-urval') }), catalog);
    expect(d.allow).toBe(false);
    expect(d.code).toBe('purpose-not-in-force');
    expect(d.reasons[0]!.message).toMatch(/proposal .* not enacted/);
    const proposal = decide(request({ principal: principal('lena-fk-analys'), purpose: purpose('sou-2025-108-dataanalys-urval'), regime: PROPOSAL }), catalog);
    expect(proposal.allow).toBe(true);
    expect(proposal.reasons.map((r) => r.code)).toContain('regime-is-proposal');
  });

  it('gives control measures the health graph only because TFP is also processed for case handling (SFB 114:11 2nd para p. 2)', () => {
    const d = decide(request({ principal: principal('karim-fk-kontroll'), purpose: purpose('sfb-114-8-p4') }), catalog);
    expect(d.allow).toBe(true);
    expect(d.graphs).toContain(graph('health'));
    const health = d.datasets.find((x) => x.dataset === TFP)!.classes.find((c) => c.protectionClass.endsWith('#HealthData'))!;
    expect(health.reasons[0]!.citation).toBe('SFB 114 kap. 11 §');
  });

  it('keeps data that indirectly reveals health from control measures today and opens it under the proposal', () => {
    const req = request({ principal: principal('karim-fk-kontroll'), purpose: purpose('sfb-114-8-p4') });
    const today = decide(req, catalog);
    expect(today.graphs).not.toContain(graph('indirect'));
    const { decisions, differences } = decideAcross(req, [TODAY, PROPOSAL], catalog);
    expect(decisions[PROPOSAL]!.graphs).toContain(graph('indirect'));
    expect(differences.join('\n')).toContain('fk-tillfallig-foraldrapenning/indirect is reachable under sou-2025-108 only');
  });

  it('refuses a query that names an element of a class the purpose may not reach', () => {
    const d = decide(request({
      principal: principal('karim-fk-kontroll'), purpose: purpose('sfb-114-8-p4'),
      elementsNamed: [`${B}element/fk-tfp-orsak`],
    }), catalog);
    expect(d.allow).toBe(false);
    expect(d.code).toBe('protection-class-not-permitted');
    expect(d.reasons.at(-1)!.message).toContain('orsak (dlt:tfpOrsak)');
  });

  it('refuses another agency without a disclosure channel for the purpose, citing the dataset\'s secrecy', () => {
    const d = decide(request({ principal: principal('per-pm-kontroll'), purpose: purpose('sfb-114-8-p4') }), catalog);
    expect(d.allow).toBe(false);
    expect(d.code).toBe('no-disclosure-channel');
    expect(d.reasons.find((r) => r.code === 'no-disclosure-channel')!.citation).toBe('OSL 28 kap. 1 §');
  });

  it('lets another agency in through a duty-to-supply channel that names it and the purpose', () => {
    const d = decide(request({ principal: principal('maria-pm-handlaggare'), purpose: purpose('sfb-114-8-p3') }), catalog);
    expect(d.allow).toBe(true);
    const channel = d.datasets.find((x) => x.dataset === TFP)!.reasons.filter((r) => r.code === 'disclosure-channel');
    expect(channel.map((r) => r.citation)).toContain('OSL 10 kap. 28 §');
  });

  it('refuses individual rows to a statistics purpose and allows aggregates', () => {
    const rows = decide(request({ principal: principal('olof-fk-statistik'), purpose: purpose('sfb-114-8-p7') }), catalog);
    expect(rows.allow).toBe(false);
    expect(rows.code).toBe('aggregates-only');
    const counts = decide(request({ principal: principal('olof-fk-statistik'), purpose: purpose('sfb-114-8-p7'), aggregateOnly: true }), catalog);
    expect(counts.allow).toBe(true);
    expect(counts.aggregatesOnly).toBe(true);
  });

  it('gives a reporting purpose no read access', () => {
    const d = decide(request({ principal: principal('eva-skolrapportor'), purpose: purpose('franvaroregister-rapportering'), regime: PROPOSAL, datasetsNamed: [] }), catalog);
    expect(d.allow).toBe(false);
    expect(d.code).toBe('purpose-is-write-only');
  });

  it('needs no purpose for public metadata and refuses record data without one', () => {
    const meta = decide(request({ datasetsNamed: [], metadataOnly: true }), catalog);
    expect(meta.allow).toBe(true);
    expect(meta.graphs.sort()).toEqual([GRAPHS.catalog, GRAPHS.ontology, GRAPHS.shapes].sort());
    const records = decide(request({}), catalog);
    expect(records.code).toBe('purpose-required');
    expect(records.status).toBe(400);
  });

  it('refuses a selection of persons on indirectly sensitive data for a purpose of a kind 114:12 does not name', () => {
    const d = decide(request({
      principal: principal('anna-fk-handlaggare'), purpose: purpose('sfb-114-8-p2'),
      selectionElements: [`${B}element/fk-tfp-orsak`],
    }), catalog);
    expect(d.allow).toBe(false);
    expect(d.code).toBe('selection-on-sensitive-data');
    expect(d.reasons.at(-1)!.citation).toBe('SFB 114 kap. 12 §');
  });
});

describe('decide across agencies', () => {
  it('carries ordinary personal data through a channel but not the health data it does not list', () => {
    const d = decide(request({ principal: principal('maria-pm-handlaggare'), purpose: purpose('sfb-114-8-p3') }), catalog);
    expect(d.allow).toBe(true);
    expect(d.graphs).toContain(graph('base'));
    expect(d.graphs).not.toContain(graph('health'));
    const health = d.datasets.find((x) => x.dataset === TFP)!.classes.find((c) => c.protectionClass.endsWith('#HealthData'))!;
    expect(health.reasons[0]!.code).toBe('channel-excludes-class');
    expect(health.reasons[0]!.citation).toBe('OSL 28 kap. 1 §');
  });
});
