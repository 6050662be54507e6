/**
 * The three queries the gate is measured on, who asks them and why. Each is a principal and
 * purpose the catalog allows for the datasets the query reaches:
 *
 * - lookup: one person's records by personnummer, every record graph the purpose reaches
 *   (FK control investigator, SFB 114:8 p. 4 — controls against incorrect payments).
 * - join: persons → decisions → payments across datasets (fk-beslut, fk-utbetalningar) on
 *   the shared predicates dlt:personnummer and dlt:beslutid, returning dlt:utbetalningid,
 *   for the persons born in one year (same principal and purpose).
 * - aggregate: payments counted per benefit and month (FK statistician, SFB 114:8 p. 7:
 *   aggregates only, small groups suppressed).
 *
 * Each run uses the next person (or birth year) of a fixed list, so no cache keyed on the
 * query text can flatter either side; gate and baseline get the same list in the same order.
 */
import { PREFIXES } from '../src/rdf/namespaces.ts';

export type QueryName = 'lookup' | 'join' | 'aggregate';

export interface Asker {
  /** Demo bearer token (config/demo-tokens.json) and the principal it stands for. */
  token: string;
  purpose: string;
}

export const INVESTIGATOR: Asker = { token: 'demo-fk-kontrollutredare', purpose: 'sfb-114-8-p4' };
export const STATISTICIAN: Asker = { token: 'demo-fk-statistiker', purpose: 'sfb-114-8-p7' };

const PREFIX = `PREFIX dlt: <${PREFIXES.dlt}>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n`;

/** SPARQL string literal content (personnummer of a replicated copy carries a suffix). */
function str(value: string): string {
  return JSON.stringify(value);
}

export function lookupQuery(personnummer: string): string {
  return `${PREFIX}SELECT ?record ?p ?o WHERE { ?record dlt:personnummer ${str(personnummer)} ; ?p ?o . }`;
}

export function joinQuery(birthYear: string): string {
  return `${PREFIX}SELECT ?personnummer ?beslut ?utbetalning ?belopp WHERE {
  ?decision a dlt:FkBeslut ; dlt:personnummer ?personnummer ; dlt:beslutid ?beslut .
  FILTER(STRSTARTS(?personnummer, ${str(birthYear)}))
  ?payment a dlt:FkUtbetalning ; dlt:beslutid ?beslut ; dlt:utbetalningid ?utbetalning ; dlt:fkUtbBelopp ?belopp .
}`;
}

export function aggregateQuery(): string {
  return `${PREFIX}SELECT ?formanstyp ?month (COUNT(?payment) AS ?payments) WHERE {
  ?payment a dlt:FkUtbetalning ; dlt:formanstyp ?formanstyp ; dlt:fkUtbUtbetalningsdatum ?date .
  BIND(SUBSTR(STR(?date), 1, 7) AS ?month)
} GROUP BY ?formanstyp ?month`;
}

/** The query used to pick persons: personnummer of FK decisions that have a payment. */
export const PERSONS_QUERY = `${PREFIX}SELECT DISTINCT ?personnummer WHERE {
  ?decision a dlt:FkBeslut ; dlt:personnummer ?personnummer ; dlt:beslutid ?beslut .
  ?payment a dlt:FkUtbetalning ; dlt:beslutid ?beslut .
} ORDER BY ?personnummer`;

export interface Workload {
  persons: string[];
  birthYears: string[];
}

/**
 * Up to `count` persons spread evenly over the sorted list (copies of replicated data left
 * out, so larger sizes look up the very same persons), and every birth year among them
 * that has at least two persons.
 */
export function workloadOf(personnummer: string[], count = 40): Workload {
  const originals = personnummer.filter((p) => !p.includes('-r')).sort();
  const step = Math.max(1, Math.floor(originals.length / count));
  const persons: string[] = [];
  for (let i = 0; i < originals.length && persons.length < count; i += step) persons.push(originals[i]!);
  const perYear = new Map<string, number>();
  for (const p of originals) perYear.set(p.slice(0, 4), (perYear.get(p.slice(0, 4)) ?? 0) + 1);
  const birthYears = [...perYear].filter(([, n]) => n >= 2).map(([y]) => y).sort();
  return { persons, birthYears };
}

export function queryFor(name: QueryName, workload: Workload, i: number): string {
  switch (name) {
    case 'lookup':
      return lookupQuery(workload.persons[i % workload.persons.length]!);
    case 'join':
      return joinQuery(workload.birthYears[i % workload.birthYears.length]!);
    case 'aggregate':
      return aggregateQuery();
  }
}

export function askerFor(name: QueryName): Asker {
  return name === 'aggregate' ? STATISTICIAN : INVESTIGATOR;
}
