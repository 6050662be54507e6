import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog, REPO_ROOT } from '../../src/catalog/catalog.ts';
import { buildInteropReport, interopJsonld, viewInteropReport, type InteropReport, type JoinPath } from '../../src/interop/report.ts';
import { decide } from '../../src/policy/decide.ts';
import { jsonldToQuads } from '../../src/rdf/jsonld.ts';
import { parseRdf } from '../../src/rdf/parse.ts';

const X = 'https://example.org/';
const TIME = new Date('2026-12-03T10:00:00Z');

// A small world: agencies a and b, a purpose in force under both regimes and one only under
// the proposal, datasets of a and one of b that discloses to a, and deliberate conflicts.
const INLINE = `
@prefix dl:   <https://w3id.org/datalyft/ns#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix dpv:  <https://w3id.org/dpv#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <${X}> .

ex:today a dl:LegalRegime ; dct:identifier "today" ; dl:isProposal false ; dl:validFrom "2020-01-01"^^xsd:date .
ex:proposal a dl:LegalRegime ; dct:identifier "proposal" ; dl:isProposal true .

ex:handling a dl:Purpose ; dct:identifier "handling" ; dl:purposeKind dl:CaseHandlingKind ; dl:inRegime ex:today , ex:proposal .
ex:analysis a dl:Purpose ; dct:identifier "analysis" ; dl:purposeKind dl:AnalysisSelectionKind ; dl:inRegime ex:proposal .

ex:a a dl:Agency ; dct:identifier "a" .
ex:b a dl:Agency ; dct:identifier "b" .
ex:a-handler a dl:Role ; dct:identifier "a-handler" ; dl:agency ex:a ; dl:mayDeclare ex:handling , ex:analysis .
ex:b-handler a dl:Role ; dct:identifier "b-handler" ; dl:agency ex:b ; dl:mayDeclare ex:handling .
ex:alice a dl:Principal ; dct:identifier "alice" ; dl:role ex:a-handler ; dl:agency ex:a .
ex:bob a dl:Principal ; dct:identifier "bob" ; dl:role ex:b-handler ; dl:agency ex:b .

ex:pnr a skos:Concept ; dct:identifier "pnr" ; dl:datatype xsd:string ; dl:identifying true .
ex:caseid a skos:Concept ; dct:identifier "caseid" ; dl:datatype xsd:string ; dl:identifying true .
ex:amount a skos:Concept ; dct:identifier "amount" ; dl:datatype xsd:decimal ; dl:unit "SEK" .
ex:day a skos:Concept ; dct:identifier "day" ; dl:datatype xsd:date .
ex:code a skos:Concept ; dct:identifier "code" .

ex:a1 a dcat:Dataset ; dct:identifier "a1" ; dpv:hasDataController ex:a ; dpv:hasPurpose ex:handling , ex:analysis ;
  dl:hasElement ex:a1-pnr , ex:a1-amount , ex:a1-note , ex:a1-code .
ex:a1-pnr a dl:DataElement ; dct:identifier "pnr" ; dl:predicate ex:pnr ; dl:concept ex:pnr ; dl:datatype xsd:string ; dl:protectionClass dl:BasicPersonalData .
ex:a1-amount a dl:DataElement ; dct:identifier "amount" ; dl:predicate ex:a1Amount ; dl:concept ex:amount ; dl:datatype xsd:decimal ; dl:protectionClass dl:BasicPersonalData .
ex:a1-note a dl:DataElement ; dct:identifier "note" ; dl:predicate ex:a1Note ; dl:datatype xsd:string ; dl:protectionClass dl:BasicPersonalData .
ex:a1-code a dl:DataElement ; dct:identifier "code" ; dl:predicate ex:a1Code ; dl:concept ex:code ; dl:datatype xsd:string ; dl:protectionClass dl:BasicPersonalData .

ex:a2 a dcat:Dataset ; dct:identifier "a2" ; dpv:hasDataController ex:a ; dpv:hasPurpose ex:handling , ex:analysis ;
  dl:hasElement ex:a2-pnr , ex:a2-amount , ex:a2-day , ex:a2-caseid , ex:a2-code .
ex:a2-pnr a dl:DataElement ; dct:identifier "pnr" ; dl:predicate ex:pnr ; dl:concept ex:pnr ; dl:datatype xsd:string ; dl:protectionClass dl:BasicPersonalData .
ex:a2-amount a dl:DataElement ; dct:identifier "amount" ; dl:predicate ex:a2Amount ; dl:concept ex:amount ; dl:datatype xsd:integer ; dl:protectionClass dl:BasicPersonalData .
ex:a2-day a dl:DataElement ; dct:identifier "day" ; dl:predicate ex:a2Day ; dl:concept ex:day ; dl:datatype xsd:date ; dl:protectionClass dl:BasicPersonalData .
ex:a2-caseid a dl:DataElement ; dct:identifier "caseid" ; dl:predicate ex:caseid ; dl:concept ex:caseid ; dl:datatype xsd:string ; dl:protectionClass dl:BasicPersonalData .
ex:a2-code a dl:DataElement ; dct:identifier "code" ; dl:predicate ex:a2Code ; dl:concept ex:code ; dl:datatype xsd:string ; dl:protectionClass dl:BasicPersonalData .

ex:b1 a dcat:Dataset ; dct:identifier "b1" ; dpv:hasDataController ex:b ; dpv:hasPurpose ex:handling ;
  dl:disclosureChannel ex:b1-to-a ;
  dl:hasElement ex:b1-pnr , ex:b1-amount , ex:b1-code .
ex:b1-to-a a dl:DisclosureChannel ; dct:identifier "b1-to-a" ; dl:channelKind dl:DutyToSupply ; dl:recipient ex:a ; dl:forPurpose ex:handling .
ex:b1-pnr a dl:DataElement ; dct:identifier "pnr" ; dl:predicate ex:pnr ; dl:concept ex:pnr ; dl:datatype xsd:string ; dl:protectionClass dl:BasicPersonalData .
ex:b1-amount a dl:DataElement ; dct:identifier "amount" ; dl:predicate ex:b1Amount ; dl:concept ex:amount ; dl:unit "SEK/month" ; dl:protectionClass dl:BasicPersonalData .
ex:b1-code a dl:DataElement ; dct:identifier "code" ; dl:predicate ex:b1Code ; dl:concept ex:code ; dl:datatype xsd:integer ; dl:protectionClass dl:BasicPersonalData .

# Its identity number sits in the health class, which no access rule opens: no join on it is lawful.
ex:a3 a dcat:Dataset ; dct:identifier "a3" ; dpv:hasDataController ex:a ; dpv:hasPurpose ex:handling ;
  dl:hasElement ex:a3-pnr .
ex:a3-pnr a dl:DataElement ; dct:identifier "pnr" ; dl:predicate ex:pnr ; dl:concept ex:pnr ; dl:datatype xsd:string ; dl:protectionClass dl:HealthData .
`;

