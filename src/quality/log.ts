/**
 * The default quality log: JSON Lines at `<dataDir>/quality/ingests.jsonl`, one
 * IngestOutcome per line, appended with an fsync so an acknowledged ingest's outcome
 * survives a crash. Reading never throws on a bad line: it is reported as a problem with
 * its line number, and the rest of the log still counts.
 *
 * `outcomeOf` turns a batch's violations (the form of src/ingest/violations.ts) into the
 * outcome to append: counts by rule, distinct records, and a few masked examples.
 */
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DatalyftError } from '../errors.ts';
import { maskIdentifiers } from './mask.ts';
import type { IngestOutcome, LogProblem, QualityLog, QualityLogContents, RuleCount, ViolationExample } from './types.ts';

export const QUALITY_LOG_FILE = path.join('quality', 'ingests.jsonl');

export function qualityLogPath(dataDir: string): string {
  return path.join(dataDir, QUALITY_LOG_FILE);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

/** Why a parsed line is not an IngestOutcome, or undefined when it is one. */
export function outcomeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  for (const key of ['time', 'sourceSystem', 'dataset'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') return `"${key}" must be a non-empty string`;
  }
  if (Number.isNaN(Date.parse(value.time as string))) return `"time" is not an ISO 8601 time: ${JSON.stringify(value.time)}`;
  if (!isCount(value.records)) return '"records" must be a whole number ≥ 0';
  if (!isCount(value.rejected) || (value.rejected as number) > (value.records as number)) return '"rejected" must be a whole number between 0 and "records"';
  if (value.committed !== undefined && typeof value.committed !== 'boolean') return '"committed" must be true or false';
  if (!optionalString(value.ingest)) return '"ingest" must be a string';
  if (!Array.isArray(value.violations)) return '"violations" must be an array';
  for (const [i, v] of value.violations.entries()) {
    if (!isObject(v) || typeof v.rule !== 'string' || !isCount(v.count)) return `violations[${i}] needs "rule" (string) and "count" (whole number)`;
    if (v.records !== undefined && !isCount(v.records)) return `violations[${i}].records must be a whole number`;
    if (v.layer !== undefined && v.layer !== 'door' && v.layer !== 'graph') return `violations[${i}].layer must be "door" or "graph"`;
    if (v.examples !== undefined && (!Array.isArray(v.examples) || v.examples.some((e) => !isObject(e) || typeof e.message !== 'string'))) {
      return `violations[${i}].examples must be objects with a "message"`;
    }
  }
  return undefined;
}

/** Parses JSON Lines text; bad lines become problems naming `file:line`. */
export function parseQualityLog(text: string, file: string): QualityLogContents {
  const outcomes: IngestOutcome[] = [];
  const problems: LogProblem[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      // A torn last line is what a crash mid-append leaves; say so.
      const torn = i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === '');
      problems.push({ where, message: `not valid JSON${torn ? ' (a torn last line: the write it belongs to was not acknowledged)' : ''}: ${(error as Error).message}` });
      continue;
    }
    const problem = outcomeProblem(value);
    if (problem) problems.push({ where, message: problem });
    else outcomes.push(value as IngestOutcome);
  }
  return { outcomes, problems };
}

/** The JSON Lines log in a data directory. A missing file is an empty log. */
export function fileQualityLog(dataDir: string): QualityLog {
  const file = qualityLogPath(dataDir);
  return {
    location: file,
    async read() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { outcomes: [], problems: [] };
        throw new DatalyftError('quality-log-unreadable', `Cannot read the quality log ${file}: ${(error as Error).message}`, { status: 500, where: { file } });
      }
      return parseQualityLog(text, QUALITY_LOG_FILE);
    },
  };
}

/** Appends one outcome and fsyncs, so it is durable when the promise resolves. */
export async function appendQualityLog(dataDir: string, outcome: IngestOutcome): Promise<void> {
  const problem = outcomeProblem(outcome);
  if (problem) throw new DatalyftError('quality-outcome-invalid', `Not an ingest outcome: ${problem}`, { status: 500 });
  const file = qualityLogPath(dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(outcome)}\n`, 'utf8');
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A violation as the records pipeline reports it (src/ingest/violations.ts). */
export interface BatchViolation {
  record: number;
  rule: string;
  message: string;
  layer?: 'door' | 'graph';
  field?: string;
  path?: string;
  element?: string;
  value?: string;
}

export interface OutcomeInput {
  time: Date | string;
  sourceSystem: string;
  dataset: string;
  records: number;
  violations: BatchViolation[];
  ingest?: string;
  committed?: boolean;
}

/** Counts a batch's violations by rule and layer, with up to `examplesPerRule` masked examples. */
export function outcomeOf(input: OutcomeInput, options: { examplesPerRule?: number } = {}): IngestOutcome {
  const perRule = options.examplesPerRule ?? 3;
  const groups = new Map<string, { rule: string; layer?: 'door' | 'graph'; count: number; records: Set<number>; examples: ViolationExample[] }>();
  for (const v of input.violations) {
    const key = `${v.rule}\u0000${v.layer ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { rule: v.rule, ...(v.layer ? { layer: v.layer } : {}), count: 0, records: new Set(), examples: [] };
      groups.set(key, g);
    }
    g.count += 1;
    g.records.add(v.record);
    if (g.examples.length < perRule) {
      g.examples.push({
        record: v.record,
        ...(v.field !== undefined ? { field: v.field } : {}),
        ...(v.path !== undefined ? { path: v.path } : {}),
        ...(v.element !== undefined ? { element: v.element } : {}),
        ...(v.value !== undefined ? { value: maskIdentifiers(v.value) } : {}),
        message: maskIdentifiers(v.message),
      });
    }
  }
  const violations: RuleCount[] = [...groups.values()]
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule))
    .map((g) => ({ rule: g.rule, ...(g.layer ? { layer: g.layer } : {}), count: g.count, records: g.records.size, examples: g.examples }));
  const rejected = new Set(input.violations.map((v) => v.record)).size;
  return {
    time: typeof input.time === 'string' ? input.time : input.time.toISOString(),
    ...(input.ingest ? { ingest: input.ingest } : {}),
    sourceSystem: input.sourceSystem, dataset: input.dataset, records: input.records, rejected: Math.min(rejected, input.records),
    committed: input.committed ?? rejected === 0,
    violations,
  };
}
