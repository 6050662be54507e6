/** Temporary data directories, quads and raw-byte search for the store tests. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Quad } from '@rdfjs/types';
import { expect } from 'vitest';
import { DatalyftError } from '../../src/errors.ts';
import { factory } from '../../src/rdf/parse.ts';

export const EX = 'https://example.org/';
export const XSD_INTEGER = 'http://www.w3.org/2001/XMLSchema#integer';

export async function tempDir(prefix = 'datalyft-store-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function iri(local: string) {
  return factory.namedNode(EX + local);
}

export function q(s: string, p: string, o: string | number | ReturnType<typeof iri>, g?: string): Quad {
  const object = typeof o === 'number' ? factory.literal(String(o), factory.namedNode(XSD_INTEGER)) : typeof o === 'string' ? factory.literal(o) : o;
  return factory.quad(iri(s), iri(p), object, g === undefined ? factory.defaultGraph() : iri(g));
}

/** Every file below a directory, with its raw bytes. */
export async function filesBelow(dir: string): Promise<{ file: string; bytes: Buffer }[]> {
  const out: { file: string; bytes: Buffer }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ file, bytes: await readFile(file) });
  }
  return out;
}

/** Files below the directory whose raw bytes contain the text (UTF-8). */
export async function filesContaining(dir: string, text: string): Promise<string[]> {
  const needle = Buffer.from(text, 'utf8');
  return (await filesBelow(dir)).filter(({ bytes }) => bytes.includes(needle)).map(({ file }) => path.relative(dir, file));
}

/** The DatalyftError a promise rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<DatalyftError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DatalyftError);
    return error as DatalyftError;
  }
  throw new Error('expected the query to fail');
}
