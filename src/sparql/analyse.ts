/**
 * Reading a query before the engine sees it. The only home of sparqljs: the request text is
 * parsed once, inspected as parsed terms (never as text), and re-serialised with the
 * sparqljs Generator; that re-serialisation, not the raw request, is what the engine runs.
 *
 * What the analysis yields is the input of the decision (DecisionRequest): which record
 * datasets and data elements the query names, which elements it selects persons on,
 * whether it returns aggregates only, whether it touches record data at all. These static
 * checks are the second line: the first is that the query runs on exactly the permitted
 * graphs (ARCHITECTURE.md), so a query that hides what it reaches (variable predicates,
 * paths, GRAPH ?g) still cannot reach anything else.
 *
 * Refused here: what does not parse (`query-syntax`), updates and LOAD
 * (`update-not-allowed`), SERVICE in any form (`service-not-allowed`), and queries nested
 * deeper or wider than the engine can take (`too-complex`; oxigraph's WASM traps at about
 * 700 levels and then fails every later call in the process).
 */
import sparqljs from 'sparqljs';
import type { Catalog } from '../catalog/catalog.ts';
import type { DataElement } from '../catalog/model.ts';
import { DatalyftError } from '../errors.ts';
import { DL_BASE, GRAPHS, PREFIXES, RECORD_GRAPH_BASE } from '../rdf/namespaces.ts';

export type QueryForm = 'bindings' | 'boolean' | 'graph';

export interface ComplexityLimits {
  /** Deepest nesting of graph patterns (groups, OPTIONAL, UNION, MINUS, GRAPH, sub-queries). */
  maxDepth: number;
  /** Deepest nesting of expressions and patterns together (`a || b || c` nests one level per operator). */
  maxExpressionDepth: number;
  /** Most branches in one UNION or one path alternative. */
  maxUnionWidth: number;
  /** Longest query text, in characters. */
  maxLength: number;
}

/**
 * Parsing is linear in the text but quadratic in brace nesting (sparqljs takes 2 s for
 * 2,000 nested groups, 18 s for 5,000) and runs on the event loop, so the limits are
 * checked on the brackets before parsing, and again on the parsed query.
 */
export const DEFAULT_LIMITS: ComplexityLimits = { maxDepth: 50, maxExpressionDepth: 256, maxUnionWidth: 64, maxLength: 256 * 1024 };

/** Node types that are expressions or paths rather than graph patterns. */
const EXPRESSION_TYPES = new Set(['operation', 'functionCall', 'aggregate', 'path']);

/** Record terms (predicates and classes of records) live here; metadata uses other vocabularies. */
const RECORD_TERM_BASE = `${DL_BASE}term#`;
const METADATA_GRAPHS = new Set<string>(Object.values(GRAPHS));

/** Aggregates whose value is a statistic; SAMPLE and GROUP_CONCAT hand back individual values. */
const STATISTIC_AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max']);
/** Aggregates whose value is one of the aggregated values: their argument must not identify anyone. */
const VALUE_AGGREGATES = new Set(['min', 'max']);

export interface QueryAnalysis {
  queryType: 'SELECT' | 'ASK' | 'CONSTRUCT' | 'DESCRIBE';
  form: QueryForm;
  /** Dataset clauses of the query (FROM, FROM NAMED); removed from the text the engine runs. */
  from: { default: string[]; named: string[] };
  /** Every IRI the query names, after \u escapes are resolved. */
  iris: string[];
  /** Record datasets named by graph IRI, record class or a predicate only their elements use. */
  datasetsNamed: string[];
  /** Data elements whose predicate the query names. */
  elementsNamed: string[];
  /** Data elements the query selects persons on (constant object, FILTER, VALUES, BIND). */
  selectionElements: string[];
  /**
   * The query selects on a value without naming the predicate (a variable predicate or a
   * negated property set with a constant or constrained object): the gate treats that as
   * a selection on every element the purpose can reach.
   */
  selectsOnAnyPredicate: boolean;
  /** IRIs under the record-graph base the query names (GRAPH, FROM, constants). */
  recordGraphsNamed: string[];
  /** Only aggregates leave: every projected value is a statistic or a non-identifying group key. */
  aggregateOnly: boolean;
  /** Why `aggregateOnly` is false, for the refusal message. */
  aggregateProblem?: string;
  /** Projected variables bound directly to COUNT(...), checked against the smallest group size. */
  countVariables: string[];
  /** True when the query names nothing of record data: no record dataset, element, graph or term. */
  metadataOnly: boolean;
  /** The query as the engine will run it (re-serialised, without FROM / FROM NAMED). */
  text: string;
  /** The parsed query, for the rewrites below. Treat as opaque. */
  readonly parsed: sparqljs.Query;
}

