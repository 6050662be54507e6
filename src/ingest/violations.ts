/**
 * What validation finds, as data (STYLE principle 4): one Violation per problem, naming the
 * record (its index in the batch), the field (the source system's own name) and the rule.
 * Both layers report in this form, so a 422 answer and the quality log read the same
 * whichever layer caught the problem.
 */
import type { DataElement } from '../catalog/model.ts';
import { dl } from '../rdf/namespaces.ts';

export interface Violation {
  /** Index of the record in the batch (0-based). */
  record: number;
  /** The source field, when the violation is about one. */
  field?: string;
  /** JSON Pointer into the record ("" for the record as a whole). */
  path: string;
  /** Stable kebab-case rule: required, datatype, pattern, personnummer, organisationsnummer, unknown-field ... */
  rule: string;
  message: string;
  /** `door` = JSON Schema (ajv) on the source record; `graph` = SHACL on the mapped quads. */
  layer: 'door' | 'graph';
  /** The catalog element the field maps to. */
  element?: string;
  /** The offending value, masked where it identifies a person or is sensitive. */
  value?: string;
}

export function pointer(field: string | undefined): string {
  return field === undefined ? '' : `/${field.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/**
 * A value as it may appear in an error report or the quality log: identifiers keep only
 * their first four characters (enough to see a century or a format error), values of
 * elements above the base protection class are not shown at all.
 */
export function maskValue(value: unknown, element: DataElement | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return undefined;
  if (element && element.protectionClass && element.protectionClass !== dl.BasicPersonalData && element.protectionClass !== dl.NonPersonalData) return '***';
  if (element && (element.identifying || element.validator)) return text.length <= 4 ? '*'.repeat(text.length) : text.slice(0, 4) + '*'.repeat(Math.min(text.length - 4, 12));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * One problem, one violation: where an identifier check failed, the pattern failure of the
 * same field (which says less) is dropped.
 */
export function dedupeViolations(violations: Violation[]): Violation[] {
  const identifierRules = new Set(['personnummer', 'organisationsnummer', 'skolenhetskod']);
  const precise = new Set(violations.filter((v) => identifierRules.has(v.rule)).map((v) => `${v.record} ${v.path} ${v.layer}`));
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const v of violations) {
    const key = `${v.record} ${v.path} ${v.layer}`;
    if (v.rule === 'pattern' && precise.has(key)) continue;
    const full = `${key} ${v.rule}`;
    if (seen.has(full)) continue;
    seen.add(full);
    out.push(v);
  }
  return out;
}
