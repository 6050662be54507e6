/**
 * Validates catalog files against shapes/ (SHACL, run by shacl-engine) and returns a report
 * a steward can act on: file, line, subject, rule and message per result. Never throws for
 * a violation or a Turtle syntax error in a file: both are results (STYLE principle 4).
 *
 * The data graph is the ontology + the named files + the rest of catalog/, so that a file
 * may refer to provisions, purposes and agencies defined elsewhere and sh:class can resolve
 * them. Only results whose focus node is defined in a named file are reported.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import N3 from 'n3';
import type { Quad, Term } from '@rdfjs/types';
// @ts-expect-error shacl-engine ships no type declarations; the part used is typed below.
import { Validator as UntypedValidator } from 'shacl-engine';
import { isDatalyftError } from '../errors.ts';
import { rdf, rdfs, sh, shorten } from '../rdf/namespaces.ts';
import { factory, listFiles, parseRdfFile } from '../rdf/parse.ts';
import { REPO_ROOT } from './catalog.ts';

export type Severity = 'violation' | 'warning';

export interface ValidationResult {
  severity: Severity;
  /** Relative to the repository root when inside it, else absolute. */
  file: string;
  /** Best effort: the line where the subject (or the offending value) is written. */
  line?: number;
  /** IRI of the focus node; absent for a syntax error. */
  subject?: string;
  /** The subject with a known prefix, e.g. `dlds:fk-tillfallig-foraldrapenning`. */
  shortSubject?: string;
  /** The property path the rule is about, prefixed, e.g. `dpv:hasPurpose`. */
  path?: string;
  /** SHACL constraint component without namespace (`minCount`, `class`, ...), or `syntax`. */
  rule: string;
  /** What to add or change, in English. */
  message: string;
  /** The same in Swedish, where the shape gives one. */
  messageSv?: string;
  /** The offending value (a dangling reference, a surplus section number ...), prefixed. */
  value?: string;
  /** The shape that failed, e.g. `dlsh:CoreDatasetShape`. */
  shape?: string;
}

export interface ValidationReport {
  /** True when there is no violation; warnings do not count. */
  conforms: boolean;
  /** The files validated (named, or found below the named folders). */
  files: string[];
  results: ValidationResult[];
}

export interface ValidateOptions {
  /** Files or folders to validate; default: catalog/. */
  paths?: string[];
  /** `violations`: shapes/catalog.ttl only; `all` (default) adds the recommendations. */
  shapes?: 'all' | 'violations';
}

export const SHAPES_DIR = path.join(REPO_ROOT, 'shapes');
export const VIOLATION_SHAPES = path.join(SHAPES_DIR, 'catalog.ttl');
export const RECOMMENDED_SHAPES = path.join(SHAPES_DIR, 'catalog-recommended.ttl');
const ONTOLOGY = path.join(REPO_ROOT, 'ontology', 'datalyft.ttl');
const CATALOG_DIR = path.join(REPO_ROOT, 'catalog');
const SHAPES_BASE = 'https://w3id.org/datalyft/shapes#';
const SUBCLASS_OF = `${rdfs.$base}subClassOf`;
const SH_PROPERTY = `${sh.$base}property`;

/** The part of shacl-engine's API used here. */
interface EnginePathStep {
  quantifier: 'one' | 'zeroOrMore' | 'oneOrMore' | 'zeroOrOne';
  start: 'subject' | 'object';
  predicates: Term[];
}
interface EngineResult {
  severity: Term;
  focusNode: { term: Term };
  constraintComponent: Term;
  path: EnginePathStep[] | null | undefined;
  value?: { term: Term };
  message: Term[];
  shape: { ptr: { term: Term } };
  results: EngineResult[];
}
interface EngineValidator {
  validate(data: { dataset: N3.Store }): Promise<{ conforms: boolean; results: EngineResult[] }>;
}
const Validator = UntypedValidator as new (shapes: N3.Store, options: { factory: unknown; details?: boolean }) => EngineValidator;

/** shacl-engine builds its report with `factory.dataset()`; an N3 store serves. */
const engineFactory = { ...factory, dataset: (quads?: Quad[]) => new N3.Store(quads) };

const LOGICAL = new Set(['and', 'or', 'not', 'xone', 'node']);

