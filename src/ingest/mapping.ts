/**
 * Source-system mappings: declarative, one folder per source system under mappings/.
 *
 *   mappings/<source-system>/mapping.jsonld   a JSON-LD context: the system's own field
 *                                             names → record properties (dl:predicate of the
 *                                             catalog's elements) with their datatypes; one
 *                                             type-scoped context per record type where the
 *                                             same field name means different things
 *   mappings/<source-system>/mapping.json     which datasets it feeds (layouts): the record
 *                                             type, the fields forming the record id, and
 *                                             declarative normalisations, code tables,
 *                                             defaults and fields to ignore
 *
 * The JSON-LD context is the definition; jsonld.toRDF over it is the reference. Because
 * jsonld.toRDF maps about a tenth as fast as building quads directly (ARCHITECTURE.md),
 * each layout's context is compiled once into a field → (predicate, datatype, element)
 * table and records are mapped from that; test/ingest/mappings.test.ts proves on every
 * fixture that both give the same quads.
 *
 * A dataset without a mapping still has a layout: the canonical one, whose field names are
 * the elements' identifiers in the catalog (`personnummer`, `period-from`) plus `id`.
 * So a dataset a steward adds can take records at once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NamedNode, Quad } from '@rdfjs/types';
import { REPO_ROOT, type Catalog } from '../catalog/catalog.ts';
import type { DataElement, Dataset } from '../catalog/model.ts';
import { DatalyftError } from '../errors.ts';
import { registerLocalDocument } from '../rdf/jsonld.ts';
import { DL_BASE, dl, rdf, xsd } from '../rdf/namespaces.ts';
import { factory } from '../rdf/parse.ts';
import { lexicalOf, yearOf } from './datatypes.ts';
import { normalisation, type Normalisation } from './normalise.ts';

export const MAPPINGS_DIR = path.join(REPO_ROOT, 'mappings');
export const RECORD_BASE = `${DL_BASE}record/`;
export const CANONICAL_SYSTEM = 'canonical';
/** The field holding the record id in the canonical layout. */
export const CANONICAL_ID_FIELD = 'id';

export function mappingContextUrl(sourceSystem: string): string {
  return `${DL_BASE}mapping/${sourceSystem}/mapping.jsonld`;
}

/** Extra door-only constraints a source system states for its own fields (JSON Schema keywords). */
export interface FieldConstraint {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  enum?: unknown[];
  maxLength?: number;
  minLength?: number;
  /** Why the source system has this rule (shown in the schema's description). */
  because?: string;
}

export interface LayoutSpec {
  /** Dataset identifier (dct:identifier) the records feed. */
  dataset: string;
  /** A term of mapping.jsonld whose scoped context and @id (the record class) apply. */
  type?: string;
  /** Source fields whose values, joined by "-", form the record id. */
  id: string[];
  description?: string;
  normalise?: Record<string, string | string[]>;
  /** Code tables: source code → value, per field ("B" → "bifall"). */
  codes?: Record<string, Record<string, string | number | boolean>>;
  /** Values given to a field the record leaves out. */
  defaults?: Record<string, string | number | boolean>;
  /** Fields the source sends that the hub does not keep (they may still form the id). */
  ignore?: string[];
  constraints?: Record<string, FieldConstraint>;
}

export interface MappingSpec {
  sourceSystem: string;
  title: string;
  description?: string;
  /** Who runs the source system. */
  operator?: string;
  /** The context file, relative to the folder; default mapping.jsonld. */
  context?: string;
  /** Normalisations, codes and ignored fields shared by every layout (a layout's own win). */
  normalise?: Record<string, string | string[]>;
  codes?: Record<string, Record<string, string | number | boolean>>;
  ignore?: string[];
  layouts: LayoutSpec[];
}

export interface LoadedMapping {
  spec: MappingSpec;
  dir: string;
  /** mapping.json, relative to the repository. */
  file: string;
  contextUrl: string;
  context: Record<string, unknown>;
}

export interface CompiledField {
  field: string;
  element: DataElement;
  predicate: NamedNode;
  datatype: NamedNode;
  protectionClass: string;
}

