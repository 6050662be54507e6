import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { isDatalyftError } from '../../src/errors.ts';
import { analyseQuery, resolveCodepointEscapes, rewriteQuery } from '../../src/sparql/analyse.ts';

const B = 'https://w3id.org/datalyft/';
const TFP = `${B}dataset/fk-tillfallig-foraldrapenning`;
const PM_ANALYS = `${B}dataset/pm-analys-urval`;
const el = (id: string) => `${B}element/${id}`;

let catalog: Catalog;
beforeAll(async () => {
  catalog = await Catalog.load();
});

function refusal(query: string): { code: string; status: number; message: string; where?: Record<string, unknown> } {
  try {
    analyseQuery(query, catalog);
  } catch (error) {
    if (isDatalyftError(error)) return { code: error.code, status: error.status, message: error.message, where: error.where };
    throw error;
  }
  throw new Error(`expected a refusal of ${query}`);
}

describe('analyseQuery: what a query names', () => {
  it('names a dataset by a predicate only its elements use, and the elements of every predicate named', () => {
    const a = analyseQuery('SELECT * WHERE { ?c dlt:tfpOmfattning ?x ; dlt:personnummer ?p }', catalog);
    expect(a.datasetsNamed).toEqual([TFP]);
    expect(a.elementsNamed).toContain(el('fk-tfp-omfattning'));
    expect(a.elementsNamed).toContain(el('fk-tfp-personnummer'));
    expect(a.metadataOnly).toBe(false);
  });

  it('names a dataset by its record class and by its graph IRI', () => {
    expect(analyseQuery('SELECT ?c WHERE { ?c a dlt:TillfalligForaldrapenningArende }', catalog).datasetsNamed).toEqual([TFP]);
    const g = analyseQuery(`SELECT * WHERE { GRAPH <${B}graph/pm-analys-urval/analysis> { ?s ?p ?o } }`, catalog);
    expect(g.datasetsNamed).toEqual([PM_ANALYS]);
    expect(g.recordGraphsNamed).toEqual([`${B}graph/pm-analys-urval/analysis`]);
  });

  it('resolves \\u escapes before parsing, as SPARQL 1.1 §19.2 and oxigraph do, so an escaped graph IRI is still recognised', () => {
    const a = analyseQuery(`SELECT * WHERE { GRAPH <${B}graph/pm-analys-\\u0075rval/analysis> { ?s ?p ?o } }`, catalog);
    expect(a.datasetsNamed).toEqual([PM_ANALYS]);
    expect(a.text).not.toContain('\\u');
    expect(resolveCodepointEscapes('"\\U0001F600"')).toBe('"\u{1F600}"');
  });

  it('treats a query with only variables, or only metadata vocabularies, as metadata-only', () => {
    expect(analyseQuery('SELECT * WHERE { ?s ?p ?o }', catalog).metadataOnly).toBe(true);
    expect(analyseQuery('SELECT ?d WHERE { ?d a dcat:Dataset ; dct:title ?t }', catalog).metadataOnly).toBe(true);
  });
});

describe('analyseQuery: selections', () => {
  it('counts a constant object, a FILTER, a VALUES and a BIND target as selecting persons on the element', () => {
    for (const q of [
      'SELECT ?c WHERE { ?c dlt:tfpBarnDiagnos "J45" }',
      'SELECT ?c WHERE { ?c dlt:tfpBarnDiagnos ?d FILTER(STRSTARTS(?d, "J")) }',
      'SELECT ?c WHERE { VALUES ?d { "J45" } ?c dlt:tfpBarnDiagnos ?d }',
      'SELECT ?c WHERE { BIND("J45" AS ?d) ?c dlt:tfpBarnDiagnos ?d }',
      'SELECT ?c WHERE { ?c dlt:personnummer ?p FILTER EXISTS { ?c dlt:tfpBarnDiagnos "J45" } }',
      'SELECT ?c WHERE { "J45" ^dlt:tfpBarnDiagnos ?c }',
    ]) {
      expect(analyseQuery(q, catalog).selectionElements, q).toContain(el('fk-tfp-barn-diagnos'));
    }
  });

  it('does not count reading an element as selecting on it', () => {
    expect(analyseQuery('SELECT ?c ?d WHERE { ?c dlt:tfpBarnDiagnos ?d }', catalog).selectionElements).toEqual([]);
  });

  it('flags a selection on a value through a variable predicate or a negated property set', () => {
    expect(analyseQuery('SELECT ?c WHERE { ?c ?p "J45" }', catalog).selectsOnAnyPredicate).toBe(true);
    expect(analyseQuery('SELECT ?c WHERE { ?c !(rdf:type) "J45" }', catalog).selectsOnAnyPredicate).toBe(true);
    expect(analyseQuery('SELECT ?c WHERE { VALUES ?p { dlt:tfpBarnDiagnos } ?c ?p ?d FILTER(?d = "J45") }', catalog).selectsOnAnyPredicate).toBe(true);
  });
});

