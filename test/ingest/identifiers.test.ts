import { describe, expect, it } from 'vitest';
import {
  checkOrganisationsnummer, checkPersonnummer, checkSkolenhetskod, luhnDigit, luhnValid, makeOrganisationsnummer, makePersonnummer,
} from '../../src/ingest/identifiers.ts';

describe('personnummer and samordningsnummer', () => {
  const valid: [string, string, 'personnummer' | 'samordningsnummer'][] = [
    ['198112189876', 'Skatteverket\'s example 811218-9876 with century', 'personnummer'],
    ['198503121231', 'an ordinary date', 'personnummer'],
    ['200002290005', '2000-02-29: 2000 is a leap year (divisible by 400)', 'personnummer'],
    ['195202291117', '1952-02-29: a leap year', 'personnummer'],
    ['197912917775', 'samordningsnummer: day 91 = 31 + 60', 'samordningsnummer'],
    ['199007614564', 'samordningsnummer: day 61 = 1 + 60', 'samordningsnummer'],
  ];
  const invalid: [string, 'pattern' | 'date' | 'luhn', string][] = [
    ['8112189876', 'pattern', 'ten digits: the century is missing'],
    ['19811218-9876', 'pattern', 'a hyphen (the mapping strips it first)'],
    ['19811218987X', 'pattern', 'a letter'],
    ['190002290004', 'date', '1900-02-29: 1900 is not a leap year'],
    ['202302290003', 'date', '2023-02-29 does not exist'],
    ['198513121236', 'date', 'month 13'],
    ['198504311238', 'date', 'April 31'],
    ['198504001238', 'date', 'day 00'],
    ['197912927774', 'date', 'samordningsnummer day 92 = 32 + 60'],
    ['198112189875', 'luhn', 'wrong check digit'],
    ['198503121234', 'luhn', 'wrong check digit'],
  ];
  it.each(valid)('accepts %s (%s)', (value, _why, kind) => {
    expect(checkPersonnummer(value)).toEqual({ ok: true, kind });
  });
  it.each(invalid)('refuses %s for its %s (%s)', (value, fault) => {
    const check = checkPersonnummer(value);
    expect(check.ok).toBe(false);
    expect(check.ok ? undefined : check.fault).toBe(fault);
  });
  it('names the right check digit in the message', () => {
    const check = checkPersonnummer('198112189875');
    expect(check.ok ? '' : check.message).toBe('check digit 5 is wrong; the Luhn check over the last ten digits gives 6.');
  });
  it('computes the Luhn digit over the last ten digits, not the century', () => {
    expect(luhnDigit('811218987')).toBe(6);
    expect(luhnValid('8112189876')).toBe(true);
    expect(checkPersonnummer('198112189876').ok).toBe(true);
    expect(checkPersonnummer('208112189876').ok).toBe(true);
  });
  it('builds valid numbers for the demo data, samordningsnummer included', () => {
    for (let serial = 0; serial < 1000; serial += 37) {
      expect(checkPersonnummer(makePersonnummer({ year: 2000, month: 2, day: 29 }, serial)).ok).toBe(true);
      expect(checkPersonnummer(makePersonnummer({ year: 1979, month: 12, day: 31 }, serial, { samordningsnummer: true }))).toEqual({ ok: true, kind: 'samordningsnummer' });
    }
  });
});

describe('organisationsnummer', () => {
  it.each([['5560360793'], ['556036-0793'], ['2021005307'], ['212000-2148'], ['8020024884']])('accepts %s', (value) => {
    expect(checkOrganisationsnummer(value)).toEqual({ ok: true, kind: 'organisationsnummer' });
  });
  it.each([
    ['5560360794', 'luhn'],
    ['556036079', 'pattern'],
    ['55603607930', 'pattern'],
    ['55-6036-0793', 'pattern'],
    ['8112189876', 'group'],
    ['5510360793', 'group'],
  ] as const)('refuses %s for its %s', (value, fault) => {
    const check = checkOrganisationsnummer(value);
    expect(check.ok ? undefined : check.fault).toBe(fault);
  });
  it('builds valid numbers', () => {
    expect(makeOrganisationsnummer('556036079')).toBe('5560360793');
    expect(() => makeOrganisationsnummer('811218987')).toThrow(/third digit/);
  });
});

describe('skolenhetskod', () => {
  it('is eight digits', () => {
    expect(checkSkolenhetskod('29384756').ok).toBe(true);
    expect(checkSkolenhetskod('2938475').ok).toBe(false);
    expect(checkSkolenhetskod('2938475a').ok).toBe(false);
    expect(checkSkolenhetskod('293847561').ok).toBe(false);
  });
});
