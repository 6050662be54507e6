import { describe, expect, it } from 'vitest';
import { checkReports, parseReportCsv, parseReportJson, swedishDate, type ReportInput } from '../../src/register/report.ts';
import { SchoolUnits } from '../../src/register/school-units.ts';

const units = SchoolUnits.fromFile();
const ctx = { units, reporter: 'eva-skolrapportor', today: '2026-03-10' };
const good: ReportInput = {
  personnummer: '201503141234', skolenhetskod: '39867213', skolform: 'grundskola', datum: '2026-03-09',
  narvarostatus: 'franvaro', omfattning: 'hel', giltig: 'ja',
};

describe('checking reports to the absence register', () => {
  it('accepts a valid absence and takes the provider from the school unit', () => {
    const { reports, violations } = checkReports([good], ctx);
    expect(violations).toEqual([]);
    expect(reports).toEqual([{ ...good, giltig: true, huvudman: '2120001231' }]);
  });

  it('reads a personnummer typed with a hyphen', () => {
    expect(checkReports([{ ...good, personnummer: '20150314-1234' }], ctx).violations).toEqual([]);
  });

  it('refuses a personnummer with a wrong check digit, next to the field', () => {
    const { violations } = checkReports([{ ...good, personnummer: '201503141235' }], ctx);
    expect(violations).toEqual([{ row: 1, field: 'personnummer', code: 'invalid-personnummer', message: 'The personnummer is not valid: check digit 5 is wrong; the Luhn check over the last ten digits gives 4.' }]);
  });

  it('refuses a school unit the register does not know', () => {
    const { violations } = checkReports([{ ...good, skolenhetskod: '12345678' }], ctx);
    expect(violations.map((v) => [v.field, v.code])).toEqual([['skolenhetskod', 'unknown-school-unit']]);
  });

  it('refuses a malformed skolenhetskod', () => {
    expect(checkReports([{ ...good, skolenhetskod: '1234' }], ctx).violations.map((v) => v.code)).toEqual(['invalid-skolenhetskod']);
  });

  it("refuses a school unit of a provider the reporter does not report for", () => {
    expect(checkReports([{ ...good, skolenhetskod: '61124080' }], ctx).violations.map((v) => v.code)).toEqual(['not-your-school-unit']);
  });

  it('refuses a day in the future (Swedish time)', () => {
    const { violations } = checkReports([{ ...good, datum: '2026-03-11' }], ctx);
    expect(violations).toEqual([{ row: 1, field: 'datum', code: 'date-in-future', message: '2026-03-11 is in the future; report a day that has happened (today is 2026-03-10).' }]);
    expect(swedishDate(new Date('2026-03-10T23:30:00Z'))).toBe('2026-03-11');
  });

  it('refuses a day in a year already erased', () => {
    expect(checkReports([{ ...good, datum: '2024-05-02' }], { ...ctx, erasedThrough: 2024 }).violations.map((v) => v.code)).toEqual(['date-in-erased-year']);
  });

  it('refuses the same child, day and school twice in one batch and against the register', () => {
    const twice = checkReports([good, { ...good, omfattning: 'del' }], ctx);
    expect(twice.violations).toEqual([{ row: 2, field: 'personnummer', code: 'duplicate-report', message: 'Row 1 already reports this child at 39867213 on 2026-03-09; report each child, day and school unit once.' }]);
    expect(twice.reports).toEqual([]);
    const existing = checkReports([good], { ...ctx, existing: new Set(['201503141234|2026-03-09|39867213']) });
    expect(existing.violations.map((v) => v.code)).toEqual(['duplicate-report']);
  });

  it('asks for valid or invalid on an absence only', () => {
    expect(checkReports([{ ...good, giltig: '' }], ctx).violations.map((v) => [v.field, v.code])).toEqual([['giltig', 'required']]);
    expect(checkReports([{ ...good, narvarostatus: 'narvaro' }], ctx).violations.map((v) => v.code)).toEqual(['not-for-attendance']);
    expect(checkReports([{ ...good, narvarostatus: 'narvaro', giltig: '' }], ctx).violations).toEqual([]);
  });

  it('lists every violation of every row', () => {
    const { violations } = checkReports([{}, { ...good, skolform: 'forskola' }], ctx);
    expect(violations.filter((v) => v.row === 1).map((v) => v.field)).toEqual(['personnummer', 'skolenhetskod', 'skolform', 'datum', 'narvarostatus', 'omfattning']);
    expect(violations.filter((v) => v.row === 2).map((v) => v.code)).toEqual(['skolform-not-at-unit']);
  });
});

describe('reading reports', () => {
  it('reads a CSV with a header in any order, comma or semicolon', () => {
    const csv = '\uFEFFdatum;personnummer;skolenhetskod;skolform;narvarostatus;omfattning;giltig\n2026-03-09;201503141234;39867213;grundskola;franvaro;hel;ja\n\n2026-03-09;201211024565;39867213;grundskola;narvaro;hel;\n';
    const { inputs, violations } = parseReportCsv(csv);
    expect(violations).toEqual([]);
    expect(inputs).toHaveLength(2);
    expect(checkReports(inputs, ctx).violations).toEqual([]);
  });

  it('names missing and unknown columns', () => {
    expect(parseReportCsv('personnummer,dag\n1,2\n').violations[0]!.message).toBe('The header row must name the columns personnummer, skolenhetskod, skolform, datum, narvarostatus, omfattning, giltig; missing: skolenhetskod, skolform, datum, narvarostatus, omfattning; unknown: dag.');
  });

  it('reports broken CSV as a file violation', () => {
    const { violations } = parseReportCsv('personnummer,skolenhetskod\n"unterminated,1\n');
    expect(violations[0]!.code).toBe('csv-syntax');
  });

  it('reads JSON arrays and refuses unknown fields', () => {
    expect(parseReportJson([{ ...good, giltig: true }])[0]!.giltig).toBe('true');
    expect(() => parseReportJson([{ ...good, __proto__x: 1 }])).toThrow(/unknown field "__proto__x"/);
    expect(() => parseReportJson({ rows: [] })).toThrow(/JSON array/);
  });
});
