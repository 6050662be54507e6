/**
 * Declarative value normalisations a mapping may name per field ("strip-hyphen",
 * "yyyymm-to-gyearmonth", ...). Each is total (a value it does not recognise passes
 * unchanged, so the validation that follows reports it) and has an inverse, which the demo
 * generator uses to write records in the source system's own layout.
 */

export interface Normalisation {
  doc: string;
  forward: (value: unknown) => unknown;
  inverse: (value: unknown) => unknown;
}

const str = (f: (s: string) => unknown) => (v: unknown): unknown => (typeof v === 'string' ? f(v) : v);
const num = (f: (n: number) => unknown) => (v: unknown): unknown => (typeof v === 'number' && Number.isFinite(v) ? f(v) : v);
const identity = (v: unknown): unknown => v;

/** Rounds away binary noise from a scaled amount (0.1 * 3 → 0.3). */
const tidy = (n: number): number => Math.round(n * 1e6) / 1e6;

export const NORMALISATIONS = new Map<string, Normalisation>([
  ['strip-hyphen', {
    doc: 'removes hyphens: "19850312-1234" → "198503121234", "556036-0793" → "5560360793"',
    forward: str((s) => s.replaceAll('-', '')),
    inverse: str((s) => (/^[0-9]{10,12}$/.test(s) ? `${s.slice(0, -4)}-${s.slice(-4)}` : s)),
  }],
  ['strip-spaces', {
    doc: 'removes all white space: "123 45" → "12345"',
    forward: str((s) => s.replace(/\s+/g, '')),
    inverse: identity,
  }],
  ['orgnr-strip-16', {
    doc: 'an organisation number with Skatteverket\'s prefix 16 (12 digits, "165560360793") becomes its 10 digits',
    forward: str((s) => (/^16[0-9]{10}$/.test(s) ? s.slice(2) : s)),
    inverse: str((s) => (/^[0-9]{10}$/.test(s) ? `16${s}` : s)),
  }],
  ['trim', { doc: 'removes white space at both ends', forward: str((s) => s.trim()), inverse: identity }],
  ['lower-case', { doc: 'lower case', forward: str((s) => s.toLowerCase()), inverse: identity }],
  ['upper-case', { doc: 'upper case', forward: str((s) => s.toUpperCase()), inverse: identity }],
  ['yyyymmdd-to-date', {
    doc: 'a date written YYYYMMDD becomes YYYY-MM-DD',
    forward: str((s) => (/^[0-9]{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}` : s)),
    inverse: str((s) => (/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s) ? s.replaceAll('-', '') : s)),
  }],
  ['yyyymm-to-gyearmonth', {
    doc: 'a month written YYYYMM becomes YYYY-MM',
    forward: str((s) => (/^[0-9]{6}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4)}` : s)),
    inverse: str((s) => (/^[0-9]{4}-[0-9]{2}$/.test(s) ? s.replace('-', '') : s)),
  }],
  ['datetime-space-to-t', {
    doc: 'a timestamp written "YYYY-MM-DD hh:mm:ss" becomes "YYYY-MM-DDThh:mm:ss"',
    forward: str((s) => (/^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:/.test(s) ? s.replace(' ', 'T') : s)),
    inverse: str((s) => (/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:/.test(s) ? s.replace('T', ' ') : s)),
  }],
  ['year-number-to-gyear', {
    doc: 'a year given as a number (2024) becomes the string "2024"',
    forward: num((n) => (Number.isInteger(n) && n >= 1000 && n <= 9999 ? String(n) : n)),
    inverse: str((s) => (/^[0-9]{4}$/.test(s) ? Number(s) : s)),
  }],
  ['decimal-comma', {
    doc: 'a number written with a decimal comma as text ("12,50") becomes 12.5',
    forward: str((s) => (/^[+-]?[0-9]+(,[0-9]+)?$/.test(s.trim()) ? Number(s.trim().replace(',', '.')) : s)),
    inverse: num((n) => String(n).replace('.', ',')),
  }],
  ['number-from-string', {
    doc: 'a number written as text ("1234.50") becomes a number',
    forward: str((s) => (/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/.test(s.trim()) ? Number(s.trim()) : s)),
    inverse: num((n) => String(n)),
  }],
  ['ore-to-kronor', {
    doc: 'an amount in öre (integer) becomes kronor: 123450 → 1234.5',
    forward: num((n) => tidy(n / 100)),
    inverse: num((n) => Math.round(n * 100)),
  }],
  ['percent-to-fraction', {
    doc: 'a percentage becomes a fraction: 50 → 0.5',
    forward: num((n) => tidy(n / 100)),
    inverse: num((n) => tidy(n * 100)),
  }],
  ['j-n-to-boolean', {
    doc: '"J" (ja) becomes true, "N" (nej) false',
    forward: str((s) => (s === 'J' ? true : s === 'N' ? false : s)),
    inverse: (v) => (v === true ? 'J' : v === false ? 'N' : v),
  }],
]);

export function normalisation(name: string): Normalisation | undefined {
  return NORMALISATIONS.get(name);
}
