/**
 * Query results as they leave the gate. The engine always answers in one format the gate
 * can read (SPARQL JSON for SELECT and ASK, N-Triples for CONSTRUCT and DESCRIBE), so the
 * gate can count rows, cap them, suppress small groups and record the count in the audit
 * trail before anything is sent; the client's format is written from that here.
 */
import type { Request } from 'express';
import type { Quad } from '@rdfjs/types';
import { DatalyftError } from '../errors.ts';
import { quadsToCompactJsonld } from '../rdf/jsonld.ts';
import { parseRdf, writeRdf } from '../rdf/parse.ts';
import type { QueryForm } from './analyse.ts';

export const BINDINGS_TYPES = [
  'application/sparql-results+json',
  'application/sparql-results+xml',
  'text/csv',
  'text/tab-separated-values',
  'application/json',
  'application/xml',
] as const;

export const GRAPH_TYPES = ['text/turtle', 'application/n-triples', 'application/ld+json'] as const;

export type BindingsType = (typeof BINDINGS_TYPES)[number];
export type GraphType = (typeof GRAPH_TYPES)[number];
export type ResultType = BindingsType | GraphType;

/** The result format for a query form by the request's Accept header; 406 when none fits. */
export function negotiateResult(req: Request, form: QueryForm): ResultType {
  const offered: readonly string[] = form === 'graph' ? GRAPH_TYPES : BINDINGS_TYPES;
  const accepted = req.accepts([...offered]);
  if (!accepted) {
    const listed = form === 'graph' ? GRAPH_TYPES : BINDINGS_TYPES.slice(0, 4);
    throw new DatalyftError('not-acceptable', `None of the media types in Accept is offered for a ${form === 'graph' ? 'CONSTRUCT or DESCRIBE' : form === 'boolean' ? 'ASK' : 'SELECT'} result; ask for one of ${listed.join(', ')}.`, { status: 406, where: { header: 'Accept' } });
  }
  return accepted as ResultType;
}

export interface BindingTerm {
  type: 'uri' | 'literal' | 'bnode' | 'typed-literal';
  value: string;
  datatype?: string;
  'xml:lang'?: string;
}
export type Row = Record<string, BindingTerm>;

export interface Table {
  vars: string[];
  rows: Row[];
}

export interface ResultFlags {
  truncated: boolean;
  /** Small groups were left out (statistics purposes). */
  suppressed?: boolean;
}

export function parseBindings(body: string): { vars: string[]; rows: Row[] } | { boolean: boolean } {
  const json = JSON.parse(body) as { head?: { vars?: string[] }; results?: { bindings: Row[] }; boolean?: boolean };
  if (typeof json.boolean === 'boolean') return { boolean: json.boolean };
  return { vars: json.head?.vars ?? [], rows: json.results?.bindings ?? [] };
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// Characters XML 1.0 cannot carry at all.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
function xml(value: string): string {
  return value.replace(XML_INVALID, '\uFFFD').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvValue(term: BindingTerm | undefined): string {
  if (!term) return '';
  return term.type === 'bnode' ? `_:${term.value}` : term.value;
}

function turtleString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

function tsvValue(term: BindingTerm | undefined): string {
  if (!term) return '';
  if (term.type === 'uri') return `<${term.value}>`;
  if (term.type === 'bnode') return `_:${term.value}`;
  const lexical = turtleString(term.value);
  if (term['xml:lang']) return `${lexical}@${term['xml:lang']}`;
  if (term.datatype && term.datatype !== 'http://www.w3.org/2001/XMLSchema#string') return `${lexical}^^<${term.datatype}>`;
  return lexical;
}

function xmlTerm(term: BindingTerm): string {
  if (term.type === 'uri') return `<uri>${xml(term.value)}</uri>`;
  if (term.type === 'bnode') return `<bnode>${xml(term.value)}</bnode>`;
  const lang = term['xml:lang'] ? ` xml:lang="${xml(term['xml:lang'])}"` : '';
  const datatype = term.datatype ? ` datatype="${xml(term.datatype)}"` : '';
  return `<literal${lang}${datatype}>${xml(term.value)}</literal>`;
}

/** Writes a SELECT table in the negotiated format. JSON carries the flags at top level too. */
export function writeTable(table: Table, type: BindingsType, flags: ResultFlags): string {
  switch (type) {
    case 'application/sparql-results+json':
    case 'application/json':
      return JSON.stringify({ head: { vars: table.vars }, results: { bindings: table.rows }, truncated: flags.truncated, ...(flags.suppressed !== undefined ? { suppressed: flags.suppressed } : {}) });
    case 'application/sparql-results+xml':
    case 'application/xml': {
      const head = table.vars.map((v) => `    <variable name="${xml(v)}"/>`).join('\n');
      const rows = table.rows.map((row) => {
        const cells = table.vars.filter((v) => row[v]).map((v) => `      <binding name="${xml(v)}">${xmlTerm(row[v]!)}</binding>`).join('\n');
        return `    <result>\n${cells}\n    </result>`;
      }).join('\n');
      return `<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n  <head>\n${head}\n  </head>\n  <results>\n${rows}\n  </results>\n</sparql>\n`;
    }
    case 'text/csv':
      return [table.vars.map(csvField).join(','), ...table.rows.map((row) => table.vars.map((v) => csvField(csvValue(row[v]))).join(','))].join('\r\n') + '\r\n';
    case 'text/tab-separated-values':
      return [table.vars.map((v) => `?${v}`).join('\t'), ...table.rows.map((row) => table.vars.map((v) => tsvValue(row[v])).join('\t'))].join('\n') + '\n';
  }
}

/** Writes an ASK answer. CSV and TSV carry it as a one-cell table (there is no standard form). */
export function writeBoolean(value: boolean, type: BindingsType): string {
  switch (type) {
    case 'application/sparql-results+json':
    case 'application/json':
      return JSON.stringify({ head: {}, boolean: value });
    case 'application/sparql-results+xml':
    case 'application/xml':
      return `<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n  <head/>\n  <boolean>${value}</boolean>\n</sparql>\n`;
    case 'text/csv':
      return `_askResult\r\n${value}\r\n`;
    case 'text/tab-separated-values':
      return `?_askResult\n${value}\n`;
  }
}

export function parseTriples(body: string): Quad[] {
  return parseRdf(body, { format: 'application/n-triples' });
}

export async function writeGraph(quads: Quad[], type: GraphType): Promise<string> {
  switch (type) {
    case 'text/turtle':
      return writeRdf(quads, { format: 'text/turtle' });
    case 'application/n-triples':
      return writeRdf(quads, { format: 'application/n-triples' });
    case 'application/ld+json':
      return JSON.stringify(await quadsToCompactJsonld(quads));
  }
}

/** Content-Type header value for a result type. */
export function contentTypeOf(type: ResultType): string {
  return type.startsWith('text/') || type.endsWith('json') || type.endsWith('xml') ? `${type}; charset=utf-8` : type;
}