export interface Layout {
  sourceSystem: string;
  dataset: Dataset;
  canonical: boolean;
  /** mapping.json of the layout, relative to the repository (absent for canonical layouts). */
  file?: string;
  contextUrl: string;
  /** The JSON-LD context document (for the reference path and for people to read). */
  context: Record<string, unknown>;
  /** Value of @type in the JSON-LD form of a record: the type term or the record class IRI. */
  typeValue: string;
  recordClass: NamedNode;
  idFields: string[];
  fields: CompiledField[];
  byField: Map<string, CompiledField>;
  byElement: Map<string, CompiledField>;
  ignore: Set<string>;
  defaults: Record<string, string | number | boolean>;
  steps: Map<string, Normalisation[]>;
  stepNames: Map<string, string[]>;
  codes: Map<string, Map<string, string | number | boolean>>;
  constraints: Record<string, FieldConstraint>;
  /** Protection class the rdf:type triple goes to: the dataset's least protected class. */
  typeClass: string;
  partitionField?: CompiledField;
}

function invalid(message: string, where: Record<string, unknown>): DatalyftError {
  return new DatalyftError('mapping-invalid', message, { status: 500, where });
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(`${path.relative(REPO_ROOT, file)} is not readable JSON: ${(error as Error).message}`, { file: path.relative(REPO_ROOT, file) });
  }
}

/** Reads every mappings/<system>/mapping.json and registers its context with the offline loader. */
export function loadMappings(dir: string = MAPPINGS_DIR): Map<string, LoadedMapping> {
  const out = new Map<string, LoadedMapping>();
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = path.join(dir, entry.name);
    const specFile = path.join(folder, 'mapping.json');
    if (!existsSync(specFile)) continue;
    const spec = readJson(specFile) as MappingSpec;
    const file = path.relative(REPO_ROOT, specFile);
    if (spec.sourceSystem !== entry.name) throw invalid(`${file} names source system "${spec.sourceSystem}" but lives in mappings/${entry.name}/; the folder is the source system's id.`, { file });
    if (!Array.isArray(spec.layouts) || spec.layouts.length === 0) throw invalid(`${file} has no layouts.`, { file });
    const contextFile = path.join(folder, spec.context ?? 'mapping.jsonld');
    const context = readJson(contextFile) as Record<string, unknown>;
    const contextUrl = mappingContextUrl(spec.sourceSystem);
    registerLocalDocument(contextUrl, () => context);
    out.set(spec.sourceSystem, { spec, dir: folder, file, contextUrl, context });
  }
  return out;
}

interface TermDefinition {
  iri: string;
  datatype?: string;
  scoped: boolean;
}

/**
 * The term definitions that apply to a record of the given type: the context's own terms
 * overlaid by the type's scoped context, with compact IRIs expanded. Only the JSON-LD the
 * mappings use is supported (prefixes, terms, @id, @type, type-scoped @context); anything
 * else is refused here, so the compiled table never silently differs from jsonld.toRDF.
 */
