/**
 * RDF/JS quads to N-Triples lines, the form the durable database keeps and the query
 * worker loads. One quad is one line body `<s> <p> "o"` (no graph: each graph has its own
 * table, and no ` .`): the same term always gives the same text, so the database's primary
 * key makes re-adding idempotent and removing finds the row.
 *
 * Every term is checked here, before anything is written: a batch with an IRI oxigraph
 * would refuse must fail as a whole at the door, never after the database has committed
 * it (the engine could then not be rebuilt from the database). Common IRIs pass a fast
 * RFC 3986 subset pattern; anything else is asked of oxigraph itself, once, and cached.
 * Language tags are lower-cased, as oxigraph keeps them.
 *
 * One difference remains: oxigraph keeps some typed literals by value ("007"^^xsd:integer
 * is stored as 7), the database keeps the lexical form. Two lexical forms of one value are
 * then two rows but one quad in the engine, and `size()` counts rows.
 */
import * as ox from 'oxigraph';
import type { Quad, Term } from '@rdfjs/types';
import { DatalyftError } from '../errors.ts';
import { isEngineTrap } from './run-query.ts';
import type { CommitBatch } from './types.ts';

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const RDF_DIR_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString';

/**
 * http(s) IRIs made only of unreserved and delimiter characters of RFC 3986 (no percent
 * escapes): every one is an IRI oxigraph accepts. Plain character classes, no alternation,
 * so the test is a few nanoseconds per character. Anything else is asked of oxigraph.
 */
