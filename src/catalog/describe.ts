/**
 * The catalog triples that describe one resource, for its Turtle and JSON-LD forms: a
 * Concise Bounded Description (the resource's own triples, following blank nodes), widened
 * per kind of resource with the nodes that belong to it (a dataset's data elements and
 * disclosure channels) and with chosen inbound triples (the datasets that list a purpose,
 * the datasets and rules that cite a provision). Look-ups go through the catalog's indexed
 * N3 store, never a scan of all quads.
 */
import type { Quad, Term } from '@rdfjs/types';
import { dl, dpv, eli } from '../rdf/namespaces.ts';
import { factory } from '../rdf/parse.ts';
import type { Catalog } from './catalog.ts';
import type { Agency, Concept, Dataset, Provision, Purpose, Regime } from './model.ts';

export interface DescribeOptions {
  /** Predicates whose triples pointing at a described resource are included too. */
  inbound?: string[];
}

function key(q: Quad): string {
  const t = (term: Term): string => (term.termType === 'Literal' ? `"${term.value}"@${term.language}^^${term.datatype.value}` : `${term.termType}:${term.value}`);
  return `${t(q.subject)} ${t(q.predicate)} ${t(q.object)}`;
}

/** Triples (default graph) describing the given IRIs. */
export function describeQuads(catalog: Catalog, iris: string[], options: DescribeOptions = {}): Quad[] {
  const store = catalog.reader.store;
  const out = new Map<string, Quad>();
  const seenBlank = new Set<string>();
  const add = (q: Quad): void => {
    const triple = factory.quad(q.subject, q.predicate, q.object);
    out.set(key(triple), triple);
  };
  const visit = (subject: Term): void => {
    for (const q of store.getQuads(subject, null, null, null) as Quad[]) {
      add(q);
      if (q.object.termType === 'BlankNode' && !seenBlank.has(q.object.value)) {
        seenBlank.add(q.object.value);
        visit(q.object);
      }
    }
  };
  for (const iri of iris) {
    const node = factory.namedNode(iri);
    visit(node);
    for (const predicate of options.inbound ?? []) {
      for (const q of store.getQuads(null, factory.namedNode(predicate), node, null) as Quad[]) add(q);
    }
  }
  return [...out.values()];
}

export function datasetQuads(catalog: Catalog, ds: Dataset): Quad[] {
  return describeQuads(catalog, [ds.iri, ...ds.elements.map((e) => e.iri), ...ds.channels.map((c) => c.iri)]);
}

export function purposeQuads(catalog: Catalog, p: Purpose): Quad[] {
  return describeQuads(catalog, [p.iri], { inbound: [dpv.hasPurpose, dl.mayDeclare] });
}

export function provisionQuads(catalog: Catalog, p: Provision): Quad[] {
  return describeQuads(catalog, [p.iri], { inbound: [dl.legalBasis, dl.secrecy, dl.groundedIn, dl.provision, eli.is_part_of] });
}

export function regimeQuads(catalog: Catalog, r: Regime): Quad[] {
  return describeQuads(catalog, [r.iri]);
}

export function agencyQuads(catalog: Catalog, a: Agency): Quad[] {
  return describeQuads(catalog, [a.iri]);
}

export function conceptQuads(catalog: Catalog, c: Concept): Quad[] {
  return describeQuads(catalog, [c.iri], { inbound: [dl.concept] });
}