// ---------------------------------------------------------------------------------------
// Parsing

/**
 * SPARQL 1.1 Query §19.2: codepoint escapes (\uXXXX, \UXXXXXXXX) may appear anywhere in
 * the query string and are processed before parsing. sparqljs does not do this step (it
 * refuses `<…\u0074…>`), oxigraph does: without it, an escaped graph IRI would pass the
 * checks below unrecognised while the engine resolved it.
 */
export function resolveCodepointEscapes(text: string): string {
  return text.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})/g, (whole, short: string | undefined, long: string | undefined) => {
    const code = Number.parseInt(short ?? long ?? '', 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      throw new DatalyftError('query-syntax', `The query could not be parsed: ${whole} is not a Unicode code point.`, { status: 400 });
    }
    return String.fromCodePoint(code);
  });
}

function syntaxError(error: unknown): DatalyftError {
  if (error instanceof RangeError) {
    return new DatalyftError('too-complex', 'The query is nested too deeply to be read; simplify it (fewer nested groups or brackets).', { status: 400, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  const loc = (error as { hash?: { loc?: { first_line?: number; first_column?: number } } }).hash?.loc;
  // sparqljs lists every token it expected; the first lines say where and what.
  const lines = message.split('\n');
  const expecting = lines.find((l) => l.startsWith('Expecting'));
  const short = [lines[0], lines[1], lines[2], expecting && expecting.length > 300 ? `${expecting.slice(0, 300)} ...` : expecting].filter(Boolean).join('\n');
  return new DatalyftError('query-syntax', `The query could not be parsed: ${short}`, {
    status: 400,
    where: loc?.first_line ? { line: loc.first_line, column: (loc.first_column ?? 0) + 1 } : undefined,
    cause: error,
  });
}

/**
 * Deepest nesting of { } and ( ) in a query text, skipping strings, IRIs and comments.
 * Not a parser: it only lets the gate refuse a text too deep to be worth parsing. A
 * miscount errs either way harmlessly: the parsed query is checked again.
 */
export function bracketDepth(text: string): { braces: number; parens: number } {
  let braces = 0;
  let parens = 0;
  let maxBraces = 0;
  let maxParens = 0;
  const iri = /<[^<>"{}|^`\\\u0000-\u0020]*>/y;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else if (c === '"' || c === "'") {
      const long = text.startsWith(c.repeat(3), i);
      const close = long ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < text.length && !text.startsWith(close, j)) j += text[j] === '\\' ? 2 : 1;
      i = j + close.length - 1;
    } else if (c === '<') {
      iri.lastIndex = i;
      if (iri.test(text)) i = iri.lastIndex - 1;
    } else if (c === '{') {
      maxBraces = Math.max(maxBraces, ++braces);
    } else if (c === '}') {
      braces -= 1;
    } else if (c === '(') {
      maxParens = Math.max(maxParens, ++parens);
    } else if (c === ')') {
      parens -= 1;
    }
  }
  return { braces: maxBraces, parens: maxParens };
}

function checkText(text: string, limits: ComplexityLimits): void {
  if (text.length > limits.maxLength) {
    throw new DatalyftError('query-too-long', `The query is ${text.length} characters long; the limit is ${limits.maxLength}. Split it, or use fewer VALUES per query.`, { status: 413 });
  }
  const depth = bracketDepth(text);
  if (depth.braces > limits.maxDepth) {
    throw new DatalyftError('too-complex', `The query nests { } ${depth.braces} levels deep; the limit is ${limits.maxDepth}. Flatten nested groups.`, { status: 400, where: { depth: depth.braces } });
  }
  if (depth.parens > limits.maxExpressionDepth) {
    throw new DatalyftError('too-complex', `The query nests ( ) ${depth.parens} levels deep; the limit is ${limits.maxExpressionDepth}.`, { status: 400, where: { depth: depth.parens } });
  }
}

/** Parses a query or update; prefixes of our namespaces (dlt:, dlds:, dcat: ...) are predeclared. */
function parse(text: string): sparqljs.SparqlQuery {
  const parser = new sparqljs.Parser({ prefixes: { ...PREFIXES }, sparqlStar: false });
  try {
    return parser.parse(resolveCodepointEscapes(text));
  } catch (error) {
    if (error instanceof DatalyftError) throw error;
    throw syntaxError(error);
  }
}

// ---------------------------------------------------------------------------------------
// Walking the parsed query

type Node = Record<string, unknown>;

function isObject(value: unknown): value is Node {
  return typeof value === 'object' && value !== null;
}

function isTerm(value: unknown, termType: string): value is { termType: string; value: string } {
  return isObject(value) && value.termType === termType;
}

interface Triple {
  subject: Node;
  predicate: Node;
  object: Node;
}

interface Walk {
  iris: Set<string>;
  triples: Triple[];
  /** Variables constrained by FILTER, HAVING, VALUES or the target of BIND. */
  constrained: Set<string>;
  /** BIND target → variables of its expression; projection alias → variables of its expression. */
  derived: Map<string, Set<string>>;
  services: number;
  /** Deepest nesting of pattern nodes, and of all typed nodes. */
  maxDepth: number;
  maxExpressionDepth: number;
  widest: number;
}

function variablesIn(node: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) variablesIn(item, into);
  } else if (isObject(node)) {
    if (isTerm(node, 'Variable') || isTerm(node, 'BlankNode')) into.add(termName(node));
    else for (const value of Object.values(node)) variablesIn(value, into);
  }
  return into;
}