const SIMPLE_IRI = /^https?:\/\/[A-Za-z0-9.-]+(?::[0-9]+)?(?:\/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*)?(?:\?[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*)?(?:#[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*)?$/;
/** N-Triples BLANK_NODE_LABEL restricted to ASCII; other labels are asked of oxigraph. */
const SIMPLE_BLANK = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;
const NEEDS_ESCAPE = /[\\"\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r' };

/** Graph key of the default graph in the database and in worker messages. */
export const DEFAULT_GRAPH_KEY = '';

export interface SerializedBatch {
  /** Graph keys to drop, in the order given, without repeats. */
  drop: string[];
  /** Graph key → line bodies to remove. */
  remove: Map<string, string[]>;
  /** Graph key → line bodies to add. */
  add: Map<string, string[]>;
}

class TermError extends Error {}

/**
 * oxigraph answers a term check by throwing; a trap means this thread's oxigraph instance
 * is broken (something else trapped it), not that the term is bad.
 */
function checkedBy(check: () => void, problem: (error: Error) => string): void {
  try {
    check();
  } catch (error) {
    if (isEngineTrap(error)) {
      throw new DatalyftError('engine-crashed', `The term checker (oxigraph in this process) is broken by an earlier trap (${(error as Error).message}); restart the process.`, { status: 500, cause: error });
    }
    throw new TermError(problem(error as Error));
  }
}

const CACHE_LIMIT = 100_000;

/** Writes terms as N-Triples and checks them; remembers what oxigraph accepted. */
export class NTriplesWriter {
  private readonly checkedIris = new Set<string>();
  private readonly checkedBlanks = new Set<string>();
  private readonly languages = new Map<string, string>();

  iri(value: string): string {
    if (value === this.lastIri) return this.lastIriText;
    if (SIMPLE_IRI.test(value) || this.checkedIris.has(value)) return this.rememberIri(value);
    checkedBy(() => ox.namedNode(value), (error) => `<${value}> is not an absolute IRI (${error.message})`);
    if (this.checkedIris.size >= CACHE_LIMIT) this.checkedIris.clear();
    this.checkedIris.add(value);
    return this.rememberIri(value);
  }

  private lastIri = '';
  private lastIriText = '';

  private rememberIri(value: string): string {
    this.lastIri = value;
    this.lastIriText = `<${value}>`;
    return this.lastIriText;
  }

  blank(value: string): string {
    if (SIMPLE_BLANK.test(value) || this.checkedBlanks.has(value)) return `_:${value}`;
    checkedBy(() => ox.blankNode(value), () => `_:${value} is not a valid blank node label`);
    if (this.checkedBlanks.size >= CACHE_LIMIT) this.checkedBlanks.clear();
    this.checkedBlanks.add(value);
    return `_:${value}`;
  }

  /** The language tag as oxigraph keeps it (lower case), or an error if it is not BCP 47. */
  language(tag: string): string {
    const known = this.languages.get(tag);
    if (known !== undefined) return known;
    let normal = '';
    checkedBy(() => {
      normal = ox.literal('', tag).language;
    }, (error) => `"${tag}" is not a language tag (${error.message})`);
    if (this.languages.size >= CACHE_LIMIT) this.languages.clear();
    this.languages.set(tag, normal);
    return normal;
  }

  literal(term: Term & { termType: 'Literal' }): string {
    let value = term.value;
    if (NEEDS_ESCAPE.test(value)) value = value.replace(/[\\"\n\r]/g, (c) => ESCAPES[c]!);
    if (term.language) {
      const direction = (term as { direction?: string }).direction;
      if (direction && direction !== 'ltr' && direction !== 'rtl') throw new TermError(`"${direction}" is not a base direction (ltr or rtl)`);
      return `"${value}"@${this.language(term.language)}${direction ? `--${direction}` : ''}`;
    }
    const datatype = term.datatype?.value ?? XSD_STRING;
    if (datatype === XSD_STRING) return `"${value}"`;
    if (datatype === RDF_LANG_STRING || datatype === RDF_DIR_LANG_STRING) throw new TermError('a language-tagged string has no language tag');
    return `"${value}"^^${this.iri(datatype)}`;
  }

  subject(term: Term): string {
    if (term.termType === 'NamedNode') return this.iri(term.value);
    if (term.termType === 'BlankNode') return this.blank(term.value);
    throw new TermError(`a ${term.termType} cannot be a subject`);
  }

  predicate(term: Term): string {
    if (term.termType === 'NamedNode') return this.iri(term.value);
    throw new TermError(`a ${term.termType} cannot be a predicate`);
  }

  object(term: Term): string {
    switch (term.termType) {
      case 'NamedNode':
        return this.iri(term.value);
      case 'Literal':
        return this.literal(term);
      case 'BlankNode':
        return this.blank(term.value);
      case 'Quad':
        if (term.graph.termType !== 'DefaultGraph') throw new TermError('a triple term cannot name a graph');
        return `<<( ${this.subject(term.subject)} ${this.predicate(term.predicate)} ${this.object(term.object)} )>>`;
      default:
        throw new TermError(`a ${term.termType} cannot be an object`);
    }
  }

  /** The graph key: the IRI, or '' for the default graph. */
  graph(term: Term): string {
    if (term.termType === 'DefaultGraph') return DEFAULT_GRAPH_KEY;
    if (term.termType === 'NamedNode') {
      this.iri(term.value);
      return term.value;
    }
    throw new TermError(`a ${term.termType} cannot name a graph (the hub's graphs are named by IRIs)`);
  }

  /** Groups the quads by graph key as line bodies; throws `invalid-term` naming the quad. */
  group(quads: readonly Quad[], what: 'add' | 'remove'): Map<string, string[]> {
    const out = new Map<string, string[]>();
    let lastGraph: Term | undefined;
    let lastLines: string[] | undefined;
    // Consecutive quads mostly share the subject (one record) and reuse predicate terms.
    let lastSubjectIri: string | undefined;
    let lastSubjectText = '';
    const predicates = new Map<Term, string>();
    for (let i = 0; i < quads.length; i++) {
      const q = quads[i]!;
      let position = 'subject';
      try {
        let s: string;
        if (q.subject.termType === 'NamedNode' && q.subject.value === lastSubjectIri) s = lastSubjectText;
        else {
          s = this.subject(q.subject);
          lastSubjectIri = q.subject.termType === 'NamedNode' ? q.subject.value : undefined;
          lastSubjectText = s;
        }
        position = 'predicate';
        let p = predicates.get(q.predicate);
        if (p === undefined) {
          p = this.predicate(q.predicate);
          if (predicates.size < 10_000) predicates.set(q.predicate, p);
        }
        position = 'object';
        const o = this.object(q.object);
        position = 'graph';
        if (lastGraph === undefined || !(q.graph === lastGraph || q.graph.equals(lastGraph))) {
          const key = this.graph(q.graph);
          lastLines = out.get(key);
          if (!lastLines) out.set(key, (lastLines = []));
          lastGraph = q.graph;
        }
        lastLines!.push(`${s} ${p} ${o}`);
      } catch (error) {
        if (!(error instanceof TermError)) throw error;
        throw new DatalyftError('invalid-term', `Quad ${i + 1} to ${what} has an invalid ${position}: ${error.message}. Nothing of the batch was written.`, {
          status: 400,
          where: { quad: i + 1, position, list: what },
        });
      }
    }
    return out;
  }

  /** Checks and serialises a whole batch; nothing is written anywhere yet. */
  serialize(batch: CommitBatch): SerializedBatch {
    const drop: string[] = [];
    for (const g of batch.dropGraphs ?? []) {
      if (typeof g !== 'string' || g === '') {
        throw new DatalyftError('invalid-term', `Graph to drop ${JSON.stringify(g)} is not a graph IRI. Nothing of the batch was written.`, { status: 400, where: { list: 'dropGraphs' } });
      }
      if (!drop.includes(g)) drop.push(g);
    }
    return { drop, remove: this.group(batch.remove ?? [], 'remove'), add: this.group(batch.add ?? [], 'add') };
  }
}

/** True when a line body mentions a blank node (oxigraph's bulk load would rename it). */
export function hasBlankNode(line: string): boolean {
  return line.charCodeAt(0) === 95 /* _ */ || line.includes(' _:') || line.includes('( _:');
}

/** Line bodies to N-Triples text. */
export function toNTriples(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join(' .\n')} .\n`;
}
