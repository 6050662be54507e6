/**
 * A school's report to the absence register: one child's or pupil's day. The same rows
 * come from the web form (one row), a CSV upload (a class's day) or the API (JSON or CSV).
 * `checkReports` returns every violation, each tied to its row and field, so the form can
 * show it next to the field and the API can list it in a 422 problem; it never throws.
 *
 * What is checked here is what only the register can know: the school unit is one it
 * knows and the reporter's provider runs it, the school form is one the unit runs, the day
 * is not in the future nor in a year already erased, and the same child, day and school
 * unit are not reported twice. The personnummer is checked with the same function the
 * ingest path uses (src/ingest/identifiers.ts), so the two layers cannot disagree.
 */
import { parse as parseCsvText } from 'csv-parse/sync';
import { DatalyftError } from '../errors.ts';
import { checkPersonnummer, isCalendarDate } from '../ingest/identifiers.ts';
import type { SchoolUnit, SchoolUnits } from './school-units.ts';

/** School forms a report may name (skollagen 1 kap. 1 §-list and preschool), as codes. */
export const SKOLFORMER: { code: string; label: string }[] = [
  { code: 'forskola', label: 'Förskola' },
  { code: 'forskoleklass', label: 'Förskoleklass' },
  { code: 'grundskola', label: 'Grundskola' },
  { code: 'anpassad-grundskola', label: 'Anpassad grundskola' },
  { code: 'specialskola', label: 'Specialskola' },
  { code: 'sameskola', label: 'Sameskola' },
  { code: 'gymnasieskola', label: 'Gymnasieskola' },
  { code: 'anpassad-gymnasieskola', label: 'Anpassad gymnasieskola' },
];

export const NARVAROSTATUS = [{ code: 'franvaro', label: 'Frånvaro (absence)' }, { code: 'narvaro', label: 'Närvaro (attendance)' }];
export const OMFATTNING = [{ code: 'hel', label: 'Hel dag (whole day)' }, { code: 'del', label: 'Del av dag (part of the day)' }];
export const GILTIG = [{ code: 'ja', label: 'Giltig frånvaro (valid)' }, { code: 'nej', label: 'Ogiltig frånvaro (invalid)' }];

/** The fields of a report, in form and CSV column order. */
export const REPORT_FIELDS = ['personnummer', 'skolenhetskod', 'skolform', 'datum', 'narvarostatus', 'omfattning', 'giltig'] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

export const FIELD_LABELS: Record<ReportField, { label: string; hint: string }> = {
  personnummer: { label: 'Barnets eller elevens personnummer', hint: '12 siffror, ÅÅÅÅMMDDNNNN (child\'s or pupil\'s identity number, 12 digits)' },
  skolenhetskod: { label: 'Skolenhetskod', hint: '8 siffror (Skolverket\'s school unit code)' },
  skolform: { label: 'Skolform', hint: 'school form' },
  datum: { label: 'Dag', hint: 'ÅÅÅÅ-MM-DD (the day reported; not a future day)' },
  narvarostatus: { label: 'Frånvaro eller närvaro', hint: 'absence or attendance' },
  omfattning: { label: 'Hel eller del av dag', hint: 'whole or part of the day' },
  giltig: { label: 'Giltig eller ogiltig frånvaro', hint: 'only for absence: valid (e.g. illness, leave granted) or invalid' },
};

/** A row as sent: strings, possibly missing. */
export type ReportInput = Partial<Record<ReportField, string>>;

/** A checked report. */
export interface AbsenceReport {
  personnummer: string;
  skolenhetskod: string;
  skolform: string;
  /** YYYY-MM-DD. */
  datum: string;
  narvarostatus: 'franvaro' | 'narvaro';
  omfattning: 'hel' | 'del';
  /** Only for absence. */
  giltig?: boolean;
  /** The reporting provider's organisation number (from the school unit). */
  huvudman: string;
}

export interface ReportViolation {
  /** 1-based row of the batch (the form's single report is row 1; CSV rows count from the first data row). */
  row: number;
  /** The field, or `file` for what concerns the upload as a whole. */
  field: ReportField | 'file';
  /** Stable kebab-case code. */
  code: string;
  message: string;
}

/** The key that makes two reports the same report: child, day and school unit. */
export function duplicateKey(r: Pick<AbsenceReport, 'personnummer' | 'datum' | 'skolenhetskod'>): string {
  return `${r.personnummer}|${r.datum}|${r.skolenhetskod}`;
}