function termName(term: { termType: string; value: string }): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

/**
 * One generic walk over the parsed query: every IRI wherever it is (patterns, paths,
 * expressions, VALUES, templates, sub-queries, EXISTS), every triple pattern, the
 * constrained variables, and the nesting depth (each node with a `type` is a level).
 */
function walk(root: unknown): Walk {
  const out: Walk = { iris: new Set(), triples: [], constrained: new Set(), derived: new Map(), services: 0, maxDepth: 0, maxExpressionDepth: 0, widest: 0 };
  const visit = (node: unknown, depth: number, patternDepth: number): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth, patternDepth);
      return;
    }
    if (!isObject(node)) return;
    if (isTerm(node, 'NamedNode')) {
      out.iris.add(node.value);
      return;
    }
    if (typeof node.termType === 'string' && node.termType !== 'Quad') return;
    let level = depth;
    let patternLevel = patternDepth;
    if (typeof node.type === 'string') {
      level = depth + 1;
      if (level > out.maxExpressionDepth) out.maxExpressionDepth = level;
      if (!EXPRESSION_TYPES.has(node.type)) {
        patternLevel = patternDepth + 1;
        if (patternLevel > out.maxDepth) out.maxDepth = patternLevel;
      }
      switch (node.type) {
        case 'service':
          out.services += 1;
          break;
        case 'union':
          out.widest = Math.max(out.widest, Array.isArray(node.patterns) ? node.patterns.length : 0);
          break;
        case 'path':
          if (node.pathType === '|') out.widest = Math.max(out.widest, Array.isArray(node.items) ? node.items.length : 0);
          break;
        case 'filter':
          variablesIn(node.expression, out.constrained);
          break;
        case 'values':
          for (const row of (node.values as Node[] | undefined) ?? []) for (const key of Object.keys(row)) out.constrained.add(key.replace(/^\?/, ''));
          break;
        case 'bind':
          if (isTerm(node.variable, 'Variable')) {
            out.constrained.add(node.variable.value);
            out.derived.set(node.variable.value, variablesIn(node.expression));
          }
          break;
        default:
          break;
      }
    }
    if ('subject' in node && 'predicate' in node && 'object' in node) out.triples.push(node as unknown as Triple);
    // Aliases in projections and GROUP BY: ?alias derives from the expression's variables.
    if ('expression' in node && isTerm(node.variable, 'Variable') && node.type === undefined) {
      out.derived.set(node.variable.value, variablesIn(node.expression));
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'prefixes') continue;
      visit(value, level, patternLevel);
    }
  };
  visit(root, 0, 0);
  // Top-level VALUES (after WHERE) and HAVING constrain too.
  const query = root as Node;
  for (const row of (query.values as Node[] | undefined) ?? []) for (const key of Object.keys(row)) out.constrained.add(key.replace(/^\?/, ''));
  for (const having of (query.having as unknown[] | undefined) ?? []) variablesIn(having, out.constrained);
  return out;
}

