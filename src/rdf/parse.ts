/**
 * Reading and writing RDF text. n3 is used here only; its errors become DatalyftError
 * with the file and line, in the form `Undefined prefix "a:" on line 1.` that n3 gives.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import N3 from 'n3';
import type { Quad, Term } from '@rdfjs/types';
import { DatalyftError } from '../errors.ts';
import { PREFIXES } from './namespaces.ts';

export const { namedNode, literal, quad, blankNode, defaultGraph } = N3.DataFactory;
export const factory = N3.DataFactory;
export type { Quad, Term };

export interface ParseOptions {
  /** Used in error messages and as the base IRI's file part. */
  file?: string;
  baseIRI?: string;
  format?: 'text/turtle' | 'application/n-triples' | 'application/n-quads' | 'application/trig';
  /** Put every parsed triple into this named graph. */
  graph?: string;
}

export function parseRdf(text: string, options: ParseOptions = {}): Quad[] {
  const parser = new N3.Parser({ format: options.format ?? 'text/turtle', baseIRI: options.baseIRI });
  let quads: Quad[];
  try {
    quads = parser.parse(text) as Quad[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /on line (\d+)/.exec(message)?.[1];
    throw new DatalyftError('rdf-syntax', message, {
      where: { file: options.file, line: line ? Number(line) : undefined },
      cause: error,
    });
  }
  if (options.graph) {
    const g = namedNode(options.graph);
    quads = quads.map((q) => quad(q.subject, q.predicate, q.object, g));
  }
  return quads;
}

export async function parseRdfFile(file: string, options: Omit<ParseOptions, 'file'> = {}): Promise<Quad[]> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new DatalyftError('file-unreadable', `Cannot read ${file}: ${(error as Error).message}`, { where: { file } });
  });
  const format = options.format ?? (file.endsWith('.nq') ? 'application/n-quads' : file.endsWith('.nt') ? 'application/n-triples' : file.endsWith('.trig') ? 'application/trig' : 'text/turtle');
  return parseRdf(text, { ...options, format, file });
}

/** All files with one of the endings below a path (or the path itself), sorted. */
export async function listFiles(root: string, endings: string[] = ['.ttl']): Promise<string[]> {
  const info = await stat(root).catch(() => {
    throw new DatalyftError('path-not-found', `No such file or directory: ${root}`, { where: { file: root } });
  });
  if (info.isFile()) return [root];
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    if (!endings.some((e) => entry.name.endsWith(e))) continue;
    out.push(path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
  }
  return out.sort();
}

export interface SourcedQuads {
  file: string;
  quads: Quad[];
}

/** Parses every Turtle file below the given paths; throws on the first syntax error. */
export async function parseRdfFiles(paths: string[], options: Omit<ParseOptions, 'file'> = {}): Promise<SourcedQuads[]> {
  const files = (await Promise.all(paths.map((p) => listFiles(p)))).flat();
  return Promise.all(files.map(async (file) => ({ file, quads: await parseRdfFile(file, options) })));
}

export interface WriteOptions {
  format?: 'text/turtle' | 'application/n-triples' | 'application/n-quads' | 'application/trig';
  prefixes?: Record<string, string>;
}

export function writeRdf(quads: Iterable<Quad>, options: WriteOptions = {}): Promise<string> {
  const format = options.format ?? 'text/turtle';
  const withPrefixes = format === 'text/turtle' || format === 'application/trig';
  const writer = new N3.Writer({ format, prefixes: withPrefixes ? (options.prefixes ?? PREFIXES) : undefined });
  for (const q of quads) writer.addQuad(q);
  return new Promise((resolve, reject) => writer.end((error, result: string) => (error ? reject(error) : resolve(result))));
}

/** The lexical value of an RDF term, stable for keys: IRIs as is, blank nodes as _:id. */
export function termKey(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}