export async function validateCatalog(options: ValidateOptions = {}): Promise<ValidationReport> {
  const named = await filesBelow(options.paths ?? [CATALOG_DIR]);
  const namedSet = new Set(named);
  const context = (await filesBelow([ONTOLOGY, CATALOG_DIR])).filter((f) => !namedSet.has(f));

  const results: ValidationResult[] = [];
  const data: Quad[] = [];
  const fileOf = new Map<string, string>();
  // Named files first: a subject belongs to the first file that types it.
  for (const file of [...named, ...context]) {
    let quads: Quad[];
    try {
      quads = await parseRdfFile(file);
    } catch (error) {
      if (!isDatalyftError(error) || error.code !== 'rdf-syntax') throw error;
      const isNamed = namedSet.has(file);
      results.push({
        severity: isNamed ? 'violation' : 'warning',
        file: display(file),
        line: error.where?.line,
        rule: 'syntax',
        message: isNamed
          ? `${error.message} Fix the Turtle; nothing in this file was checked.`
          : `${error.message} This file was left out of the data graph, so references to what it defines do not resolve.`,
      });
      continue;
    }
    for (const q of quads) {
      const key = subjectKey(q.subject);
      if (!fileOf.has(key) && (q.predicate.value === rdf.type || q.subject.termType === 'BlankNode')) fileOf.set(key, file);
      data.push(q);
    }
  }

  const shapeQuads = await loadShapes(options.shapes ?? 'all');
  // shacl-engine resolves rdfs:subClassOf (for sh:class and sh:targetClass) in the shapes
  // graph, not the data graph: give it the ontology's class hierarchy there.
  const hierarchy = data.filter((q) => q.predicate.value === SUBCLASS_OF);
  const shapes = new N3.Store([...shapeQuads, ...hierarchy]);
  const validator = new Validator(shapes, { factory: engineFactory, details: true });
  const engineReport = await validator.validate({ dataset: new N3.Store(data) });

  const texts = new Map<string, Promise<string>>();
  const textOf = (file: string) => {
    if (!texts.has(file)) texts.set(file, readFile(file, 'utf8').catch(() => ''));
    return texts.get(file)!;
  };
  const seen = new Set<string>();
  for (const r of engineReport.results) {
    const focus = r.focusNode.term;
    const file = fileOf.get(subjectKey(focus));
    if (!file || !namedSet.has(file)) continue;
    const lifted = r.results.length > 0 && LOGICAL.has(ruleName(r.constraintComponent)) ? requirementOf(r) : undefined;
    const source = lifted ?? r;
    const value = r.value && !r.value.term.equals(focus) && !LOGICAL.has(ruleName(r.constraintComponent)) ? r.value.term : undefined;
    const messages = r.message.length > 0 ? r.message : source.message;
    const result: ValidationResult = {
      severity: r.severity.value === sh.Violation ? 'violation' : 'warning',
      file: display(file),
      line: lineOf(await textOf(file), focus, value),
      subject: focus.termType === 'BlankNode' ? `_:${focus.value}` : focus.value,
      shortSubject: focus.termType === 'BlankNode' ? `_:${focus.value}` : shortName(focus.value),
      path: renderPath(source.path),
      rule: ruleName(source.constraintComponent),
      message: pickMessage(messages, 'en') ?? `${ruleName(source.constraintComponent)} failed (${shortName(shapeOwner(shapes, r.shape.ptr.term).value)})`,
      messageSv: pickMessage(messages, 'sv', { exact: true }),
      value: value ? renderTerm(value) : undefined,
      shape: renderTerm(shapeOwner(shapes, r.shape.ptr.term)),
    };
    const key = JSON.stringify([result.severity, result.subject, result.path, result.rule, result.value, result.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    results.push(dropUndefined(result));
  }

  results.sort((a, b) =>
    a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.shortSubject ?? '').localeCompare(b.shortSubject ?? '')
    || severityRank(a.severity) - severityRank(b.severity) || (a.path ?? '').localeCompare(b.path ?? '') || (a.value ?? '').localeCompare(b.value ?? ''));
  return { conforms: !results.some((r) => r.severity === 'violation'), files: named.map(display), results };
}

async function filesBelow(paths: string[]): Promise<string[]> {
  const files = (await Promise.all(paths.map((p) => listFiles(path.resolve(p))))).flat();
  return [...new Set(files.map((f) => path.resolve(f)))].sort();
}

async function loadShapes(which: 'all' | 'violations'): Promise<Quad[]> {
  const files = which === 'all' ? [VIOLATION_SHAPES, RECOMMENDED_SHAPES] : [VIOLATION_SHAPES];
  return (await Promise.all(files.map((f) => parseRdfFile(f)))).flat();
}

/**
 * A conditional rule is written sh:or ( <condition does not hold> <requirement> ). Its own
 * result only says "or"; the nested results (shacl-engine `details`) say what is missing.
 * The requirement is the last nested result that has a path.
 */
function requirementOf(result: EngineResult): EngineResult | undefined {
  const nested: EngineResult[] = [];
  const walk = (r: EngineResult) => {
    for (const child of r.results) {
      if (child.path && child.path.length > 0 && !LOGICAL.has(ruleName(child.constraintComponent))) nested.push(child);
      walk(child);
    }
  };
  walk(result);
  return nested.at(-1);
}

/** sh:MinCountConstraintComponent → minCount. */
function ruleName(component: Term): string {
  const local = component.value.replace(/^.*[#/]/, '').replace(/ConstraintComponent$/, '');
  return local.charAt(0).toLowerCase() + local.slice(1);
}

function renderPath(steps: EnginePathStep[] | null | undefined): string | undefined {
  if (!steps || steps.length === 0) return undefined;
  return steps.map((step) => {
    const alternatives = step.predicates.map((p) => shortName(p.value)).join('|');
    const inner = step.predicates.length > 1 ? `(${alternatives})` : alternatives;
    const inverse = step.start === 'object' ? `^${inner}` : inner;
    return inverse + ({ one: '', zeroOrMore: '*', oneOrMore: '+', zeroOrOne: '?' } as const)[step.quantifier];
  }).join('/');
}

function shortName(iri: string): string {
  if (iri.startsWith(SHAPES_BASE)) return `dlsh:${iri.slice(SHAPES_BASE.length)}`;
  const short = shorten(iri);
  return short.startsWith('<') ? iri : short;
}

function renderTerm(term: Term): string {
  if (term.termType === 'NamedNode') return shortName(term.value);
  if (term.termType === 'BlankNode') return `_:${term.value}`;
  return JSON.stringify(term.value);
}

/** The named shape a (blank) property shape belongs to, for the report. */
function shapeOwner(shapes: N3.Store, shape: Term): Term {
  let current = shape;
  for (let depth = 0; current.termType === 'BlankNode' && depth < 10; depth++) {
    const parent = shapes.getSubjects(SH_PROPERTY, current, null)[0];
    if (!parent) break;
    current = parent;
  }
  return current;
}

function pickMessage(messages: Term[], lang: 'en' | 'sv', options: { exact?: boolean } = {}): string | undefined {
  const langOf = (t: Term) => (t.termType === 'Literal' ? t.language : '');
  const exact = messages.find((m) => langOf(m) === lang)?.value;
  if (exact || options.exact) return exact;
  return messages.find((m) => langOf(m) === '')?.value ?? messages[0]?.value;
}

function subjectKey(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

function display(file: string): string {
  const relative = path.relative(REPO_ROOT, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function severityRank(severity: Severity): number {
  return severity === 'violation' ? 0 : 1;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Best effort: the line where the subject's description starts (a line beginning with its
 * prefixed or full name), or, for a result about one value, the line in that description
 * where the value is written. 1-based; undefined when the text does not show the subject.
 */
function lineOf(text: string, subject: Term, value: Term | undefined): number | undefined {
  if (!text || subject.termType !== 'NamedNode') return undefined;
  const lines = text.split('\n');
  const prefixes = [...text.matchAll(/^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>/gim)].map((m) => ({ prefix: m[1] ?? '', base: m[2] ?? '' }));
  const spellings = (iri: string) => [
    `<${iri}>`,
    ...prefixes.filter((p) => iri.startsWith(p.base) && p.base.length > 0).map((p) => `${p.prefix}:${iri.slice(p.base.length)}`),
  ];
  const startsWith = (line: string, names: string[]) => names.some((n) => line.startsWith(n) && /^($|[\s;,.])/.test(line.slice(n.length)));
  const subjectNames = spellings(subject.value);
  // A subject may be described in more than one block of the file.
  const starts = lines.flatMap((line, i) => (startsWith(line, subjectNames) ? [i] : []));
  if (starts.length === 0) {
    const mention = lines.findIndex((line) => subjectNames.some((n) => containsName(line, n)));
    return mention < 0 ? undefined : mention + 1;
  }
  if (value?.termType === 'NamedNode') {
    const valueNames = spellings(value.value);
    for (const start of starts) {
      for (let i = start; i < lines.length; i++) {
        const line = lines[i] ?? '';
        if (i > start && /^[^\s#]/.test(line)) break; // the next subject's description
        if (valueNames.some((n) => containsName(line, n))) return i + 1;
      }
    }
  }
  return (starts[0] ?? 0) + 1;
}

function containsName(line: string, name: string): boolean {
  let from = 0;
  for (;;) {
    const at = line.indexOf(name, from);
    if (at < 0) return false;
    const before = at === 0 ? ' ' : line[at - 1] ?? ' ';
    const after = line[at + name.length] ?? ' ';
    if (!/[\w:-]/.test(before) && !/[\w-]/.test(after)) return true;
    from = at + 1;
  }
}