/** IRIs a property path is made of, and whether it contains a negated property set. */
function pathPredicates(predicate: Node): { iris: string[]; negated: boolean; variable: boolean } {
  if (isTerm(predicate, 'Variable')) return { iris: [], negated: false, variable: true };
  if (isTerm(predicate, 'NamedNode')) return { iris: [predicate.value], negated: false, variable: false };
  const iris: string[] = [];
  let negated = false;
  const visit = (p: unknown): void => {
    if (isTerm(p, 'NamedNode')) iris.push(p.value);
    else if (isObject(p) && p.type === 'path') {
      if (p.pathType === '!') negated = true;
      for (const item of (p.items as unknown[]) ?? []) visit(item);
    }
  };
  visit(predicate);
  return { iris, negated, variable: false };
}

// ---------------------------------------------------------------------------------------
// The catalog view the analysis needs, built once per catalog

interface CatalogIndex {
  elementsByPredicate: Map<string, DataElement[]>;
  identifyingPredicates: Set<string>;
}

const indexes = new WeakMap<Catalog, CatalogIndex>();

function indexOf(catalog: Catalog): CatalogIndex {
  let index = indexes.get(catalog);
  if (!index) {
    const elementsByPredicate = new Map<string, DataElement[]>();
    const identifyingPredicates = new Set<string>();
    for (const element of catalog.elements.values()) {
      if (!element.predicate) continue;
      elementsByPredicate.set(element.predicate, [...(elementsByPredicate.get(element.predicate) ?? []), element]);
      if (element.identifying) identifyingPredicates.add(element.predicate);
    }
    index = { elementsByPredicate, identifyingPredicates };
    indexes.set(catalog, index);
  }
  return index;
}

/** The dataset a record-graph IRI belongs to (`…/graph/<dataset>/…`), if the catalog has it. */
export function datasetOfGraph(catalog: Catalog, graph: string): string | undefined {
  if (!graph.startsWith(RECORD_GRAPH_BASE) || METADATA_GRAPHS.has(graph)) return undefined;
  const id = graph.slice(RECORD_GRAPH_BASE.length).split('/')[0] ?? '';
  return catalog.resolve('dataset', id);
}

// ---------------------------------------------------------------------------------------
// Aggregates

interface AggregateCheck {
  ok: boolean;
  problem?: string;
  countVariables: string[];
}