/** Today's date (YYYY-MM-DD) in Sweden, where the schools report. */
export function swedishDate(now: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export interface CheckContext {
  units: SchoolUnits;
  /** Principal id of the reporter. */
  reporter: string;
  /** Today in Sweden, YYYY-MM-DD. */
  today: string;
  /** Years of the register that have been (or are due to be) erased: a report into them is refused. */
  erasedThrough?: number;
  /** Keys (duplicateKey) already in the register. */
  existing?: Set<string>;
}

function trimmed(value: unknown): string {
  return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

/** Lenient reading of what people type: a personnummer with a hyphen or spaces, codes in any case. */
export function normaliseInput(input: ReportInput): ReportInput {
  const out: ReportInput = {};
  for (const field of REPORT_FIELDS) out[field] = trimmed(input[field]);
  out.personnummer = out.personnummer!.replace(/[\s-]/g, '');
  out.skolenhetskod = out.skolenhetskod!.replace(/\s/g, '');
  for (const f of ['skolform', 'narvarostatus', 'omfattning', 'giltig'] as const) out[f] = out[f]!.toLowerCase();
  if (['true', 'giltig', 'valid'].includes(out.giltig!)) out.giltig = 'ja';
  if (['false', 'ogiltig', 'invalid'].includes(out.giltig!)) out.giltig = 'nej';
  return out;
}

/**
 * Checks every row and returns the reports that passed (only when all did) and every
 * violation. Rows are independent except for duplicates within the batch.
 */
export function checkReports(inputs: ReportInput[], ctx: CheckContext): { reports: AbsenceReport[]; violations: ReportViolation[] } {
  const violations: ReportViolation[] = [];
  const reports: AbsenceReport[] = [];
  const seen = new Map<string, number>();
  if (inputs.length === 0) violations.push({ row: 0, field: 'file', code: 'no-reports', message: 'The report holds no rows; report at least one child\'s day.' });
  inputs.forEach((raw, index) => {
    const row = index + 1;
    const v = normaliseInput(raw);
    const add = (field: ReportField, code: string, message: string): void => {
      violations.push({ row, field, code, message });
    };
    const before = violations.length;

    // personnummer
    if (!v.personnummer) add('personnummer', 'required', 'Enter the child\'s or pupil\'s personnummer.');
    else {
      const check = checkPersonnummer(v.personnummer);
      if (!check.ok) add('personnummer', 'invalid-personnummer', `The personnummer is not valid: ${check.message}`);
    }

    // school unit, and that the reporter's provider runs it
    let unit: SchoolUnit | undefined;
    if (!v.skolenhetskod) add('skolenhetskod', 'required', 'Enter the school unit code (skolenhetskod).');
    else if (!/^[0-9]{8}$/.test(v.skolenhetskod)) add('skolenhetskod', 'invalid-skolenhetskod', `"${v.skolenhetskod}" is not a skolenhetskod: it has eight digits.`);
    else {
      unit = ctx.units.get(v.skolenhetskod);
      if (!unit) add('skolenhetskod', 'unknown-school-unit', `School unit ${v.skolenhetskod} is not known to the register; check the code in Skolenhetsregistret.`);
      else if (!ctx.units.mayReport(ctx.reporter, unit)) {
        add('skolenhetskod', 'not-your-school-unit', `School unit ${v.skolenhetskod} (${unit.name}) belongs to ${unit.huvudmanName}, which you do not report for.`);
        unit = undefined;
      }
    }

    // school form
    if (!v.skolform) add('skolform', 'required', 'Choose the school form.');
    else if (!SKOLFORMER.some((s) => s.code === v.skolform)) add('skolform', 'unknown-skolform', `"${v.skolform}" is not a school form; use one of ${SKOLFORMER.map((s) => s.code).join(', ')}.`);
    else if (unit && !unit.skolformer.includes(v.skolform)) add('skolform', 'skolform-not-at-unit', `${unit.name} does not run ${v.skolform}; it runs ${unit.skolformer.join(', ')}.`);

    // the day
    const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(v.datum ?? '');
    if (!v.datum) add('datum', 'required', 'Enter the day (YYYY-MM-DD).');
    else if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) add('datum', 'invalid-date', `"${v.datum}" is not a date; write it as YYYY-MM-DD.`);
    else if (v.datum > ctx.today) add('datum', 'date-in-future', `${v.datum} is in the future; report a day that has happened (today is ${ctx.today}).`);
    else if (ctx.erasedThrough !== undefined && Number(m[1]) <= ctx.erasedThrough) add('datum', 'date-in-erased-year', `${v.datum} falls in ${m[1]}, a year the register has erased; it takes no reports for it.`);

    // absence or attendance, whole or part, valid or not
    if (!v.narvarostatus) add('narvarostatus', 'required', 'Choose absence or attendance.');
    else if (!NARVAROSTATUS.some((s) => s.code === v.narvarostatus)) add('narvarostatus', 'invalid-value', `"${v.narvarostatus}" is neither franvaro nor narvaro.`);
    if (!v.omfattning) add('omfattning', 'required', 'Choose whole or part of the day.');
    else if (!OMFATTNING.some((s) => s.code === v.omfattning)) add('omfattning', 'invalid-value', `"${v.omfattning}" is neither hel nor del.`);
    if (v.narvarostatus === 'franvaro' && !v.giltig) add('giltig', 'required', 'For an absence, choose whether it is valid or invalid.');
    else if (v.giltig && !GILTIG.some((s) => s.code === v.giltig)) add('giltig', 'invalid-value', `"${v.giltig}" is neither ja (valid) nor nej (invalid).`);
    else if (v.narvarostatus === 'narvaro' && v.giltig) add('giltig', 'not-for-attendance', 'Valid or invalid applies to an absence only; leave it empty for attendance.');

    if (violations.length > before || !unit) return;
    const report: AbsenceReport = {
      personnummer: v.personnummer!, skolenhetskod: v.skolenhetskod!, skolform: v.skolform!, datum: v.datum!,
      narvarostatus: v.narvarostatus as AbsenceReport['narvarostatus'], omfattning: v.omfattning as AbsenceReport['omfattning'],
      ...(v.narvarostatus === 'franvaro' ? { giltig: v.giltig === 'ja' } : {}),
      huvudman: unit.huvudman,
    };
    const key = duplicateKey(report);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      add('personnummer', 'duplicate-report', `Row ${earlier} already reports this child at ${report.skolenhetskod} on ${report.datum}; report each child, day and school unit once.`);
      return;
    }
    if (ctx.existing?.has(key)) {
      add('personnummer', 'duplicate-report', `This child has already been reported at ${report.skolenhetskod} on ${report.datum}; the register holds that report.`);
      return;
    }
    seen.set(key, row);
    reports.push(report);
  });
  return { reports: violations.length === 0 ? reports : [], violations };
}

