/**
 * The XSD datatypes records use, one table for both validation layers: the JSON type a
 * source record carries for each datatype (ajv, at the door), the lexical form the value
 * becomes in RDF, and the check of that lexical form (shacl-engine's sh:datatype, in the
 * graph). Dates are checked against the calendar in both layers: 2023-02-30 is not an
 * xsd:date, whatever its shape.
 */
import { xsd } from '../rdf/namespaces.ts';
import { isCalendarDate } from './identifiers.ts';

export interface DatatypeInfo {
  /** JSON Schema for the value in a source record (after the mapping's normalisations). */
  json: Record<string, unknown>;
  /** True when the lexical form is a valid literal of the datatype. */
  valid: (lexical: string) => boolean;
  /** What to tell a person whose value failed. */
  expected: string;
}

const DECIMAL = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;
const INTEGER = /^[+-]?[0-9]+$/;
const DOUBLE = /^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$/;
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)?$/;
const DATETIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)?$/;
const GYEARMONTH = /^([0-9]{4})-(0[1-9]|1[0-2])(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)?$/;
const GYEAR = /^[0-9]{4}(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)?$/;

function calendar(match: RegExpExecArray | null): boolean {
  return !!match && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

export const validDate = (s: string): boolean => calendar(DATE.exec(s));
export const validDateTime = (s: string): boolean => calendar(DATETIME.exec(s));
export const validGYearMonth = (s: string): boolean => GYEARMONTH.test(s) && s.slice(0, 4) !== '0000';
export const validGYear = (s: string): boolean => GYEAR.test(s) && s.slice(0, 4) !== '0000';

export const DATATYPES = new Map<string, DatatypeInfo>([
  [xsd.string, { json: { type: 'string' }, valid: () => true, expected: 'a string' }],
  [xsd.boolean, { json: { type: 'boolean' }, valid: (s) => s === 'true' || s === 'false' || s === '1' || s === '0', expected: 'true or false' }],
  [xsd.integer, { json: { type: 'integer' }, valid: (s) => INTEGER.test(s), expected: 'a whole number' }],
  [xsd.decimal, { json: { type: 'number' }, valid: (s) => DECIMAL.test(s), expected: 'a number' }],
  [xsd.double, { json: { type: 'number' }, valid: (s) => DOUBLE.test(s), expected: 'a number' }],
  [xsd.date, { json: { type: 'string', format: 'xsd-date' }, valid: validDate, expected: 'a date YYYY-MM-DD that exists' }],
  [xsd.dateTime, { json: { type: 'string', format: 'xsd-dateTime' }, valid: validDateTime, expected: 'a date and time YYYY-MM-DDThh:mm:ss' }],
  [xsd.gYearMonth, { json: { type: 'string', format: 'xsd-gYearMonth' }, valid: validGYearMonth, expected: 'a month YYYY-MM' }],
  [xsd.gYear, { json: { type: 'string', format: 'xsd-gYear' }, valid: validGYear, expected: 'a year YYYY' }],
]);

/** The ajv formats the datatypes above use. */
export const DATATYPE_FORMATS: Record<string, (s: string) => boolean> = {
  'xsd-date': validDate,
  'xsd-dateTime': validDateTime,
  'xsd-gYearMonth': validGYearMonth,
  'xsd-gYear': validGYear,
};

export function datatypeInfo(datatype: string | undefined): DatatypeInfo {
  return DATATYPES.get(datatype ?? xsd.string) ?? { json: { type: ['string', 'number', 'boolean'] }, valid: () => true, expected: 'a value' };
}

/**
 * The lexical form of a JSON number as an xsd:decimal / xsd:integer literal: never an
 * exponent (String(1e-7) is "1e-7", not a decimal).
 */
export function numberLexical(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
}

/** The lexical form of a JSON value in a record (strings stay as they are). */
export function lexicalOf(value: unknown): string {
  if (typeof value === 'number') return numberLexical(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** The year a partition value (a date, dateTime, gYearMonth or gYear) falls in. */
export function yearOf(lexical: string): number | undefined {
  const m = /^([0-9]{4})/.exec(lexical);
  return m ? Number(m[1]) : undefined;
}