function checkAggregates(query: sparqljs.Query, w: Walk, index: CatalogIndex): AggregateCheck {
  const no = (problem: string): AggregateCheck => ({ ok: false, problem, countVariables: [] });
  if (query.queryType !== 'SELECT') return no(`a ${query.queryType} query returns individual data, not aggregates`);
  const select = query as sparqljs.SelectQuery;
  const projected = select.variables as unknown[];
  if (projected.some((v) => isTerm(v, 'Wildcard'))) return no('SELECT * returns individual rows');
  const hasAggregate = JSON.stringify(projected).includes('"type":"aggregate"') || (select.group?.length ?? 0) > 0;
  if (!hasAggregate) return no('the query projects no aggregate and has no GROUP BY');

  // Variables that identify someone or something individual: values of identifying
  // elements, record IRIs (subjects), and whatever a variable or negated predicate binds.
  const unsafe = new Set<string>();
  for (const t of w.triples) {
    if (isTerm(t.subject, 'Variable') || isTerm(t.subject, 'BlankNode')) unsafe.add(termName(t.subject as never));
    const { iris, negated, variable } = pathPredicates(t.predicate);
    const objectName = isTerm(t.object, 'Variable') || isTerm(t.object, 'BlankNode') ? termName(t.object as never) : undefined;
    if (!objectName) continue;
    if (variable || negated || iris.some((p) => index.identifyingPredicates.has(p))) unsafe.add(objectName);
    if (isObject(t.predicate) && t.predicate.type === 'path' && JSON.stringify(t.predicate).includes('"pathType":"^"')) unsafe.add(objectName);
  }
  // Aliases inherit from what they are computed from (to a fixpoint).
  let grew = true;
  while (grew) {
    grew = false;
    for (const [alias, sources] of w.derived) {
      if (!unsafe.has(alias) && [...sources].some((s) => unsafe.has(s))) {
        unsafe.add(alias);
        grew = true;
      }
    }
  }

  const groupKeys = new Set<string>();
  for (const g of select.group ?? []) {
    const alias = (g as { variable?: { value: string } }).variable?.value;
    const expressionVars = variablesIn(g.expression);
    const key = alias ?? (isTerm(g.expression, 'Variable') ? g.expression.value : undefined);
    const bad = [...expressionVars].find((v) => unsafe.has(v));
    if (bad) return no(`GROUP BY ?${bad} makes groups of single persons or records (it is an identifying value or a record)`);
    if (key) groupKeys.add(key);
  }

  const countVariables: string[] = [];
  const expressionOk = (expression: unknown): string | undefined => {
    if (!isObject(expression)) return undefined;
    if (expression.type === 'aggregate') {
      const aggregation = String(expression.aggregation).toLowerCase();
      if (!STATISTIC_AGGREGATES.has(aggregation)) return `${aggregation.toUpperCase()} returns individual values`;
      if (VALUE_AGGREGATES.has(aggregation)) {
        const bad = [...variablesIn(expression.expression)].find((v) => unsafe.has(v));
        if (bad) return `${aggregation.toUpperCase()}(?${bad}) returns one person's identifying value`;
      }
      return undefined;
    }
    if (isTerm(expression, 'Variable')) return groupKeys.has(expression.value) ? undefined : `?${expression.value} is neither an aggregate nor a GROUP BY key`;
    if (isTerm(expression, 'Literal') || isTerm(expression, 'NamedNode')) return undefined;
    if (expression.type === 'operation' || expression.type === 'functionCall') {
      for (const arg of (expression.args as unknown[]) ?? []) {
        const problem = expressionOk(arg);
        if (problem) return problem;
      }
      return undefined;
    }
    return 'the projection is not an aggregate expression';
  };
  for (const item of projected) {
    if (isTerm(item, 'Variable')) {
      if (!groupKeys.has(item.value)) return no(`?${item.value} is projected but not grouped on`);
      continue;
    }
    const { expression, variable } = item as { expression: unknown; variable: { value: string } };
    const problem = expressionOk(expression);
    if (problem) return no(problem);
    if (isObject(expression) && expression.type === 'aggregate' && String(expression.aggregation).toLowerCase() === 'count') countVariables.push(variable.value);
  }
  return { ok: true, countVariables };
}