describe('analyseQuery: aggregates only', () => {
  it('accepts counts grouped on a non-identifying element', () => {
    const a = analyseQuery('SELECT ?o (COUNT(*) AS ?n) WHERE { ?c dlt:tfpOmfattning ?o } GROUP BY ?o', catalog);
    expect(a.aggregateOnly).toBe(true);
    expect(a.countVariables).toEqual(['n']);
  });

  it('refuses individual rows, SAMPLE and GROUP_CONCAT, and groups of one person or one record', () => {
    const cases: [string, RegExp][] = [
      ['SELECT * WHERE { ?c dlt:tfpOmfattning ?o }', /SELECT \*/],
      ['SELECT ?o WHERE { ?c dlt:tfpOmfattning ?o }', /no aggregate/],
      ['SELECT (SAMPLE(?p) AS ?x) WHERE { ?c dlt:personnummer ?p }', /SAMPLE/],
      ['SELECT (GROUP_CONCAT(?p) AS ?x) WHERE { ?c dlt:personnummer ?p }', /GROUP_CONCAT/],
      ['SELECT ?p (COUNT(*) AS ?n) WHERE { ?c dlt:personnummer ?p ; dlt:tfpDatum ?d } GROUP BY ?p', /identifying/],
      ['SELECT ?c (COUNT(*) AS ?n) WHERE { ?c dlt:tfpDatum ?d } GROUP BY ?c', /identifying value or a record/],
      ['SELECT ?x (COUNT(*) AS ?n) WHERE { ?c dlt:personnummer ?p BIND(SUBSTR(?p, 1, 13) AS ?x) } GROUP BY ?x', /identifying/],
      ['SELECT (MIN(?p) AS ?first) WHERE { ?c dlt:personnummer ?p }', /MIN\(\?p\)/],
      ['ASK { ?c dlt:tfpOmfattning ?o }', /ASK/],
    ];
    for (const [q, why] of cases) {
      const a = analyseQuery(q, catalog);
      expect(a.aggregateOnly, q).toBe(false);
      expect(a.aggregateProblem, q).toMatch(why);
    }
  });

  it('adds a hidden group size and a row cap to what the engine runs', () => {
    const a = analyseQuery('SELECT ?o (COUNT(*) AS ?n) WHERE { ?c dlt:tfpOmfattning ?o } GROUP BY ?o LIMIT 500', catalog);
    const text = rewriteQuery(a, { limit: 101, groupSizeVariable: 'size' });
    expect(text).toMatch(/\(COUNT\(\*\) AS \?size\)/);
    expect(text).toMatch(/LIMIT 101/);
  });
});

describe('analyseQuery: refusals', () => {
  it('refuses what does not parse with the parser\'s message and line', () => {
    const r = refusal('SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER( }');
    expect(r.code).toBe('query-syntax');
    expect(r.status).toBe(400);
    expect(r.message).toMatch(/Parse error on line 3/);
    expect(r.where?.line).toBe(3);
  });

  it('refuses updates and LOAD', () => {
    expect(refusal('INSERT DATA { <http://a> <http://b> <http://c> }').code).toBe('update-not-allowed');
    expect(refusal('LOAD <http://example.org/data.ttl>').code).toBe('update-not-allowed');
    expect(refusal('DELETE WHERE { ?s ?p ?o }').code).toBe('update-not-allowed');
  });

  it('refuses SERVICE in every form with 403', () => {
    for (const q of [
      'SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }',
      'SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }',
      'SELECT * WHERE { BIND(<http://example.org/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } }',
      'SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }',
      'SELECT * WHERE { { SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } } } }',
    ]) {
      const r = refusal(q);
      expect(r.code, q).toBe('service-not-allowed');
      expect(r.status).toBe(403);
    }
  });

  it('refuses a text nested too deep before parsing it, so a deep query costs no parse time', () => {
    const started = Date.now();
    expect(refusal(`SELECT * WHERE ${'{ '.repeat(60000)}?s ?p ?o${' }'.repeat(60000)}`).code).toBe('too-complex');
    expect(refusal(`SELECT * WHERE { FILTER(${'('.repeat(100000)}1${')'.repeat(100000)}) }`).code).toBe('too-complex');
    expect(Date.now() - started).toBeLessThan(1000);
    // Braces inside strings, IRIs and comments do not count.
    expect(() => analyseQuery(`SELECT * WHERE { ?s ?p "${'{'.repeat(80)}" . ?s <http://example.org/a(((b)> ?o } # ${'{'.repeat(80)}`, catalog)).not.toThrow();
  });

  it('refuses a query longer than the limit with 413 query-too-long', () => {
    const r = refusal(`SELECT * WHERE { VALUES ?p { ${'"19850101-1234" '.repeat(20000)}} ?s ?x ?p }`);
    expect(r.code).toBe('query-too-long');
    expect(r.status).toBe(413);
  });

  it('refuses nesting deeper than the limit, wide unions and long operator chains with too-complex', () => {
    expect(refusal(`SELECT * WHERE ${'{ '.repeat(60)}?s ?p ?o${' }'.repeat(60)}`).code).toBe('too-complex');
    expect(refusal(`SELECT * WHERE { ${Array.from({ length: 70 }, (_, i) => `{ ?s ?p ${i} }`).join(' UNION ')} }`).code).toBe('too-complex');
    expect(refusal(`SELECT * WHERE { ?s ?p ?o FILTER(${Array.from({ length: 300 }, (_, i) => `?o = ${i}`).join(' || ')}) }`).code).toBe('too-complex');
  });
});
