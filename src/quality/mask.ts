/**
 * Masking of identity numbers in text that leaves the hub through the quality report.
 * Every run of 12 digits shaped like a personnummer or samordningsnummer (YYYYMMDDNNNC,
 * with or without a separator) keeps its date and loses its last four digits:
 * 198503121234 → 19850312-****. Ten-digit forms (YYMMDD-NNNC, and organisation numbers,
 * which a sole trader shares with a personnummer) keep their first six: 850312-****.
 * A date written with hyphens before the last four (1985-03-12 1234) is masked as well.
 * Masking is deliberately greedy: a number that only looks like an identifier is masked too.
 */
const DASHED = /(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})[-+ ]?([0-9]{4})(?![0-9])/g;
const TWELVE = /(?<![0-9])([0-9]{8})[-+ ]?([0-9]{4})(?![0-9])/g;
const TEN = /(?<![0-9])([0-9]{6})[-+]?([0-9]{4})(?![0-9])/g;

export function maskIdentifiers(text: string): string {
  return text.replace(DASHED, '$1$2$3-****').replace(TWELVE, '$1-****').replace(TEN, '$1-****');
}

/** True when the text still holds something shaped like a full identity number. */
export function containsIdentifier(text: string): boolean {
  return [DASHED, TWELVE, TEN].some((pattern) => new RegExp(pattern.source).test(text));
}