// ---------------------------------------------------------------------------------------

const generator = new sparqljs.Generator();

function generate(query: sparqljs.Query): string {
  try {
    return generator.stringify(query);
  } catch (error) {
    throw new DatalyftError('query-unsupported', `The query parsed but could not be re-serialised for the engine: ${error instanceof Error ? error.message : String(error)}`, { status: 400, cause: error });
  }
}

function withoutDataset(query: sparqljs.Query): sparqljs.Query {
  const copy = { ...query } as sparqljs.Query;
  delete (copy as { from?: unknown }).from;
  return copy;
}

export interface AnalyseOptions {
  limits?: ComplexityLimits;
}

/** Parses, checks and describes a query. Throws DatalyftError for what must be refused. */
export function analyseQuery(text: string, catalog: Catalog, options: AnalyseOptions = {}): QueryAnalysis {
  const limits = options.limits ?? DEFAULT_LIMITS;
  checkText(text, limits);
  const parsed = parse(text);
  if (parsed.type === 'update') {
    const kinds = [...new Set(parsed.updates.map((u) => ('updateType' in u ? u.updateType : (u as { type?: string }).type) ?? 'update'))];
    throw new DatalyftError('update-not-allowed', `The query endpoint answers queries only; this is an update (${kinds.join(', ')}). The hub is written to through ingest, never through SPARQL.`, { status: 400 });
  }
  const query = parsed;
  let w: Walk;
  try {
    w = walk(query);
  } catch (error) {
    if (error instanceof RangeError) throw new DatalyftError('too-complex', 'The query is nested too deeply to be checked; simplify it.', { status: 400, cause: error });
    throw error;
  }
  if (w.services > 0) {
    throw new DatalyftError('service-not-allowed', 'SERVICE is refused: the gate answers from the graphs it permits, and never sends (parts of) a query to another endpoint.', { status: 403 });
  }
  if (w.maxDepth > limits.maxDepth) {
    throw new DatalyftError('too-complex', `The query is nested ${w.maxDepth} levels deep; the limit is ${limits.maxDepth}. Flatten nested groups or expressions.`, { status: 400, where: { depth: w.maxDepth } });
  }
  if (w.maxExpressionDepth > limits.maxExpressionDepth) {
    throw new DatalyftError('too-complex', `The query's expressions are nested ${w.maxExpressionDepth} levels deep; the limit is ${limits.maxExpressionDepth}. Use IN (...) or VALUES instead of long chains of || and &&.`, { status: 400, where: { depth: w.maxExpressionDepth } });
  }
  if (w.widest > limits.maxUnionWidth) {
    throw new DatalyftError('too-complex', `The query has a UNION (or path alternative) of ${w.widest} branches; the limit is ${limits.maxUnionWidth}. Use VALUES for long lists.`, { status: 400, where: { width: w.widest } });
  }

  const index = indexOf(catalog);
  const iris = [...w.iris].sort();
  const datasets = new Set<string>();
  const elements = new Set<string>();
  const recordGraphs = new Set<string>();
  let recordTerms = false;
  for (const iri of iris) {
    if (iri.startsWith(RECORD_GRAPH_BASE) && !METADATA_GRAPHS.has(iri)) {
      recordGraphs.add(iri);
      const ds = datasetOfGraph(catalog, iri);
      if (ds) datasets.add(ds);
    }
    if (iri.startsWith(RECORD_TERM_BASE)) recordTerms = true;
    const byClass = catalog.datasetByRecordClass.get(iri);
    if (byClass) datasets.add(byClass);
    const byPredicate = catalog.datasetsByPredicate.get(iri);
    if (byPredicate?.length === 1) datasets.add(byPredicate[0]!);
    for (const el of index.elementsByPredicate.get(iri) ?? []) elements.add(el.iri);
  }

  // Selections: a triple whose far end is a constant, or a variable that is constrained.
  const selection = new Set<string>();
  let selectsOnAnyPredicate = false;
  for (const t of w.triples) {
    const { iris: predicates, negated, variable } = pathPredicates(t.predicate);
    const isPath = isObject(t.predicate) && t.predicate.type === 'path';
    const constant = (n: Node): boolean => isTerm(n, 'Literal') || isTerm(n, 'NamedNode');
    const constrained = (n: Node): boolean => (isTerm(n, 'Variable') || isTerm(n, 'BlankNode')) && w.constrained.has(termName(n as never));
    // For a plain triple only the object selects; a path may run either way (^, inverse).
    const selects = constant(t.object) || constrained(t.object) || (isPath && (constant(t.subject) || constrained(t.subject)));
    if (!selects) continue;
    if (variable || negated) selectsOnAnyPredicate = true;
    for (const p of predicates) for (const el of index.elementsByPredicate.get(p) ?? []) selection.add(el.iri);
  }
  // A predicate bound by VALUES or BIND is still a variable in the pattern: it counts as a
  // selection on any predicate above, and the IRI it is bound to is named (elementsNamed).

  const aggregates = checkAggregates(query, w, index);
  const from = { default: (query.from?.default ?? []).map((t) => t.value), named: (query.from?.named ?? []).map((t) => t.value) };
  const metadataOnly = datasets.size === 0 && elements.size === 0 && recordGraphs.size === 0 && !recordTerms;
  const analysis = {
    queryType: query.queryType,
    form: query.queryType === 'SELECT' ? 'bindings' : query.queryType === 'ASK' ? 'boolean' : 'graph',
    from,
    iris,
    datasetsNamed: [...datasets].sort(),
    elementsNamed: [...elements].sort(),
    selectionElements: [...selection].sort(),
    selectsOnAnyPredicate,
    recordGraphsNamed: [...recordGraphs].sort(),
    aggregateOnly: aggregates.ok,
    aggregateProblem: aggregates.problem,
    countVariables: aggregates.countVariables,
    metadataOnly,
    parsed: query,
  } as Omit<QueryAnalysis, 'text'> as QueryAnalysis;
  // Written when first read (explain, non-SELECT forms): a SELECT through the gate is
  // written once, by rewriteQuery, with its LIMIT.
  let written: string | undefined;
  Object.defineProperty(analysis, 'text', { enumerable: true, get: () => (written ??= generate(withoutDataset(query))) });
  return analysis;
}