function inlineCatalog(): Catalog {
  const ontology = parseRdf(readFileSync(path.join(REPO_ROOT, 'ontology', 'datalyft.ttl'), 'utf8'));
  return new Catalog([...ontology, ...parseRdf(INLINE)]);
}

function path2(report: InteropReport, a: string, b: string): JoinPath {
  const found = report.joinPaths.find((p) => (p.from.identifier === a && p.to.identifier === b) || (p.from.identifier === b && p.to.identifier === a));
  if (!found) throw new Error(`no join path ${a}–${b}`);
  return found;
}

function lawfulIds(p: JoinPath, regime: string): string[] {
  return p.lawful.find((l) => l.regimeId === regime)!.purposes.map((x) => `${x.purposeId}@${x.agencyIds.join('+')}`);
}

/** The lawful agencies of a join, by asking decide() directly with both datasets and elements named. */
function directlyLawful(catalog: Catalog, p: JoinPath, regime: string, purpose: string): string[] {
  const agencies = new Set<string>();
  for (const principal of catalog.principals.values()) {
    const role = principal.role ? catalog.roles.get(principal.role) : undefined;
    if (!role?.mayDeclare.includes(purpose)) continue;
    for (const ea of p.from.elementIris) {
      for (const eb of p.to.elementIris) {
        const d = decide({
          principal: principal.iri, purpose, regime, time: TIME, datasetsNamed: [p.from.id, p.to.id], elementsNamed: [ea, eb],
          selectionElements: [], aggregateOnly: true, metadataOnly: false,
        }, catalog);
        if (d.allow && principal.agency) agencies.add(principal.agency);
      }
    }
  }
  return [...agencies].sort();
}