/** Rows of a CSV report: a header row naming the fields (any order), then one row per report. */
export function parseReportCsv(text: string): { inputs: ReportInput[]; violations: ReportViolation[] } {
  let records: string[][];
  try {
    records = parseCsvText(text.replace(/^\uFEFF/, ''), {
      delimiter: [',', ';'], skip_empty_lines: true, relax_column_count: true, trim: true, max_record_size: 10_000,
    }) as string[][];
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    return { inputs: [], violations: [{ row: 0, field: 'file', code: 'csv-syntax', message: `The file is not valid CSV: ${e.message ?? String(error)}` }] };
  }
  const [header, ...rows] = records;
  if (!header) return { inputs: [], violations: [{ row: 0, field: 'file', code: 'csv-empty', message: 'The file is empty; send a header row and one row per child.' }] };
  const columns = header.map((h) => h.trim().toLowerCase());
  const unknown = columns.filter((c) => !(REPORT_FIELDS as readonly string[]).includes(c));
  const missing = REPORT_FIELDS.filter((f) => f !== 'giltig' && !columns.includes(f));
  const violations: ReportViolation[] = [];
  if (unknown.length > 0 || missing.length > 0) {
    violations.push({
      row: 0, field: 'file', code: 'csv-header',
      message: `The header row must name the columns ${REPORT_FIELDS.join(', ')}${missing.length ? `; missing: ${missing.join(', ')}` : ''}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}.`,
    });
    return { inputs: [], violations };
  }
  const inputs = rows.map((cells, i) => {
    if (cells.length > columns.length) violations.push({ row: i + 1, field: 'file', code: 'csv-columns', message: `Row ${i + 1} has ${cells.length} cells; the header names ${columns.length} columns.` });
    const input: ReportInput = {};
    columns.forEach((c, j) => {
      input[c as ReportField] = cells[j] ?? '';
    });
    return input;
  });
  return { inputs, violations };
}

/** Rows of a JSON report: an array of objects with the report fields (or {"reports": [...]}). */
export function parseReportJson(body: unknown): ReportInput[] {
  const list = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { reports?: unknown }).reports) ? (body as { reports: unknown[] }).reports : undefined;
  if (!list) throw new DatalyftError('invalid-report', 'Send a JSON array of reports (or {"reports": [...]}), each an object with the fields ' + REPORT_FIELDS.join(', ') + '.', { status: 400 });
  return list.map((item, index) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      throw new DatalyftError('invalid-report', `Report ${index + 1} is not an object.`, { status: 400, where: { record: index + 1 } });
    }
    const out: ReportInput = {};
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
      if (!(REPORT_FIELDS as readonly string[]).includes(k)) {
        throw new DatalyftError('invalid-report', `Report ${index + 1} has the unknown field "${k}"; the fields are ${REPORT_FIELDS.join(', ')}.`, { status: 400, where: { record: index + 1, field: k } });
      }
      if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'boolean' && typeof v !== 'number') {
        throw new DatalyftError('invalid-report', `Field ${k} of report ${index + 1} must be a string.`, { status: 400, where: { record: index + 1, field: k } });
      }
      out[k as ReportField] = v === null || v === undefined ? '' : String(v);
    }
    return out;
  });
}