export interface Rewrite {
  /** Cap the solutions (SELECT only): LIMIT min(existing, limit). */
  limit?: number;
  /** Add `(COUNT(*) AS ?name)` to an aggregate SELECT: the size of each group, for suppression. */
  groupSizeVariable?: string;
}

/** The engine's text for a query, with the gate's own additions. */
export function rewriteQuery(analysis: QueryAnalysis, rewrite: Rewrite): string {
  const query = withoutDataset(analysis.parsed) as sparqljs.Query;
  if (query.queryType !== 'SELECT') return analysis.text;
  const select = { ...query } as sparqljs.SelectQuery;
  if (rewrite.limit !== undefined) select.limit = Math.min(select.limit ?? Number.POSITIVE_INFINITY, rewrite.limit);
  if (rewrite.groupSizeVariable) {
    const count = {
      expression: { type: 'aggregate', aggregation: 'count', distinct: false, expression: new sparqljs.Wildcard() },
      variable: { termType: 'Variable', value: rewrite.groupSizeVariable },
    };
    select.variables = [...(select.variables as sparqljs.Variable[]), count as unknown as sparqljs.Variable];
  }
  return generate(select);
}

/** A variable name the query does not use. */
export function freshVariable(analysis: QueryAnalysis, stem: string): string {
  const used = variablesIn(analysis.parsed);
  let name = stem;
  for (let i = 1; used.has(name); i++) name = `${stem}${i}`;
  return name;
}

export { METADATA_GRAPHS };