export function compileTerms(document: Record<string, unknown>, typeTerm: string | undefined, where: Record<string, unknown>): { terms: Map<string, TermDefinition>; expand: (value: string) => string } {
  const ctx = document['@context'];
  if (!ctx || typeof ctx !== 'object' || Array.isArray(ctx)) throw invalid('The mapping context must be an object {"@context": {...}}.', where);
  const base = ctx as Record<string, unknown>;
  let scoped: Record<string, unknown> = {};
  if (typeTerm !== undefined) {
    const def = base[typeTerm] as Record<string, unknown> | undefined;
    if (!def || typeof def !== 'object') throw invalid(`Type "${typeTerm}" is not a term of the mapping context.`, where);
    scoped = (def['@context'] as Record<string, unknown> | undefined) ?? {};
    if (typeof scoped !== 'object' || Array.isArray(scoped)) throw invalid(`The scoped context of "${typeTerm}" must be an object.`, where);
  }
  const all: Record<string, unknown> = { ...base, ...scoped };
  const scopedKeys = new Set(Object.keys(scoped));
  const expanding = new Set<string>();
  const expand = (value: string): string => {
    if (value.startsWith('@')) return value;
    const colon = value.indexOf(':');
    if (colon > 0) {
      const prefix = value.slice(0, colon);
      const suffix = value.slice(colon + 1);
      const prefixDef = all[prefix];
      if (!suffix.startsWith('//') && typeof prefixDef === 'string') return expandTerm(prefix) + suffix;
      if (!suffix.startsWith('//') && prefixDef && typeof prefixDef === 'object') return expandTerm(prefix) + suffix;
      return value;
    }
    if (value in all) return expandTerm(value);
    throw invalid(`"${value}" is neither an absolute IRI nor a term of the mapping context.`, where);
  };
  const expandTerm = (term: string): string => {
    if (expanding.has(term)) throw invalid(`Term "${term}" is defined in terms of itself.`, where);
    expanding.add(term);
    try {
      const def = all[term];
      if (typeof def === 'string') return expand(def);
      if (def && typeof def === 'object' && typeof (def as Record<string, unknown>)['@id'] === 'string') return expand((def as Record<string, string>)['@id']!);
      throw invalid(`Term "${term}" has no IRI.`, where);
    } finally {
      expanding.delete(term);
    }
  };
  const out = new Map<string, TermDefinition>();
  for (const [term, def] of Object.entries(all)) {
    if (term.startsWith('@') || def === null) continue;
    if (typeof def === 'string') {
      if (/[#/:]$/.test(def)) continue; // a prefix
      out.set(term, { iri: expand(def), scoped: scopedKeys.has(term) });
      continue;
    }
    if (typeof def !== 'object' || Array.isArray(def)) throw invalid(`Term "${term}" must be a string or an object.`, where);
    const d = def as Record<string, unknown>;
    for (const key of Object.keys(d)) {
      if (!['@id', '@type', '@context'].includes(key)) throw invalid(`Term "${term}" uses ${key}; mappings use only @id, @type and a type-scoped @context.`, where);
    }
    if ('@context' in d) continue; // a record type, not a field
    if (typeof d['@id'] !== 'string') throw invalid(`Term "${term}" has no @id.`, where);
    const type = d['@type'];
    if (type !== undefined && typeof type !== 'string') throw invalid(`Term "${term}" has a @type that is not a string.`, where);
    if (type === '@id' || type === '@vocab' || type === '@json') throw invalid(`Term "${term}" uses "@type": "${type}"; record fields are literals.`, where);
    out.set(term, { iri: expand(d['@id']), datatype: type === undefined ? undefined : expand(type), scoped: scopedKeys.has(term) });
  }
  return { terms: out, expand };
}

/** The dataset's least protected class present among its elements: where rdf:type goes. */
export function typeClassOf(catalog: Catalog, dataset: Dataset): string {
  const classes = catalog.datasetClasses(dataset);
  if (classes.includes(dl.BasicPersonalData)) return dl.BasicPersonalData;
  const open = classes.filter((c) => !catalog.protectionClasses.get(c)?.requiresRule);
  return open[0] ?? classes[0] ?? dl.BasicPersonalData;
}

function mergeSteps(...specs: (Record<string, string | string[]> | undefined)[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const spec of specs) for (const [field, ops] of Object.entries(spec ?? {})) out.set(field, Array.isArray(ops) ? ops : [ops]);
  return out;
}

/** The canonical context of a dataset: element identifiers as field names. */
export function canonicalContext(dataset: Dataset): Record<string, unknown> {
  const ctx: Record<string, unknown> = { '@version': 1.1 };
  for (const el of [...dataset.elements].sort((a, b) => a.id.localeCompare(b.id))) {
    if (!el.predicate || el.id === CANONICAL_ID_FIELD) continue;
    ctx[el.id] = { '@id': el.predicate, '@type': el.datatype ?? xsd.string };
  }
  return { '@context': ctx };
}

export function canonicalContextUrl(dataset: Dataset): string {
  return `${DL_BASE}mapping/${CANONICAL_SYSTEM}/${dataset.id}.jsonld`;
}

export interface CompileInput {
  catalog: Catalog;
  dataset: Dataset;
  sourceSystem: string;
  canonical: boolean;
  contextUrl: string;
  context: Record<string, unknown>;
  spec: LayoutSpec;
  shared?: Pick<MappingSpec, 'normalise' | 'codes' | 'ignore'>;
  file?: string;
}

export function compileLayout(input: CompileInput): Layout {
  const { catalog, dataset, spec, shared } = input;
  const where = { file: input.file ?? input.contextUrl, dataset: dataset.id, sourceSystem: input.sourceSystem };
  if (!dataset.recordClass) throw invalid(`Dataset ${dataset.id} has no dl:recordClass, so its records have no type.`, where);
  const { terms, expand } = compileTerms(input.context, spec.type, where);
  let typeValue = dataset.recordClass;
  if (spec.type !== undefined) {
    const typeDef = (input.context['@context'] as Record<string, Record<string, unknown>>)[spec.type]!;
    const typeIri = typeof typeDef['@id'] === 'string' ? expand(typeDef['@id']) : undefined;
    if (typeIri !== dataset.recordClass) throw invalid(`Type "${spec.type}" expands to ${typeIri}, but the record class of ${dataset.id} is ${dataset.recordClass}.`, where);
    typeValue = spec.type;
  }
  const byPredicate = new Map<string, DataElement>();
  for (const el of dataset.elements) if (el.predicate && !byPredicate.has(el.predicate)) byPredicate.set(el.predicate, el);
  const ignore = new Set([...(shared?.ignore ?? []), ...(spec.ignore ?? [])]);
  const fields: CompiledField[] = [];
  const problems: string[] = [];
  for (const [term, def] of [...terms].sort((a, b) => a[0].localeCompare(b[0]))) {
    const element = byPredicate.get(def.iri);
    if (!element) {
      if (def.scoped) problems.push(`"${term}" maps to ${def.iri}, which no element of ${dataset.id} has as dl:predicate`);
      continue;
    }
    if (ignore.has(term)) continue;
    const expected = element.datatype ?? xsd.string;
    const given = def.datatype ?? xsd.string;
    if (expected !== given) problems.push(`"${term}" gives ${given} but element ${element.id} is ${expected}`);
    fields.push({
      field: term, element, predicate: factory.namedNode(def.iri), datatype: factory.namedNode(expected),
      protectionClass: element.protectionClass ?? typeClassOf(catalog, dataset),
    });
  }
  // One field per element: a term of the type's scoped context hides a base term for the same element.
  const byElement = new Map<string, CompiledField>();
  for (const f of fields) {
    const other = byElement.get(f.element.iri);
    if (!other) {
      byElement.set(f.element.iri, f);
      continue;
    }
    const fScoped = terms.get(f.field)!.scoped;
    const oScoped = terms.get(other.field)!.scoped;
    if (fScoped && !oScoped) byElement.set(f.element.iri, f);
    else if (fScoped === oScoped) problems.push(`element ${f.element.id} is mapped by both "${other.field}" and "${f.field}"`);
  }
  fields.splice(0, fields.length, ...fields.filter((f) => byElement.get(f.element.iri) === f));
  const byField = new Map(fields.map((f) => [f.field, f]));
  const defaults = spec.defaults ?? {};
  for (const el of dataset.elements) {
    if (el.required && !byElement.has(el.iri)) problems.push(`required element ${el.id} (${el.predicate}) has no field`);
  }
  for (const f of spec.id) {
    if (!byField.has(f) && !ignore.has(f)) problems.push(`id field "${f}" is neither a mapped field nor an ignored one`);
  }
  const stepNames = mergeSteps(shared?.normalise, spec.normalise);
  const steps = new Map<string, Normalisation[]>();
  for (const [field, names] of stepNames) {
    const ops: Normalisation[] = [];
    for (const name of names) {
      const op = normalisation(name);
      if (!op) problems.push(`normalisation "${name}" of "${field}" is unknown`);
      else ops.push(op);
    }
    steps.set(field, ops);
  }
  const codes = new Map<string, Map<string, string | number | boolean>>();
  for (const [field, table] of Object.entries({ ...(shared?.codes ?? {}), ...(spec.codes ?? {}) })) codes.set(field, new Map(Object.entries(table)));
  // Shared normalisations and codes name fields of some layouts only; a layout's own must be its fields.
  for (const field of [...Object.keys(defaults), ...Object.keys(spec.normalise ?? {}), ...Object.keys(spec.codes ?? {}), ...Object.keys(spec.constraints ?? {})]) {
    if (!byField.has(field) && !ignore.has(field) && !terms.has(field)) problems.push(`"${field}" is named in mapping.json but is no field of the layout`);
  }
  if (problems.length > 0) {
    throw invalid(`Mapping of ${dataset.id} from ${input.sourceSystem} is inconsistent with the catalog: ${problems.join('; ')}.`, { ...where, problems });
  }
  const partitionField = dataset.partitionElement ? byElement.get(dataset.partitionElement) : undefined;
  return {
    sourceSystem: input.sourceSystem, dataset, canonical: input.canonical, file: input.file, contextUrl: input.contextUrl, context: input.context,
    typeValue, recordClass: factory.namedNode(dataset.recordClass), idFields: spec.id, fields, byField, byElement, ignore, defaults, steps, stepNames, codes,
    constraints: spec.constraints ?? {}, typeClass: typeClassOf(catalog, dataset), partitionField,
  };
}

/**
 * All layouts of the hub: the mappings under mappings/ and, for any dataset without one, its
 * canonical layout. Layouts compile on first use and are cached.
 */
export class MappingRegistry {
  readonly mappings: Map<string, LoadedMapping>;
  private readonly cache = new Map<string, Layout>();

  constructor(readonly catalog: Catalog, mappings: Map<string, LoadedMapping> = loadMappings()) {
    this.mappings = mappings;
  }

  /** [sourceSystem, dataset IRI] of every layout the mappings declare. */
  declared(): { sourceSystem: string; dataset: string; file: string }[] {
    const out: { sourceSystem: string; dataset: string; file: string }[] = [];
    for (const m of this.mappings.values()) {
      for (const l of m.spec.layouts) {
        const ds = this.catalog.dataset(l.dataset);
        out.push({ sourceSystem: m.spec.sourceSystem, dataset: ds?.iri ?? l.dataset, file: m.file });
      }
    }
    return out;
  }

  /** Source systems that have a layout for the dataset. */
  systemsFor(dataset: Dataset): string[] {
    return [...this.mappings.values()].filter((m) => m.spec.layouts.some((l) => this.catalog.dataset(l.dataset)?.iri === dataset.iri)).map((m) => m.spec.sourceSystem);
  }

  /**
   * The layout records of a dataset arrive in: the named source system's, or the dataset's
   * dl:sourceSystem's, or the canonical layout when no mapping declares the dataset.
   */
  layout(dataset: Dataset, sourceSystem?: string): Layout {
    const system = sourceSystem ?? (dataset.sourceSystem && this.mappings.get(dataset.sourceSystem)?.spec.layouts.some((l) => l.dataset === dataset.id) ? dataset.sourceSystem : undefined)
      ?? this.systemsFor(dataset)[0] ?? CANONICAL_SYSTEM;
    const key = `${system}\u0000${dataset.iri}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    let layout: Layout;
    if (system === CANONICAL_SYSTEM) {
      const context = canonicalContext(dataset);
      const contextUrl = canonicalContextUrl(dataset);
      registerLocalDocument(contextUrl, () => context);
      layout = compileLayout({
        catalog: this.catalog, dataset, sourceSystem: CANONICAL_SYSTEM, canonical: true, contextUrl, context,
        spec: { dataset: dataset.id, id: [CANONICAL_ID_FIELD], ignore: [CANONICAL_ID_FIELD] },
      });
    } else {
      const mapping = this.mappings.get(system);
      const spec = mapping?.spec.layouts.find((l) => l.dataset === dataset.id);
      if (!mapping || !spec) {
        const known = this.systemsFor(dataset);
        throw new DatalyftError('mapping-not-found', `No mapping brings records of ${dataset.id} from source system "${system}". ${known.length > 0 ? `Mapped source systems: ${known.join(', ')}` : `Send them in the canonical layout (source system "${CANONICAL_SYSTEM}")`}.`, {
          status: 400, where: { dataset: dataset.id, sourceSystem: system },
        });
      }
      layout = compileLayout({
        catalog: this.catalog, dataset, sourceSystem: system, canonical: false, contextUrl: mapping.contextUrl, context: mapping.context,
        spec, shared: mapping.spec, file: mapping.file,
      });
    }
    this.cache.set(key, layout);
    return layout;
  }
}

/** A source record after the layout's defaults, code tables and normalisations; null = absent. */
export function prepareRecord(layout: Layout, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    if (value !== null && value !== undefined) out[key] = value;
  }
  for (const [field, value] of Object.entries(layout.defaults)) if (!(field in out)) out[field] = value;
  for (const [field, table] of layout.codes) {
    const v = out[field];
    if ((typeof v === 'string' || typeof v === 'number') && table.has(String(v))) out[field] = table.get(String(v));
  }
  for (const [field, ops] of layout.steps) {
    if (!(field in out)) continue;
    let v = out[field];
    for (const op of ops) v = op.forward(v);
    out[field] = v;
  }
  return out;
}

/** The record id from the id fields of a prepared record; undefined when one is missing. */
export function recordId(layout: Layout, prepared: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  for (const f of layout.idFields) {
    const v = prepared[f];
    if (v === undefined || v === null || v === '' || typeof v === 'object') return undefined;
    parts.push(lexicalOf(v));
  }
  return parts.join('-');
}

export function subjectIri(dataset: Dataset, id: string): string {
  return `${RECORD_BASE}${dataset.id}/${encodeURIComponent(id)}`;
}

/** The year a prepared record belongs to in a year-partitioned dataset. */
export function partitionYear(layout: Layout, prepared: Record<string, unknown>): number | undefined {
  if (!layout.partitionField) return undefined;
  const v = prepared[layout.partitionField.field];
  return v === undefined ? undefined : yearOf(lexicalOf(v));
}

export type GraphOf = (protectionClass: string, year: number | undefined) => NamedNode;

/** A cached graph chooser for a dataset: catalog.graphFor per protection class and year. */
export function graphChooser(catalog: Catalog, dataset: Dataset): GraphOf {
  const cache = new Map<string, NamedNode>();
  return (protectionClass, year) => {
    const key = `${protectionClass} ${year ?? ''}`;
    let g = cache.get(key);
    if (!g) {
      g = factory.namedNode(catalog.graphFor(dataset, protectionClass, year));
      cache.set(key, g);
    }
    return g;
  };
}

const RDF_TYPE = factory.namedNode(rdf.type);

/**
 * The compiled path: a prepared (valid) record → quads, each in the named graph of its
 * element's protection class (and year). rdf:type goes to the dataset's least protected class.
 */
export function mapRecord(layout: Layout, prepared: Record<string, unknown>, subject: string, graphOf: GraphOf): Quad[] {
  const s = factory.namedNode(subject);
  const year = partitionYear(layout, prepared);
  const quads: Quad[] = [factory.quad(s, RDF_TYPE, layout.recordClass, graphOf(layout.typeClass, year))];
  for (const f of layout.fields) {
    const v = prepared[f.field];
    if (v === undefined) continue;
    quads.push(factory.quad(s, f.predicate, factory.literal(lexicalOf(v), f.datatype), graphOf(f.protectionClass, year)));
  }
  return quads;
}

/** The reference path's input: the record as a JSON-LD document under the mapping's context. */
export function toJsonLdDocument(layout: Layout, prepared: Record<string, unknown>, subject: string): Record<string, unknown> {
  const doc: Record<string, unknown> = { '@context': layout.contextUrl, '@id': subject, '@type': layout.typeValue };
  for (const [key, value] of Object.entries(prepared)) {
    if (layout.ignore.has(key)) continue;
    doc[key] = lexicalOf(value);
  }
  return doc;
}

/** Writes a normalised value back the way the source system writes it (for the demo generator). */
export function toSourceValue(layout: Layout, field: string, value: unknown): unknown {
  let v = value;
  const ops = layout.steps.get(field) ?? [];
  for (const op of [...ops].reverse()) v = op.inverse(v);
  const table = layout.codes.get(field);
  if (table) for (const [code, meaning] of table) if (meaning === v) return code;
  return v;
}
