/**
 * Swedish identifiers, checked for real: the check digit (Luhn, "10-modulen") and, for
 * personal identity numbers, the date. One implementation serves both validation layers:
 * ajv calls it as a format at the door, shacl-engine as the `dl:validator` constraint in
 * the graph (see schema.ts and shapes.ts), so the two cannot disagree.
 *
 * - personnummer (folkbokföringslagen 18 §): 12 digits YYYYMMDDNNNC; the date must exist.
 * - samordningsnummer (18 a §): the same with 60 added to the day (61–91).
 * - organisationsnummer: 10 digits (a hyphen after the sixth allowed), third digit ≥ 2
 *   (which tells it from a personnummer), Luhn over all ten.
 * - skolenhetskod: Skolverket's eight-digit school unit code (no check digit).
 *
 * The Luhn digit of a personnummer is computed over its last ten digits (YYMMDDNNN), as
 * Skatteverket does; the century is not part of it. Messages never repeat the value (they
 * end up in the quality log); the caller reports the value masked.
 */

export type IdentifierKind = 'personnummer' | 'samordningsnummer' | 'organisationsnummer' | 'skolenhetskod';

/** Why an identifier was refused: its shape, its date or its check digit. */
export type IdentifierFault = 'pattern' | 'date' | 'luhn' | 'group';

export type IdentifierCheck =
  | { ok: true; kind: IdentifierKind }
  | { ok: false; fault: IdentifierFault; message: string };

/** The Luhn check digit for a string of digits (the digit to append). */
export function luhnDigit(digits: string): number {
  let sum = 0;
  // Weights 2,1,2,1 ... from the right end of the payload (the digit left of the check digit gets 2).
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit is the Luhn check digit of the others. */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]{2,}$/.test(digits)) return false;
  return luhnDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** True when YYYY-MM-DD names a day of the Gregorian calendar (years 0001–9999). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const TWELVE_DIGITS = /^[0-9]{12}$/;

/** Personnummer or samordningsnummer, 12 digits without separator. */
export function checkPersonnummer(value: string): IdentifierCheck {
  if (!TWELVE_DIGITS.test(value)) {
    return { ok: false, fault: 'pattern', message: `it is not 12 digits (YYYYMMDDNNNC); write the century and leave out the hyphen.` };
  }
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(4, 6));
  let day = Number(value.slice(6, 8));
  const coordination = day > 60;
  if (coordination) day -= 60;
  if (!isCalendarDate(year, month, day)) {
    const what = coordination ? `samordningsnummer date ${value.slice(0, 4)}-${value.slice(4, 6)}-${String(day).padStart(2, '0')} (day minus 60)` : `date ${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
    return { ok: false, fault: 'date', message: `${what} does not exist.` };
  }
  if (!luhnValid(value.slice(2))) {
    return { ok: false, fault: 'luhn', message: `check digit ${value[11]} is wrong; the Luhn check over the last ten digits gives ${luhnDigit(value.slice(2, 11))}.` };
  }
  return { ok: true, kind: coordination ? 'samordningsnummer' : 'personnummer' };
}

/** Organisationsnummer: 10 digits, optionally NNNNNN-NNNN; third digit ≥ 2; Luhn. */
export function checkOrganisationsnummer(value: string): IdentifierCheck {
  if (!/^[0-9]{6}-?[0-9]{4}$/.test(value)) {
    return { ok: false, fault: 'pattern', message: 'it is not 10 digits (NNNNNN-NNNN).' };
  }
  const digits = value.replace('-', '');
  if (digits.charCodeAt(2) - 48 < 2) {
    return { ok: false, fault: 'group', message: `third digit ${digits[2]} is below 2, so it is not an organisationsnummer (a sole trader's personnummer goes in a personnummer field).` };
  }
  if (!luhnValid(digits)) {
    return { ok: false, fault: 'luhn', message: `check digit ${digits[9]} is wrong; the Luhn check gives ${luhnDigit(digits.slice(0, 9))}.` };
  }
  return { ok: true, kind: 'organisationsnummer' };
}

/** Skolenhetskod: eight digits. */
export function checkSkolenhetskod(value: string): IdentifierCheck {
  if (!/^[0-9]{8}$/.test(value)) return { ok: false, fault: 'pattern', message: 'it is not an eight-digit skolenhetskod.' };
  return { ok: true, kind: 'skolenhetskod' };
}

export interface IdentifierValidator {
  /** Local name of the validator IRI in the ontology (dl:PersonnummerCheck ...). */
  name: string;
  /** Rule name in violation reports. */
  rule: string;
  check: (value: string) => IdentifierCheck;
  /** A regular expression for the shape alone, for engines that run only standard SHACL. */
  portablePattern: string;
}

const DAY = '(0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])';

/** The identifier validators, by the local name of their IRI (dl:PersonnummerCheck ...). */
export const IDENTIFIER_VALIDATORS = new Map<string, IdentifierValidator>([
  ['PersonnummerCheck', { name: 'PersonnummerCheck', rule: 'personnummer', check: checkPersonnummer, portablePattern: `^[0-9]{4}(0[1-9]|1[0-2])${DAY}[0-9]{4}$` }],
  ['OrganisationsnummerCheck', { name: 'OrganisationsnummerCheck', rule: 'organisationsnummer', check: checkOrganisationsnummer, portablePattern: '^[0-9]{2}[2-9][0-9]{3}-?[0-9]{4}$' }],
  ['SkolenhetskodCheck', { name: 'SkolenhetskodCheck', rule: 'skolenhetskod', check: checkSkolenhetskod, portablePattern: '^[0-9]{8}$' }],
]);

/** The validator named by an IRI such as https://w3id.org/datalyft/ns#PersonnummerCheck. */
export function identifierValidator(iri: string | undefined): IdentifierValidator | undefined {
  if (!iri) return undefined;
  return IDENTIFIER_VALIDATORS.get(iri.replace(/^.*[#/]/, ''));
}

/** Builds a valid personnummer (or samordningsnummer) for a birth date and a serial 0–999. */
export function makePersonnummer(birth: { year: number; month: number; day: number }, serial: number, options: { samordningsnummer?: boolean } = {}): string {
  const day = birth.day + (options.samordningsnummer ? 60 : 0);
  const body = `${String(birth.year).padStart(4, '0')}${String(birth.month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(serial % 1000).padStart(3, '0')}`;
  return body + String(luhnDigit(body.slice(2)));
}

/** Builds a valid organisationsnummer from a nine-digit payload whose third digit is ≥ 2. */
export function makeOrganisationsnummer(payload: string): string {
  if (!/^[0-9]{2}[2-9][0-9]{6}$/.test(payload)) throw new Error(`organisationsnummer payload must be 9 digits with third digit >= 2: ${payload}`);
  return payload + String(luhnDigit(payload));
}
