/**
 * The first thing a batch meets: its raw text is scanned once, without recursion, before
 * JSON.parse sees it, so that a syntax error is reported with line and column
 * (`invalid-json`) and a body nested 100,000 levels deep is refused (`too-deep`) without
 * ever reaching a recursive parser. The parsed records are then walked (iteratively) for
 * prototype-pollution keys (`forbidden-key`) and for JSON-LD contexts: a remote @context is
 * refused (`remote-context-refused`) and never fetched, an inline one too
 * (`context-not-allowed`), since a record is read through its source system's mapping.
 */
import { DatalyftError } from '../errors.ts';
import { pointer } from './violations.ts';

export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Records are flat; an array of them nests two levels. Anything much deeper is refused. */
export const DEFAULT_MAX_DEPTH = 32;

export interface TextPosition {
  offset: number;
  line: number;
  column: number;
}

function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

function describeChar(text: string, i: number): string {
  return i >= text.length ? 'the end of the input' : `${JSON.stringify(text[i])}`;
}

/**
 * Checks that `text` is one JSON value and nests no deeper than maxDepth; throws
 * `invalid-json` (with line and column) or `too-deep`. Linear time, constant stack.
 */
export function scanJson(text: string, options: { maxDepth?: number; lineOffset?: number; where?: Record<string, unknown> } = {}): void {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const stack: number[] = []; // 123 '{' or 91 '['
  let i = 0;
  const n = text.length;
  const fail = (message: string, at: number): never => {
    const pos = positionOf(text, at);
    const line = pos.line + (options.lineOffset ?? 0);
    throw new DatalyftError('invalid-json', `The body is not valid JSON: ${message} at line ${line}, column ${pos.column}.`, {
      status: 400, where: { ...options.where, line, column: pos.column, position: at },
    });
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  const string = () => {
    const start = i;
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!HEX4.test(text.slice(i + 2, i + 6))) fail('a \\u escape needs four hex digits', i);
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`invalid escape \\${e ?? ''}`, i);
        i += 2;
        continue;
      }
      if (c < 32) fail('a control character inside a string must be escaped', i);
      i++;
    }
    fail('unterminated string', start);
  };
  const value = () => {
    ws();
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) {
      if (stack.length >= maxDepth) {
        const pos = positionOf(text, i);
        throw new DatalyftError('too-deep', `The body nests deeper than ${maxDepth} levels (at line ${pos.line + (options.lineOffset ?? 0)}, column ${pos.column}). Records are flat objects; send them as an array or as NDJSON.`, {
          status: 400, where: { ...options.where, line: pos.line + (options.lineOffset ?? 0), column: pos.column, depth: stack.length + 1, maxDepth },
        });
      }
      stack.push(c);
      i++;
      ws();
      if (text.charCodeAt(i) === (c === 123 ? 125 : 93)) {
        stack.pop();
        i++;
        return 'after';
      }
      return c === 123 ? 'key' : 'value';
    }
    if (c === 34) {
      string();
      return 'after';
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m || m[0] === '-') fail('invalid number', i);
      i += m![0].length;
      return 'after';
    }
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return 'after';
      }
    }
    return fail(`unexpected ${describeChar(text, i)}, expected a value`, i);
  };
  let state: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    if (state === 'value') {
      state = value();
      continue;
    }
    if (state === 'key') {
      ws();
      if (text.charCodeAt(i) !== 34) fail(`unexpected ${describeChar(text, i)}, expected a property name in double quotes`, i);
      string();
      ws();
      if (text.charCodeAt(i) !== 58) fail(`unexpected ${describeChar(text, i)}, expected ':' after a property name`, i);
      i++;
      state = 'value';
      continue;
    }
    // after a value
    ws();
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (i < n) fail(`unexpected ${describeChar(text, i)} after the end of the value`, i);
      return;
    }
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      state = top === 123 ? 'key' : 'value';
      continue;
    }
    if ((top === 123 && c === 125) || (top === 91 && c === 93)) {
      stack.pop();
      i++;
      state = 'after';
      continue;
    }
    fail(`unexpected ${describeChar(text, i)}, expected ',' or '${top === 123 ? '}' : ']'}'`, i);
  }
}