describe('interoperability report over a small inline catalog', () => {
  let catalog: Catalog;
  let report: InteropReport;
  beforeAll(() => {
    catalog = inlineCatalog();
    report = buildInteropReport(catalog, { time: TIME });
  });

  it('computes the share of elements mapped to shared concepts per dataset, per agency and overall', () => {
    const row = (id: string) => report.datasets.find((d) => d.identifier === id)!;
    expect(row('a1')).toMatchObject({ elements: 4, mapped: 3, share: 0.75, unmapped: ['note'] });
    expect(row('a2')).toMatchObject({ elements: 5, mapped: 5, share: 1 });
    expect(row('b1')).toMatchObject({ elements: 3, mapped: 3, share: 1 });
    expect(report.summary).toMatchObject({ datasets: 4, elements: 13, mapped: 12, share: 0.9231 });
    const a = report.agencies.find((x) => x.identifier === 'a')!;
    expect(a).toMatchObject({ datasets: 3, elements: 10, mapped: 9, share: 0.9 });
  });

  it('detects a datatype that differs from the concept\'s canonical one, naming both sides', () => {
    const c = report.conflicts.find((x) => x.conceptId === 'amount' && x.aspect === 'datatype')!;
    expect(c).toMatchObject({ datasetId: 'a2', elementId: 'amount', value: 'http://www.w3.org/2001/XMLSchema#integer' });
    expect(c.against).toEqual({ kind: 'concept', concept: `${X}amount`, conceptId: 'amount', value: 'http://www.w3.org/2001/XMLSchema#decimal' });
    expect(c.example).toMatchObject({ kind: 'element', datasetId: 'a1', elementId: 'amount' });
    expect(c.message).toBe('a2/amount has datatype xsd:integer, but concept amount defines xsd:decimal.');
  });

  it('detects a unit that differs, and a datatype that differs from the other elements where the concept states none', () => {
    expect(report.conflicts.find((x) => x.aspect === 'unit')).toMatchObject({ conceptId: 'amount', datasetId: 'b1', value: 'SEK/month', against: { kind: 'concept', value: 'SEK' } });
    const code = report.conflicts.find((x) => x.conceptId === 'code')!;
    expect(code).toMatchObject({ aspect: 'datatype', datasetId: 'b1', value: 'http://www.w3.org/2001/XMLSchema#integer' });
    expect(code.against).toMatchObject({ kind: 'element', datasetId: 'a1', elementId: 'code', value: 'http://www.w3.org/2001/XMLSchema#string' });
    expect(report.conflicts).toHaveLength(3);
    expect(report.summary.conflictsByAspect).toEqual({ datatype: 2, unit: 1, codeList: 0 });
  });

  it('finds the join paths on the identifying concept shared by several datasets, and none on one held by one dataset', () => {
    expect(report.joinPaths.map((p) => `${p.conceptId} ${p.from.identifier}-${p.to.identifier}`).sort()).toEqual([
      'pnr a1-a2', 'pnr a1-a3', 'pnr a1-b1', 'pnr a2-a3', 'pnr a2-b1', 'pnr a3-b1',
    ]);
    expect(report.joinConcepts.find((c) => c.conceptId === 'caseid')).toMatchObject({ datasets: ['a2'], joinPaths: 0 });
  });

  it('says under which purposes each join is lawful per regime, and at which agency', () => {
    expect(lawfulIds(path2(report, 'a1', 'a2'), 'today')).toEqual(['handling@a']);
    // Analysis exists only under the proposal.
    expect(lawfulIds(path2(report, 'a1', 'a2'), 'proposal')).toEqual(['analysis@a', 'handling@a']);
    // b1 reaches agency a through its channel, for handling only; b has no channel for a1.
    expect(lawfulIds(path2(report, 'a1', 'b1'), 'today')).toEqual(['handling@a']);
    expect(lawfulIds(path2(report, 'a1', 'b1'), 'proposal')).toEqual(['handling@a']);
    expect(path2(report, 'a1', 'b1').crossAgency).toBe(true);
    // a3's identity number is health data no rule opens.
    expect(lawfulIds(path2(report, 'a1', 'a3'), 'today')).toEqual([]);
    expect(report.summary.lawfulJoinPaths.map((c) => `${c.regimeId} ${c.count}`)).toEqual(['today 3', 'proposal 3']);
  });

  it('agrees with decide() asked directly with both datasets and both joining elements named', () => {
    for (const p of report.joinPaths) {
      for (const regime of catalog.regimes.values()) {
        for (const purpose of catalog.purposes.values()) {
          const listed = p.lawful.find((l) => l.regime === regime.iri)!.purposes.find((x) => x.purpose === purpose.iri)?.agencies ?? [];
          expect(listed, `${p.from.identifier}-${p.to.identifier} ${regime.id} ${purpose.id}`).toEqual(directlyLawful(catalog, p, regime.iri, purpose.iri));
        }
      }
    }
  });

  it('groups, per concept, the datasets one agency may join for one purpose', () => {
    const groups = report.joinConcepts.find((c) => c.conceptId === 'pnr')!.lawfulGroups;
    expect(groups.map((g) => `${g.regimeId} ${g.purposeId}@${g.agencyId}: ${g.datasets.join(',')}`)).toEqual([
      'today handling@a: a1,a2,b1',
      'proposal analysis@a: a1,a2',
      'proposal handling@a: a1,a2,b1',
    ]);
  });

  it('narrows to one dataset and refuses an unknown one with dataset-not-found', () => {
    const view = viewInteropReport(report, catalog, { dataset: 'b1' });
    expect(view.filter).toEqual({ datasetId: 'b1' });
    expect(view.datasets.map((d) => d.identifier)).toEqual(['b1']);
    expect(view.joinPaths?.every((p) => p.from.identifier === 'b1' || p.to.identifier === 'b1')).toBe(true);
    expect(() => viewInteropReport(report, catalog, { dataset: 'nope' })).toThrow(expect.objectContaining({ code: 'dataset-not-found' }));
    expect(viewInteropReport(report, catalog).joinPaths).toBeUndefined();
  });

  it('reads as JSON-LD with our context, with nothing dropped (safe mode)', async () => {
    const quads = await jsonldToQuads(interopJsonld(viewInteropReport(report, catalog, { allPaths: true }), 'https://hub.example/interoperability'));
    expect(quads.some((q) => q.predicate.value === 'https://w3id.org/dpv#hasPurpose' && q.object.value === `${X}analysis`)).toBe(true);
  });
});

