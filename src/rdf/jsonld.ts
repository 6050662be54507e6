/**
 * JSON-LD, offline. The only home of the jsonld library: every context is served from
 * ontology/ by a document loader that never touches the network; a remote context that is
 * not ours is refused with `remote-context-refused`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsonld from 'jsonld';
import type { Quad } from '@rdfjs/types';
import { DatalyftError } from '../errors.ts';
import { parseRdf, writeRdf } from './parse.ts';

export const CONTEXT_URL = 'https://w3id.org/datalyft/context.jsonld';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CONTEXT_FILE = path.join(ROOT, 'ontology', 'context.jsonld');

let contextDocument: Record<string, unknown> | undefined;
export function datalyftContext(): Record<string, unknown> {
  contextDocument ??= JSON.parse(readFileSync(CONTEXT_FILE, 'utf8')) as Record<string, unknown>;
  return contextDocument;
}

/** Local documents the loader serves, by URL. */
const localDocuments = new Map<string, () => unknown>([[CONTEXT_URL, datalyftContext]]);

export function registerLocalDocument(url: string, load: () => unknown): void {
  localDocuments.set(url, load);
}

// jsonld's loader contract: (url) => Promise<{ contextUrl, documentUrl, document }>.
export async function offlineDocumentLoader(url: string): Promise<{ contextUrl: null; documentUrl: string; document: unknown }> {
  const load = localDocuments.get(url);
  if (!load) {
    throw new DatalyftError('remote-context-refused', `JSON-LD document ${url} is not available offline; the hub never fetches remote contexts. Use ${CONTEXT_URL} or inline the context.`, {
      status: 400,
      where: { url },
    });
  }
  return { contextUrl: null, documentUrl: url, document: load() };
}

function unwrap(error: unknown): never {
  let current: unknown = error;
  while (current && typeof current === 'object') {
    if (current instanceof DatalyftError) throw current;
    const details = (current as { details?: { cause?: unknown } }).details;
    current = details?.cause ?? (current as { cause?: unknown }).cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { details?: { code?: string } })?.details?.code ?? 'jsonld-error';
  throw new DatalyftError('jsonld-error', `${message}${code !== 'jsonld-error' ? ` (${code})` : ''}`, { cause: error });
}

/** JSON-LD document → quads, with `safe` mode so silently dropped terms become errors. */
export async function jsonldToQuads(document: unknown): Promise<Quad[]> {
  try {
    const nquads = (await jsonld.toRDF(document as jsonld.JsonLdDocument, {
      format: 'application/n-quads',
      documentLoader: offlineDocumentLoader as never,
      safe: true,
    } as jsonld.Options.ToRdf)) as unknown as string;
    return parseRdf(nquads, { format: 'application/n-quads' });
  } catch (error) {
    unwrap(error);
  }
}

/** Quads → JSON-LD compacted with our context (referenced by URL, resolved offline). */
export async function quadsToCompactJsonld(quads: Quad[], frame?: Record<string, unknown>): Promise<Record<string, unknown>> {
  try {
    const nquads = await writeRdf(quads, { format: 'application/n-quads' });
    const expanded = await jsonld.fromRDF(nquads, { format: 'application/n-quads', useNativeTypes: false });
    const context = { '@context': CONTEXT_URL };
    const options = { documentLoader: offlineDocumentLoader as never } as jsonld.Options.Compact;
    if (frame) {
      const framed: unknown = await (jsonld.frame as (input: unknown, frame: unknown, options: unknown) => Promise<unknown>)(expanded, { ...context, ...frame }, options);
      return framed as Record<string, unknown>;
    }
    const compacted: unknown = await jsonld.compact(expanded, context as jsonld.ContextDefinition, options);
    return compacted as Record<string, unknown>;
  } catch (error) {
    unwrap(error);
  }
}