export type BodyFormat = 'json' | 'ndjson';

/** Parses a batch: a JSON array of records, or NDJSON (one record per line). */
export function parseRecordsText(text: string, options: { format: BodyFormat; maxDepth?: number }): unknown[] {
  if (options.format === 'ndjson') {
    const records: unknown[] = [];
    const lines = text.split('\n');
    for (let l = 0; l < lines.length; l++) {
      const line = lines[l]!.replace(/\r$/, '');
      if (line.trim() === '') continue;
      scanJson(line, { maxDepth: options.maxDepth, lineOffset: l, where: { record: records.length } });
      records.push(JSON.parse(line));
    }
    return records;
  }
  if (text.trim() === '') throw new DatalyftError('invalid-json', 'The body is empty; send a JSON array of records.', { status: 400, where: { line: 1, column: 1 } });
  scanJson(text, { maxDepth: options.maxDepth });
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) {
    throw new DatalyftError('not-an-array', 'The body must be a JSON array of records (or NDJSON with Content-Type application/x-ndjson).', { status: 400 });
  }
  return parsed;
}

export interface GuardOptions {
  /** Context URLs served offline (our own); any other URL is refused as remote. */
  localContexts?: Set<string>;
}

/**
 * Walks the records (iteratively) and refuses forbidden keys and JSON-LD contexts. Every
 * record must be an object. Throws the first problem found, listing all of its kind.
 */
export function guardRecords(records: unknown[], options: GuardOptions = {}): void {
  const forbidden: { record: number; path: string; key: string }[] = [];
  for (let r = 0; r < records.length; r++) {
    const rec = records[r];
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      throw new DatalyftError('not-a-record', `A record is ${rec === null ? 'null' : Array.isArray(rec) ? 'an array' : `a ${typeof rec}`}; each record is a JSON object.`, { status: 400, where: { record: r } });
    }
    const todo: { value: unknown; path: string }[] = [{ value: rec, path: '' }];
    while (todo.length > 0) {
      const { value, path } = todo.pop()!;
      if (value === null || typeof value !== 'object') continue;
      const entries = Array.isArray(value) ? value.map((v, k) => [String(k), v] as const) : Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]] as const);
      for (const [key, child] of entries) {
        const childPath = `${path}${pointer(key)}`;
        if (!Array.isArray(value) && FORBIDDEN_KEYS.has(key)) {
          forbidden.push({ record: r, path: childPath, key });
          if (forbidden.length >= 100) break;
          continue;
        }
        if (!Array.isArray(value) && key === '@context') checkContext(child, r, childPath, options);
        todo.push({ value: child, path: childPath });
      }
    }
  }
  if (forbidden.length > 0) {
    const first = forbidden[0]!;
    throw new DatalyftError('forbidden-key', `The key "${first.key}" is refused (at ${first.path}): keys __proto__, constructor and prototype may not appear anywhere in a record.`, {
      status: 400, where: { record: first.record, path: first.path }, extra: { forbidden },
    });
  }
}

function checkContext(value: unknown, record: number, path: string, options: GuardOptions): void {
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (typeof item === 'string') {
      if (options.localContexts?.has(item)) continue;
      throw new DatalyftError('remote-context-refused', `The JSON-LD context ${item} is remote; the hub never fetches one. Leave @context out: records are read through their source system's mapping.`, {
        status: 400, where: { record, path, url: item },
      });
    }
    if (item !== null) {
      throw new DatalyftError('context-not-allowed', `A record brings its own JSON-LD context (at ${path}); records are read through their source system's mapping, which a record cannot override.`, {
        status: 400, where: { record, path },
      });
    }
  }
}