describe('interoperability report over the real catalog', () => {
  let catalog: Catalog;
  let report: InteropReport;
  beforeAll(async () => {
    catalog = await Catalog.load();
    report = buildInteropReport(catalog, { time: TIME });
  });

  it('yields a join path for every pair of datasets sharing an identifying concept', () => {
    for (const concept of [...catalog.concepts.values()].filter((c) => c.identifying)) {
      const datasets = new Set([...catalog.elements.values()].filter((e) => e.concept === concept.iri).map((e) => e.dataset));
      const paths = report.joinPaths.filter((p) => p.concept === concept.iri);
      expect(paths.length, concept.id).toBe((datasets.size * (datasets.size - 1)) / 2);
      if (datasets.size >= 2) expect(paths.length, concept.id).toBeGreaterThan(0);
    }
  });

  it('counts the overall share from the elements of every dataset', () => {
    const elements = [...catalog.datasets.values()].flatMap((d) => d.elements);
    const mapped = elements.filter((e) => e.concept && catalog.concepts.has(e.concept));
    expect(report.summary.elements).toBe(elements.length);
    expect(report.summary.mapped).toBe(mapped.length);
    expect(report.summary.share).toBeCloseTo(mapped.length / elements.length, 4);
  });

  it('lets FK join its own case-handling datasets on personnummer for case handling today', () => {
    const p = path2(report, 'fk-inkomster', 'fk-tillfallig-foraldrapenning');
    expect(p.conceptId).toBe('personnummer');
    expect(lawfulIds(p, 'gallande-ratt')).toContain('sfb-114-8-p3@fk');
    expect(lawfulIds(p, 'gallande-ratt').some((x) => x.startsWith('sou-2025-108'))).toBe(false);
    expect(lawfulIds(p, 'sou-2025-108')).toContain('sou-2025-108-dataanalys-urval@fk');
  });

  it('agrees with decide() asked directly on a sample of join paths', () => {
    const sample = report.joinPaths.filter((_, i) => i % 97 === 0);
    for (const p of sample) {
      for (const regime of catalog.regimes.values()) {
        for (const purpose of catalog.purposes.values()) {
          const listed = p.lawful.find((l) => l.regime === regime.iri)!.purposes.find((x) => x.purpose === purpose.iri)?.agencies ?? [];
          expect(listed, `${p.from.identifier}-${p.to.identifier} ${regime.id} ${purpose.id}`).toEqual(directlyLawful(catalog, p, regime.iri, purpose.iri));
        }
      }
    }
  });

  it('counts lawful join paths per regime and per agency', () => {
    for (const c of report.summary.lawfulJoinPaths) {
      expect(c.count).toBe(report.joinPaths.filter((p) => p.lawful.find((l) => l.regime === c.regime)!.purposes.length > 0).length);
    }
    const fk = report.agencies.find((a) => a.identifier === 'fk')!;
    expect(fk.internalJoinPaths).toBeGreaterThan(0);
    expect(fk.lawfulInternalJoinPaths.every((c) => c.count <= fk.internalJoinPaths)).toBe(true);
  });
});
